// Via (RFC 3261 §20.42, §25.1) with the parameters routing needs decoded at once: branch (§8.1.1.7),
// received (§18.2.1), rport (RFC 3581), maddr and ttl; the full parameter list on demand.
// sent-protocol allows LWS around its slashes and sent-by around the colon.
import { isIPv4, isIPv6 } from 'node:net';
import { DIGIT, GENVALUE, HOSTCHAR, TOKEN, isWs } from './chars';
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
   * (§18.2.1; RFC 3581 §4). Other parameters keep their order and spelling.
   */
  stamped(sourceIp: string, sourcePort: number): string {
    const wantsRport = this.rport !== undefined;
    if (!wantsRport && hostAddressOf(this.host) === sourceIp.toLowerCase()) return this.raw;
    const raw = this.raw;
    const received = `;received=${sourceIp}`;
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

/** 1*DIGIT in s[from, to), at most 10 digits and `max`. */
function digitsAt(s: string, from: number, to: number, max: number): number | undefined {
  if (to === from || to - from > 10) return undefined;
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (DIGIT[c] !== 1) return undefined;
    n = n * 10 + (c - 0x30);
  }
  return n <= max ? n : undefined;
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

function skipWs(s: string, i: number, end: number): number {
  while (i < end && isWs(s.charCodeAt(i))) i++;
  return i;
}

function runEnd(cls: Uint8Array, s: string, i: number, end: number): number {
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c >= 128 || cls[c] === 0) break;
    i++;
  }
  return i;
}

function tokenEnd(s: string, i: number, end: number): number {
  return runEnd(TOKEN, s, i, end);
}

/** Is s[at, at + lit.length) the lower-case letters of `lit`, in any case? */
function isLower(s: string, at: number, lit: string): boolean {
  for (let k = 0; k < lit.length; k++) if ((s.charCodeAt(at + k) | 0x20) !== lit.charCodeAt(k)) return false;
  return true;
}

/** The transport token upper-case; the usual ones without a copy. */
function transportName(s: string, from: number, to: number): string {
  if (to - from === 3) {
    if (isLower(s, from, 'udp')) return 'UDP';
    if (isLower(s, from, 'tcp')) return 'TCP';
    if (isLower(s, from, 'tls')) return 'TLS';
  }
  return s.slice(from, to).toUpperCase();
}

/** One via-parm at the scanner; null on a syntax error. A hand loop over the value (RFC 3261 §25.1):
 *  via-parm = sent-protocol LWS sent-by *( SEMI via-params ), with LWS allowed around SLASH, COLON,
 *  SEMI and EQUAL; only the values routing reads are copied out of the header text. */
function viaAt(sc: Scanner): Via | null {
  const s = sc.s;
  const end = sc.end;
  const start = skipWs(s, sc.pos, end);
  let i: number;
  // sent-protocol = protocol-name SLASH protocol-version SLASH transport: the usual "SIP/2.0/" fast,
  // the general grammar (any case, LWS around the slashes) otherwise.
  if (start + 8 <= end && s.startsWith('SIP/2.0/', start)) {
    i = skipWs(s, start + 8, end);
  } else {
    sc.pos = start;
    const name = sc.token();
    if (name.toUpperCase() !== 'SIP' || !sc.eatSep(0x2f)) return null;
    if (sc.token() !== '2.0' || !sc.eatSep(0x2f)) return null;
    i = sc.pos;
  }
  const te = tokenEnd(s, i, end);
  if (te === i) return null;
  const transport = transportName(s, i, te);
  i = skipWs(s, te, end);
  // sent-by = host [ COLON port ]
  let host: string;
  if (i < end && s.charCodeAt(i) === 0x5b) {
    const close = s.indexOf(']', i);
    if (close < 0 || close >= end || !isIPv6(s.slice(i + 1, close))) return null;
    host = s.slice(i, close + 1);
    i = close + 1;
  } else {
    const he = runEnd(HOSTCHAR, s, i, end);
    if (he === i) return null;
    host = s.slice(i, he);
    i = he;
  }
  let port: number | undefined;
  let j = skipWs(s, i, end);
  if (j < end && s.charCodeAt(j) === 0x3a) {
    j = skipWs(s, j + 1, end);
    const de = runEnd(DIGIT, s, j, end);
    port = digitsAt(s, j, de, 65535);
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
    j = skipWs(s, i, end);
    if (j >= end || s.charCodeAt(j) !== 0x3b) break;
    const ns = skipWs(s, j + 1, end);
    const ne = tokenEnd(s, ns, end);
    if (ne === ns) return null;
    i = ne;
    let vs = -1;
    let quoted = false;
    j = skipWs(s, ne, end);
    if (j < end && s.charCodeAt(j) === 0x3d) {
      vs = skipWs(s, j + 1, end);
      if (vs < end && s.charCodeAt(vs) === 0x22) {
        sc.pos = vs;
        if (sc.quoted() === null) return null;
        i = sc.pos;
        quoted = true;
      } else {
        i = runEnd(GENVALUE, s, vs, end);
        if (i === vs) return null;
      }
    }
    // A known parameter never takes a quoted-string value.
    switch (ne - ns) {
      case 6:
        if (isLower(s, ns, 'branch')) {
          if (vs < 0 || quoted) return null;
          branch = s.slice(vs, i);
        }
        break;
      case 8:
        if (isLower(s, ns, 'received')) {
          if (vs < 0 || quoted) return null;
          received = s.slice(vs, i);
          const addr = received.charCodeAt(0) === 0x5b ? received.slice(1, -1) : received;
          if (!isIPv4(addr) && !isIPv6(addr)) return null;
          receivedStart = paramStart;
          receivedEnd = i - start;
        }
        break;
      case 5:
        if (isLower(s, ns, 'rport')) {
          if (quoted) return null;
          if (vs < 0) rport = null;
          else {
            rport = digitsAt(s, vs, i, 65535);
            if (rport === undefined) return null;
          }
          rportStart = paramStart;
          rportEnd = i - start;
        } else if (isLower(s, ns, 'maddr')) {
          if (vs < 0 || quoted) return null;
          maddr = s.slice(vs, i);
          if (!isHost(maddr)) return null;
        }
        break;
      case 3:
        if (isLower(s, ns, 'ttl')) {
          if (vs < 0 || quoted) return null;
          ttl = digitsAt(s, vs, i, 255);
          if (ttl === undefined) return null;
        }
        break;
    }
  }
  sc.pos = i;
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
 * The value may be read in place, as value[from, to) (a message's header text).
 */
export function parseViaList(value: string, into: Via[], from = 0, to = value.length): boolean {
  const sc = new Scanner(value, from, to);
  for (;;) {
    const v = viaAt(sc);
    if (v === null) return false;
    into.push(v);
    sc.skipWs();
    if (sc.atEnd()) return true;
    if (sc.peek() !== 0x2c) return false;
    sc.pos++;
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
