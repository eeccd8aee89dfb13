// Building an SDP offer (RFC 3264 §5) for IMS Lab's own user agent: one audio stream with the given
// payload types (G.711 µ-law and A-law by default, plus RFC 4733 telephone-event).
import { isIPv6 } from 'node:net';
import { SdpParseError, parseSdp } from './parse';
import type { SessionDescription } from './session';

export interface OfferPayload {
  payload: number;
  encoding: string;
  clockRate: number;
  fmtp?: string;
}

export interface OfferOptions {
  address: string;
  port: number;
  /** Payload types in preference order, each written with its rtpmap (and fmtp when given). */
  payloads?: readonly OfferPayload[];
  sessionId?: string;
  sessionVersion?: number;
  direction?: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
  ptime?: number;
  username?: string;
}

export const DEFAULT_PAYLOADS: readonly OfferPayload[] = [
  { payload: 0, encoding: 'PCMU', clockRate: 8000 },
  { payload: 8, encoding: 'PCMA', clockRate: 8000 },
  { payload: 101, encoding: 'telephone-event', clockRate: 8000, fmtp: '0-16' },
];

export function buildOffer(o: OfferOptions): SessionDescription {
  const ipv = isIPv6(o.address) ? 'IP6' : 'IP4';
  const payloads = o.payloads ?? DEFAULT_PAYLOADS;
  const id = o.sessionId ?? String(Date.now());
  const lines = [
    'v=0',
    `o=${o.username ?? 'imslab'} ${id} ${o.sessionVersion ?? 1} IN ${ipv} ${o.address}`,
    's=IMS Lab',
    `c=IN ${ipv} ${o.address}`,
    't=0 0',
    `m=audio ${o.port} RTP/AVP ${payloads.map((p) => p.payload).join(' ')}`,
  ];
  for (const p of payloads) {
    lines.push(`a=rtpmap:${p.payload} ${p.encoding}/${p.clockRate}`);
    if (p.fmtp !== undefined) lines.push(`a=fmtp:${p.payload} ${p.fmtp}`);
  }
  lines.push(`a=ptime:${o.ptime ?? 20}`, `a=${o.direction ?? 'sendrecv'}`);
  const sdp = parseSdp(lines.join('\r\n'));
  if (sdp instanceof SdpParseError) throw new Error(`invalid offer options: ${sdp.toString()}`);
  return sdp;
}
