// What the far end's SDP answer (RFC 3264 §6) tells the dialer: where to send audio, with which G.711
// law (the first of PCMU/PCMA in the answer), in packets of which length (its a=ptime and a=maxptime),
// and the telephone-event payload type if it took one.
import type { G711Law } from '../media/g711';
import { parseSdp, SdpParseError, type MediaDescription, type SessionDescription } from '../sip/sdp/index';

export interface AnsweredMedia {
  address: string;
  port: number;
  payloadType: number;
  law: G711Law;
  telephoneEvent?: number;
  /**
   * The events its telephone-event takes (RFC 4733 §2.4.1: its fmtp's list, e.g. `0-11`; none given:
   * 0-15), as written and as a set of event codes.
   */
  events?: { text: string; codes: ReadonlySet<number> };
  /** The packetization interval to send with (ms): the answer's a=ptime, else 20 (packetTime). */
  ptimeMs: number;
  /** The answer's a=ptime as written, when it is none the dialer sends with (it sends 20 ms then). */
  ptimeRefused?: string;
  /** Where its RTCP goes when its a=rtcp says (RFC 3605 §2.1): the port, and the address when given. */
  rtcp?: { port: number; address?: string };
}

/**
 * An a=rtcp attribute (RFC 3605 §2.1: `a=rtcp:53020` or `a=rtcp:53020 IN IP4 192.0.2.4`): the port the
 * stream's RTCP goes to instead of the RTP port + 1, and the address instead of the connection's when it
 * names one; undefined when there is none, or it is not one (then RFC 3550 §11's port + 1 stands).
 */
export function rtcpAttribute(audio: MediaDescription): { port: number; address?: string } | undefined {
  const text = audio.attribute('rtcp');
  const m =
    text === null || text === undefined ? null : /^\s*(\d{1,5})(?:\s+IN\s+IP[46]\s+(\S+))?\s*$/.exec(text);
  if (m === null) return undefined;
  const port = Number(m[1]);
  if (port < 1 || port > 65535) return undefined;
  return m[2] === undefined ? { port } : { port, address: m[2] };
}

/**
 * The packet length to send G.711 with for a media description (RFC 3264 §6.1: an answer's a=ptime is the
 * interval its author wants to receive; RFC 8866 §6.4, §6.5): its a=ptime when that is 10 to 60 ms in steps
 * of 10, the lengths phones and gateways take for G.711; none given, 20 ms (RFC 3551 §4.5's default);
 * another value (25, 0.5, 200), 20 ms, the value kept for the call's Note. Never over its a=maxptime
 * (rounded down to a step of 10, 10 at least).
 */
export function packetTime(
  audio: MediaDescription,
  sdp: SessionDescription,
): { ptimeMs: number; ptimeRefused?: string } {
  const text = (audio.attribute('ptime') ?? sdp.attribute('ptime'))?.trim();
  const asked = text === undefined || text === '' ? undefined : Number(text);
  const usable =
    asked !== undefined && Number.isInteger(asked) && asked >= 10 && asked <= 60 && asked % 10 === 0;
  let ptimeMs = usable ? asked : 20;
  const max = Number((audio.attribute('maxptime') ?? sdp.attribute('maxptime'))?.trim());
  if (Number.isFinite(max) && max >= 10 && ptimeMs > max) ptimeMs = Math.floor(Math.min(max, 60) / 10) * 10;
  return usable || text === undefined || text === '' ? { ptimeMs } : { ptimeMs, ptimeRefused: text };
}

/** An fmtp event list (`0-11,13,15`, RFC 4733 §2.4.1); undefined when it is not one. */
function eventList(text: string): Set<number> | undefined {
  const codes = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^\s*(\d+)(?:\s*-\s*(\d+))?\s*$/.exec(part);
    if (m === null) return undefined;
    const from = Number(m[1]);
    const to = Math.min(Number(m[2] ?? m[1]), 255);
    for (let c = from; c <= to; c++) codes.add(c);
  }
  return codes;
}

/** The reason for an answer whose m= lines are not the offer's (RFC 3264 §6). */
export const M_LINES_MISMATCH = "the answer's m= lines do not match the offer's";

/**
 * The media to send, or a reason why the answer does not allow it. `offered`: how many m= lines our
 * offer had (its audio stream the first), for an answer to it: RFC 3264 §6, the answer has exactly as
 * many, matched by position. Without it (a re-INVITE's offer), its first audio stream in use.
 */
export function answeredMedia(body: Buffer, offered?: number): AnsweredMedia | string {
  if (body.length === 0) return 'the answer has no SDP';
  const sdp = parseSdp(body);
  if (sdp instanceof SdpParseError) return `the answer's SDP is malformed: ${sdp.toString()}`;
  if (offered !== undefined && sdp.media.length !== offered) return M_LINES_MISMATCH;
  const candidates = offered === undefined ? sdp.media : sdp.media.slice(0, 1);
  const audio = candidates.find((m) => m.type === 'audio' && m.port !== 0);
  if (audio === undefined) return 'the answer accepts no audio stream';
  const conn = sdp.connectionOf(audio);
  if (conn === undefined) return 'the answer has no connection address';
  const maps = audio.rtpmaps;
  const encodingOf = (f: string): string | undefined => {
    const pt = Number(f);
    const map = maps.find((r) => r.payload === pt);
    if (map === undefined) return pt === 0 ? 'PCMU' : pt === 8 ? 'PCMA' : undefined;
    // RFC 3551 §4.5.14: G.711 is 8000 Hz; what we send is one channel. PCMA/8000/2 or PCMU/16000 is
    // another format (§4.1: interleaved channels), which 160-byte mono packets would garble.
    if ((map.clockRate ?? 8000) !== 8000 || (map.channels ?? 1) !== 1) return undefined;
    return map.encoding.toUpperCase();
  };
  for (const f of audio.formats) {
    const enc = encodingOf(f);
    if (enc !== 'PCMU' && enc !== 'PCMA') continue;
    const te = maps.find((r) => r.encoding.toLowerCase() === 'telephone-event');
    const fmtp = te === undefined ? undefined : audio.fmtp(te.payload)?.trim();
    const codes = fmtp === undefined ? undefined : eventList(fmtp);
    const rtcp = rtcpAttribute(audio);
    return {
      address: conn.address,
      port: audio.port,
      payloadType: Number(f),
      law: enc,
      ...packetTime(audio, sdp),
      ...(rtcp === undefined ? {} : { rtcp }),
      telephoneEvent: te?.payload,
      ...(te === undefined ? {} : { events: { text: fmtp ?? '0-15', codes: codes ?? eventList('0-15')! } }),
    };
  }
  return 'the answer accepts neither PCMU nor PCMA';
}
