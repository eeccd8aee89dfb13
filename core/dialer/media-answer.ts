// What the far end's SDP answer (RFC 3264 §6) tells the dialer: where to send audio, with which G.711
// law (the first of PCMU/PCMA in the answer), and the telephone-event payload type if it took one.
import type { G711Law } from '../media/g711';
import { parseSdp, SdpParseError } from '../sip/sdp/index';

export interface AnsweredMedia {
  address: string;
  port: number;
  payloadType: number;
  law: G711Law;
  telephoneEvent?: number;
}

/** The media to send, or a reason why the answer does not allow it. */
export function answeredMedia(body: Buffer): AnsweredMedia | string {
  if (body.length === 0) return 'the answer has no SDP';
  const sdp = parseSdp(body);
  if (sdp instanceof SdpParseError) return `the answer's SDP is malformed: ${sdp.toString()}`;
  const audio = sdp.media.find((m) => m.type === 'audio' && m.port !== 0);
  if (audio === undefined) return 'the answer accepts no audio stream';
  const conn = sdp.connectionOf(audio);
  if (conn === undefined) return 'the answer has no connection address';
  const maps = audio.rtpmaps;
  const encodingOf = (f: string): string | undefined => {
    const pt = Number(f);
    const map = maps.find((r) => r.payload === pt);
    if (map !== undefined) return map.encoding.toUpperCase();
    return pt === 0 ? 'PCMU' : pt === 8 ? 'PCMA' : undefined;
  };
  for (const f of audio.formats) {
    const enc = encodingOf(f);
    if (enc !== 'PCMU' && enc !== 'PCMA') continue;
    const te = maps.find((r) => r.encoding.toLowerCase() === 'telephone-event');
    return {
      address: conn.address,
      port: audio.port,
      payloadType: Number(f),
      law: enc,
      telephoneEvent: te?.payload,
    };
  }
  return 'the answer accepts neither PCMU nor PCMA';
}
