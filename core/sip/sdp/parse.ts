// Parsing SDP text (RFC 8866 §5): "<type>=<value>" lines, v= first, then the session section, then media
// sections each opened by m=. A malformed description gives a typed error naming the line, never throws.
import { isIPv4, isIPv6 } from 'node:net';
import { MediaDescription, SessionDescription, type SdpLine } from './session';

export class SdpParseError {
  readonly isSdpParseError = true;
  constructor(
    readonly reason: string,
    /** 1-based line number of the problem, 0 when it is about the whole description. */
    readonly line: number,
  ) {}

  toString(): string {
    return this.line > 0 ? `SDP line ${this.line}: ${this.reason}` : `SDP: ${this.reason}`;
  }
}

const MEDIA_LINE = /^[a-z][a-z0-9-]* \d+(\/\d+)? [A-Za-z0-9/_.+-]+( [^ ]+)+$/i;

function checkConnection(value: string, n: number): SdpParseError | undefined {
  const parts = value.split(' ');
  if (parts.length !== 3 || parts[0] !== 'IN') return new SdpParseError(`bad c= line "${value}"`, n);
  const [, addrType, addr] = parts as [string, string, string];
  const address = addr.split('/')[0]!;
  if (addrType === 'IP4' && !isIPv4(address) && !/^[A-Za-z0-9.-]+$/.test(address))
    return new SdpParseError(`bad IP4 address "${address}"`, n);
  if (addrType === 'IP6' && !isIPv6(address) && !/^[A-Za-z0-9.-]+$/.test(address))
    return new SdpParseError(`bad IP6 address "${address}"`, n);
  return undefined;
}

/** Parses an SDP body (bytes as UTF-8, or text). */
export function parseSdp(input: Buffer | string): SessionDescription | SdpParseError {
  const text = typeof input === 'string' ? input : input.toString('utf8');
  const rawLines = text.split(/\r?\n/);
  while (rawLines.length > 0 && rawLines[rawLines.length - 1] === '') rawLines.pop();
  if (rawLines.length === 0) return new SdpParseError('empty description', 0);
  const session: SdpLine[] = [];
  const media: MediaDescription[] = [];
  let current: SdpLine[] | undefined;
  for (let i = 0; i < rawLines.length; i++) {
    const raw = rawLines[i]!;
    const n = i + 1;
    if (raw.length < 2 || raw.charCodeAt(1) !== 0x3d || !/^[a-z]$/.test(raw[0]!)) {
      return new SdpParseError(`not a "<type>=<value>" line: "${raw.slice(0, 40)}"`, n);
    }
    const line: SdpLine = { type: raw[0]!, value: raw.slice(2) };
    if (i === 0 && (line.type !== 'v' || line.value !== '0'))
      return new SdpParseError('the first line must be v=0', n);
    if (line.type === 'm') {
      if (!MEDIA_LINE.test(line.value)) return new SdpParseError(`bad m= line "${line.value}"`, n);
      current = [line];
      media.push(new MediaDescription(current));
      continue;
    }
    if (line.type === 'c') {
      const bad = checkConnection(line.value, n);
      if (bad) return bad;
    }
    (current ?? session).push(line);
  }
  if (!session.some((l) => l.type === 'o')) return new SdpParseError('missing o= line', 0);
  return new SessionDescription(session, media);
}
