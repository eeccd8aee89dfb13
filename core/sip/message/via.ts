// Via (RFC 3261 §20.42, §25.1) with the parameters routing needs decoded at once: branch (§8.1.1.7),
// received (§18.2.1), rport (RFC 3581), maddr and ttl; the full parameter list on demand.
// sent-protocol allows LWS around its slashes and sent-by around the colon.
import { isIPv4, isIPv6 } from 'node:net';
import { quotedEndAt, runEndAt, skipWsAt, tokenEndAt } from './byte-scan';
import { DIGIT, GENVALUE, HOSTCHAR, latin1Bytes } from './chars';
import { Scanner, type Param } from './scanner';

/** The RFC 3261 magic cookie that marks a branch made by the §17 rules. */
export const BRANCH_COOKIE = 'z9hG4bK';

export class Via {
  constructor(
    /** Transport, upper-case: UDP, TCP, TLS, SCTP, WS, WSS, or any other token (RFC 4475 §3.1.1.10). */
    readonly transport: string,
    /** sent-by host as written (IPv6 with brackets). */
    readonly host: string,
    readonly port: number | undefined,
    readonly branch: string | undefined,
    readonly received: string | undefined,
    /** RFC 3581: undefined when absent, null when present without a value, else the port. */
    readonly rport: number | null | undefined,
    readonly maddr: string | undefined,
    readonly ttl: number | undefined,
    /** The via-parm exactly as written. */
    readonly raw: string,
    /** Offset in raw where the parameters start (at the first ";"), raw.length when none. */
    private readonly paramsAt: number,
    /** Where the received and rport parameters lie in raw, from their ";" (-1 when absent). */
    private readonly receivedStart: number,
    private readonly receivedEnd: number,
    private readonly rportStart: number,
    private readonly rportEnd: number,
  ) {}

  /** Every parameter as written, in order. */
  get params(): readonly Param[] {
    return new Scanner(this.raw, this.paramsAt).params(GENVALUE) ?? [];
  }

  /**
   * This via-parm as a server records where the request really came from: received set to the source
   * address when it differs from sent-by or when rport was asked for, and rport given its value
   * (§18.2.1; RFC 3581 §4). A received the sender wrote itself is replaced by the real source: taken
   * as it was, it sent our answers to any address the sender named (§18.2.2 answers to received).
   * Other parameters keep their order and spelling.
   */
  stamped(sourceIp: string, sourcePort: number): string {
    const wantsRport = this.rport !== undefined;
    if (!wantsRport && this.receivedStart < 0 && hostAddressOf(this.host) === sourceIp.toLowerCase())
      return this.raw;
    const raw = this.raw;
    // An IPv6 zone (fe80::1%eth0) is this host's name for a link, meaningless elsewhere and no part of
    // the IPv6reference syntax received allows (§20.42, RFC 3261 §25.1).
    const received = `;received=${withoutZone(sourceIp)}`;
    if (this.rportStart < 0) {
      if (this.receivedStart < 0) return raw + received;
      return raw.slice(0, this.receivedStart) + received + raw.slice(this.receivedEnd);
    }
    const rport = `;rport=${sourcePort}`;
    if (this.receivedStart < 0)
      return raw.slice(0, this.rportStart) + rport + raw.slice(this.rportEnd) + received;
    // Both present: rewrite each in place, keeping the order they were written in.
    return this.rportStart < this.receivedStart
      ? raw.slice(0, this.rportStart) +
          rport +
          raw.slice(this.rportEnd, this.receivedStart) +
          received +
          raw.slice(this.receivedEnd)
      : raw.slice(0, this.receivedStart) +
          received +
          raw.slice(this.receivedEnd, this.rportStart) +
          rport +
          raw.slice(this.rportEnd);
  }
}

/** 1*DIGIT in b[from, to), at most 10 digits and `max`. */
function digitsAt(b: Uint8Array, from: number, to: number, max: number): number | undefined {
  if (to === from || to - from > 10) return undefined;
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = b[i]! - 0x30;
    if (d < 0 || d > 9) return undefined;
    n = n * 10 + d;
  }
  return n <= max ? n : undefined;
}

/** An address without its IPv6 zone (fe80::1%eth0 → fe80::1). */
export function withoutZone(address: string): string {
  const zone = address.indexOf('%');
  return zone < 0 ? address : address.slice(0, zone);
}

/**
 * Does a Via's sent-by host name another address than the one its message came from (RFC 3581 §4: the
 * server adds received)? A host name counts as another: it is not where the message came from either.
 */
export function sentFromElsewhere(viaHost: string, sourceIp: string): boolean {
  return hostAddressOf(viaHost) !== withoutZone(sourceIp).toLowerCase();
}

function hostAddressOf(h: string): string {
  return (h.charCodeAt(0) === 0x5b ? h.slice(1, -1) : h).toLowerCase();
}

function isHost(h: string): boolean {
  if (h.charCodeAt(0) === 0x5b) return h.charCodeAt(h.length - 1) === 0x5d && isIPv6(h.slice(1, -1));
  for (let i = 0; i < h.length; i++) {
    const c = h.charCodeAt(i);
    if (c >= 128 || HOSTCHAR[c] === 0) return false;
  }
  return h.length > 0;
}

/** A lower-case literal's bytes, for isLower() (a typed-array load costs less than charCodeAt()). */
function lower(lit: string): Uint8Array {
  return Uint8Array.from(lit, (ch) => ch.charCodeAt(0));
}

const SIP = lower('sip');
const UDP = lower('udp');
const TCP = lower('tcp');
const TLS = lower('tls');
const BRANCH = lower('branch');
const RECEIVED = lower('received');
const RPORT = lower('rport');
const MADDR = lower('maddr');
const TTL = lower('ttl');

/** Is b[at, at + lit.length) the letters of `lit` (lower-case letters only), in any case? */
function isLower(b: Uint8Array, at: number, lit: Uint8Array): boolean {
  for (let k = 0; k < lit.length; k++) if ((b[at + k]! | 0x20) !== lit[k]) return false;
  return true;
}

/**
 * Is b[from, to) a dotted-decimal IPv4 address as node:net's isIPv4() reads one (each part 0-255, no
 * leading zero)? Read from the bytes, without the copy and the regular expression.
 */
function isIPv4At(b: Uint8Array, from: number, to: number): boolean {
  let i = from;
  for (let part = 1; ; part++) {
    const start = i;
    let n = 0;
    while (i < to && i - start < 3 && b[i]! >= 0x30 && b[i]! <= 0x39) n = n * 10 + b[i++]! - 0x30;
    if (i === start || n > 255 || (i - start > 1 && b[start] === 0x30)) return false;
    if (part === 4) return i === to;
    if (i >= to || b[i] !== 0x2e) return false;
    i++;
  }
}

/** SLASH = SWS "/" SWS at i: the index after it, or -1. */
function slashAt(b: Uint8Array, i: number, end: number): number {
  i = skipWsAt(b, i, end);
  return i < end && b[i] === 0x2f ? skipWsAt(b, i + 1, end) : -1;
}

/** The transport token upper-case; the usual ones without a copy. */
function transportName(s: string, b: Uint8Array, from: number, to: number): string {
  if (to - from === 3) {
    if (isLower(b, from, UDP)) return 'UDP';
    if (isLower(b, from, TCP)) return 'TCP';
    if (isLower(b, from, TLS)) return 'TLS';
  }
  return s.slice(from, to).toUpperCase();
}

/** Where the last viaAt() stopped: a result slot instead of a tuple. */
let viaEnd = 0;

/**
 * One via-parm in s[pos, end), whose chars b holds as bytes (b[i] is s.charCodeAt(i)); null on a syntax
 * error, else the Via, with viaEnd set after it. A hand loop over the bytes (RFC 3261 §25.1):
 * via-parm = sent-protocol LWS sent-by *( SEMI via-params ), with LWS allowed around SLASH, COLON,
 * SEMI and EQUAL; only the values routing reads are copied out of the header text.
 */
function viaAt(s: string, b: Uint8Array, pos: number, end: number): Via | null {
  const start = skipWsAt(b, pos, end);
  let i: number;
  // sent-protocol = protocol-name SLASH protocol-version SLASH transport: the usual "SIP/2.0/" fast,
  // the general grammar (any case, LWS around the slashes) otherwise.
  if (
    start + 8 <= end &&
    b[start] === 0x53 &&
    b[start + 1] === 0x49 &&
    b[start + 2] === 0x50 &&
    b[start + 3] === 0x2f &&
    b[start + 4] === 0x32 &&
    b[start + 5] === 0x2e &&
    b[start + 6] === 0x30 &&
    b[start + 7] === 0x2f
  ) {
    i = skipWsAt(b, start + 8, end);
  } else {
    const ne = tokenEndAt(b, start, end);
    if (ne - start !== 3 || !isLower(b, start, SIP)) return null;
    const vs = slashAt(b, ne, end);
    if (vs < 0) return null;
    const ve = tokenEndAt(b, vs, end);
    if (ve - vs !== 3 || b[vs] !== 0x32 || b[vs + 1] !== 0x2e || b[vs + 2] !== 0x30) return null;
    i = slashAt(b, ve, end);
    if (i < 0) return null;
  }
  const te = tokenEndAt(b, i, end);
  if (te === i) return null;
  const transport = transportName(s, b, i, te);
  i = skipWsAt(b, te, end);
  // sent-by = host [ COLON port ]
  let host: string;
  if (i < end && b[i] === 0x5b) {
    const close = s.indexOf(']', i);
    if (close < 0 || close >= end || !isIPv6(s.slice(i + 1, close))) return null;
    host = s.slice(i, close + 1);
    i = close + 1;
  } else {
    const he = runEndAt(HOSTCHAR, b, i, end);
    if (he === i) return null;
    host = s.slice(i, he);
    i = he;
  }
  let port: number | undefined;
  let j = skipWsAt(b, i, end);
  if (j < end && b[j] === 0x3a) {
    j = skipWsAt(b, j + 1, end);
    const de = runEndAt(DIGIT, b, j, end);
    port = digitsAt(b, j, de, 65535);
    if (port === undefined) return null;
    i = de;
  }
  const paramsAt = i - start;
  let branch: string | undefined;
  let received: string | undefined;
  let rport: number | null | undefined;
  let maddr: string | undefined;
  let ttl: number | undefined;
  let receivedStart = -1;
  let receivedEnd = -1;
  let rportStart = -1;
  let rportEnd = -1;
  // via-params: each generic-param = token [ EQUAL gen-value ]; the known ones are checked.
  for (;;) {
    const paramStart = i - start;
    j = skipWsAt(b, i, end);
    if (j >= end || b[j] !== 0x3b) break;
    const ns = skipWsAt(b, j + 1, end);
    const ne = tokenEndAt(b, ns, end);
    if (ne === ns) return null;
    i = ne;
    let vs = -1;
    let quoted = false;
    j = skipWsAt(b, ne, end);
    if (j < end && b[j] === 0x3d) {
      vs = skipWsAt(b, j + 1, end);
      if (vs < end && b[vs] === 0x22) {
        i = quotedEndAt(b, vs, end);
        if (i < 0) return null;
        quoted = true;
      } else {
        i = runEndAt(GENVALUE, b, vs, end);
        if (i === vs) return null;
      }
    }
    // A known parameter never takes a quoted-string value.
    switch (ne - ns) {
      case 6:
        if (isLower(b, ns, BRANCH)) {
          if (vs < 0 || quoted) return null;
          branch = s.slice(vs, i);
        }
        break;
      case 8:
        if (isLower(b, ns, RECEIVED)) {
          if (vs < 0 || quoted) return null;
          received = s.slice(vs, i);
          if (!isIPv4At(b, vs, i)) {
            const addr = received.charCodeAt(0) === 0x5b ? received.slice(1, -1) : received;
            if (!isIPv4(addr) && !isIPv6(addr)) return null;
          }
          receivedStart = paramStart;
          receivedEnd = i - start;
        }
        break;
      case 5:
        if (isLower(b, ns, RPORT)) {
          if (quoted) return null;
          if (vs < 0) rport = null;
          else {
            rport = digitsAt(b, vs, i, 65535);
            if (rport === undefined) return null;
          }
          rportStart = paramStart;
          rportEnd = i - start;
        } else if (isLower(b, ns, MADDR)) {
          if (vs < 0 || quoted) return null;
          maddr = s.slice(vs, i);
          if (!isHost(maddr)) return null;
        }
        break;
      case 3:
        if (isLower(b, ns, TTL)) {
          if (vs < 0 || quoted) return null;
          ttl = digitsAt(b, vs, i, 255);
          if (ttl === undefined) return null;
        }
        break;
    }
  }
  viaEnd = i;
  return new Via(
    transport,
    host,
    port,
    branch,
    received,
    rport,
    maddr,
    ttl,
    s.slice(start, i),
    paramsAt,
    receivedStart,
    receivedEnd,
    rportStart,
    rportEnd,
  );
}

/**
 * Parses one Via header value (one or more comma-separated via-parms) into `into`; false on error.
 * The value may be read in place, as value[from, to) (a message's header text), with `bytes` holding
 * the same chars as bytes when the caller has them.
 */
export function parseViaList(
  value: string,
  into: Via[],
  from = 0,
  to = value.length,
  bytes: Uint8Array = latin1Bytes(value),
): boolean {
  let pos = from;
  for (;;) {
    const v = viaAt(value, bytes, pos, to);
    if (v === null) return false;
    into.push(v);
    pos = skipWsAt(bytes, viaEnd, to);
    if (pos >= to) return true;
    if (bytes[pos] !== 0x2c) return false;
    pos++;
  }
}

/** Writes a via-parm: "SIP/2.0/UDP host:port;params". */
export function formatVia(
  transport: string,
  host: string,
  port: number | undefined,
  params: readonly Param[],
): string {
  let out = `SIP/2.0/${transport} ${host}`;
  if (port !== undefined) out += `:${port}`;
  for (const p of params) out += p.value === null ? `;${p.name}` : `;${p.name}=${p.value}`;
  return out;
}
