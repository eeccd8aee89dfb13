// SDP (RFC 8866, formerly RFC 4566) kept as its lines, in order, so that serializing gives back what was
// parsed; typed readers on top for what IMS Lab needs: connection addresses (IPv4 and IPv6, RFC 5118
// §4.5-4.6), media types, ports, formats, rtpmap / fmtp (§6.6, §6.15), direction attributes (§6.7) and ptime.

export interface SdpLine {
  /** The one-letter type before "=". */
  readonly type: string;
  readonly value: string;
}

export interface SdpConnection {
  readonly netType: string;
  /** IP4 or IP6 (other address types are kept as written). */
  readonly addrType: string;
  /** The address without any /ttl or /count suffix. */
  readonly address: string;
}

export interface RtpMap {
  readonly payload: number;
  readonly encoding: string;
  /** Required by RFC 8866 §6.6, but some senders omit it (RFC 4475's wsinv does): undefined then. */
  readonly clockRate: number | undefined;
  readonly channels: number | undefined;
}

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
const DIRECTIONS: readonly string[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];

function attribute(lines: readonly SdpLine[], name: string): string | null | undefined {
  for (const l of lines) {
    if (l.type !== 'a') continue;
    const colon = l.value.indexOf(':');
    const n = colon < 0 ? l.value : l.value.slice(0, colon);
    if (n === name) return colon < 0 ? null : l.value.slice(colon + 1);
  }
  return undefined;
}

function attributes(lines: readonly SdpLine[], name: string): string[] {
  const out: string[] = [];
  const prefix = `${name}:`;
  for (const l of lines)
    if (l.type === 'a' && l.value.startsWith(prefix)) out.push(l.value.slice(prefix.length));
  return out;
}

function connection(lines: readonly SdpLine[]): SdpConnection | undefined {
  const c = lines.find((l) => l.type === 'c');
  if (c === undefined) return undefined;
  const [netType, addrType, addr] = c.value.split(' ') as [string, string, string];
  const slash = addrType === 'IP4' ? addr.indexOf('/') : -1;
  return { netType, addrType, address: slash < 0 ? addr : addr.slice(0, slash) };
}

function direction(lines: readonly SdpLine[]): Direction | undefined {
  for (const l of lines) if (l.type === 'a' && DIRECTIONS.includes(l.value)) return l.value as Direction;
  return undefined;
}

/** One media description: its m= line and the lines after it. */
export class MediaDescription {
  constructor(readonly lines: SdpLine[]) {}

  private get fields(): string[] {
    return this.lines[0]!.value.split(' ');
  }

  /** audio, video, text, application, message... */
  get type(): string {
    return this.fields[0]!;
  }

  get port(): number {
    return Number(this.fields[1]!.split('/')[0]);
  }

  /** RTP/AVP, RTP/SAVP, UDP/TLS/RTP/SAVPF... */
  get proto(): string {
    return this.fields[2]!;
  }

  /** Format list: RTP payload type numbers as strings for RTP protocols. */
  get formats(): string[] {
    return this.fields.slice(3);
  }

  /** The media-level connection, if any (else the session's applies). */
  get connection(): SdpConnection | undefined {
    return connection(this.lines);
  }

  attribute(name: string): string | null | undefined {
    return attribute(this.lines, name);
  }

  get rtpmaps(): RtpMap[] {
    const out: RtpMap[] = [];
    for (const v of attributes(this.lines, 'rtpmap')) {
      const m = /^(\d+)\s+([^/\s]+)(?:\/(\d+)(?:\/(\d+))?)?/.exec(v);
      if (m) {
        out.push({
          payload: Number(m[1]),
          encoding: m[2]!,
          clockRate: m[3] === undefined ? undefined : Number(m[3]),
          channels: m[4] === undefined ? undefined : Number(m[4]),
        });
      }
    }
    return out;
  }

  fmtp(payload: number | string): string | undefined {
    const prefix = `${payload} `;
    return attributes(this.lines, 'fmtp')
      .find((v) => v.startsWith(prefix))
      ?.slice(prefix.length);
  }

  /** a=ptime in milliseconds, if given. */
  get ptime(): number | undefined {
    const v = this.attribute('ptime');
    return v === null || v === undefined ? undefined : Number(v);
  }

  /** The direction attribute of this media, undefined when it has none (the session's then applies). */
  get ownDirection(): Direction | undefined {
    return direction(this.lines);
  }
}

/** A parsed session description. */
export class SessionDescription {
  constructor(
    /** Session-level lines, from v= up to the first m=. */
    readonly session: SdpLine[],
    readonly media: MediaDescription[],
  ) {}

  private value(type: string): string | undefined {
    return this.session.find((l) => l.type === type)?.value;
  }

  get origin(): { username: string; sessionId: string; sessionVersion: string; address: string } {
    const [username, sessionId, sessionVersion, , , address] = (this.value('o') ?? '').split(' ');
    return {
      username: username ?? '',
      sessionId: sessionId ?? '',
      sessionVersion: sessionVersion ?? '',
      address: address ?? '',
    };
  }

  get sessionName(): string {
    return this.value('s') ?? '';
  }

  /** The session-level connection (c=), if any. */
  get connection(): SdpConnection | undefined {
    return connection(this.session);
  }

  attribute(name: string): string | null | undefined {
    return attribute(this.session, name);
  }

  /** Where a media stream is sent: its own c= or the session's (§5.7). */
  connectionOf(m: MediaDescription): SdpConnection | undefined {
    return m.connection ?? this.connection;
  }

  /** The direction of a media stream: its own attribute, else the session's, else sendrecv (§6.7). */
  directionOf(m: MediaDescription): Direction {
    return m.ownDirection ?? direction(this.session) ?? 'sendrecv';
  }

  /** The SDP text, CRLF line ends. */
  toString(): string {
    let out = '';
    for (const l of this.session) out += `${l.type}=${l.value}\r\n`;
    for (const m of this.media) for (const l of m.lines) out += `${l.type}=${l.value}\r\n`;
    return out;
  }

  toBuffer(): Buffer {
    return Buffer.from(this.toString(), 'utf8');
  }
}
