// Via (RFC 3261 §20.42, §25.1) with the parameters routing needs decoded at once: branch (§8.1.1.7),
// received (§18.2.1), rport (RFC 3581), maddr and ttl; the full parameter list on demand.
// sent-protocol allows LWS around its slashes and sent-by around the colon.
import { isIPv4, isIPv6 } from 'node:net';
import { DIGIT, GENVALUE, HOSTCHAR } from './chars';
import { Scanner, type Param } from './scanner';

/** The RFC 3261 magic cookie that marks a branch made by the §17 rules. */
export const BRANCH_COOKIE = 'z9hG4bK';

interface ParamSpan {
  readonly start: number;
  readonly end: number;
}

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
    /** Where the received and rport parameters lie in raw, from their ";" (undefined when absent). */
    private readonly receivedSpan: ParamSpan | undefined,
    private readonly rportSpan: ParamSpan | undefined,
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
    // Edit the later parameter first so that the earlier span stays valid.
    const edits: [ParamSpan, string][] = [];
    if (this.rportSpan !== undefined) edits.push([this.rportSpan, `;rport=${sourcePort}`]);
    if (this.receivedSpan !== undefined) edits.push([this.receivedSpan, `;received=${sourceIp}`]);
    if (edits.length === 2 && edits[0]![0].start < edits[1]![0].start) edits.reverse();
    let out = this.raw;
    for (const [span, text] of edits) out = out.slice(0, span.start) + text + out.slice(span.end);
    return this.receivedSpan !== undefined ? out : `${out};received=${sourceIp}`;
  }
}

function digits(s: string, max: number): number | undefined {
  if (s.length === 0 || s.length > 10) return undefined;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
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

/** One via-parm at the scanner; null on a syntax error. */
function viaAt(sc: Scanner): Via | null {
  sc.skipWs();
  const s = sc.s;
  const start = sc.pos;
  let transport: string;
  // Fast path for the usual "SIP/2.0/XXX " spelling; the general grammar below otherwise.
  if (s.startsWith('SIP/2.0/', start)) {
    sc.pos = start + 8;
    sc.skipWs();
    transport = sc.token().toUpperCase();
  } else {
    const name = sc.token();
    if (name.toUpperCase() !== 'SIP' || !sc.eatSep(0x2f)) return null;
    if (sc.token() !== '2.0' || !sc.eatSep(0x2f)) return null;
    transport = sc.token().toUpperCase();
  }
  if (transport === '') return null;
  sc.skipWs();
  let host: string;
  if (sc.peek() === 0x5b) {
    const close = s.indexOf(']', sc.pos);
    if (close < 0 || close >= sc.end) return null;
    host = s.slice(sc.pos, close + 1);
    sc.pos = close + 1;
  } else {
    host = sc.run(HOSTCHAR);
  }
  if (!isHost(host)) return null;
  let port: number | undefined;
  if (sc.eatSep(0x3a)) {
    port = digits(sc.run(DIGIT), 65535);
    if (port === undefined) return null;
  }
  const paramsAt = sc.pos - start;
  let branch: string | undefined;
  let received: string | undefined;
  let rport: number | null | undefined;
  let maddr: string | undefined;
  let ttl: number | undefined;
  let receivedSpan: ParamSpan | undefined;
  let rportSpan: ParamSpan | undefined;
  // via-params: each generic-param = token [EQUAL gen-value]; the known ones are checked.
  for (;;) {
    const paramStart = sc.pos - start;
    if (!sc.eatSep(0x3b)) break;
    const name = sc.token();
    if (name === '') return null;
    let value: string | null = null;
    if (sc.eatSep(0x3d)) {
      value = sc.peek() === 0x22 ? sc.quoted() : sc.run(GENVALUE);
      if (value === null || value === '') return null;
    }
    switch (name.length <= 8 ? name.toLowerCase() : '') {
      case 'branch':
        if (value === null || value.charCodeAt(0) === 0x22) return null;
        branch = value;
        break;
      case 'received': {
        if (value === null) return null;
        const addr = value.charCodeAt(0) === 0x5b ? value.slice(1, -1) : value;
        if (!isIPv4(addr) && !isIPv6(addr)) return null;
        received = value;
        receivedSpan = { start: paramStart, end: sc.pos - start };
        break;
      }
      case 'rport':
        rport = value === null ? null : digits(value, 65535);
        if (rport === undefined) return null;
        rportSpan = { start: paramStart, end: sc.pos - start };
        break;
      case 'maddr':
        if (value === null || !isHost(value)) return null;
        maddr = value;
        break;
      case 'ttl':
        ttl = value === null ? undefined : digits(value, 255);
        if (ttl === undefined) return null;
        break;
    }
  }
  return new Via(
    transport,
    host,
    port,
    branch,
    received,
    rport,
    maddr,
    ttl,
    s.slice(start, sc.pos),
    paramsAt,
    receivedSpan,
    rportSpan,
  );
}

/** Parses one Via header value (one or more comma-separated via-parms) into `into`; false on error. */
export function parseViaList(value: string, into: Via[]): boolean {
  const sc = new Scanner(value);
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
