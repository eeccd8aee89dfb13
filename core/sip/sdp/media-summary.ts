// What a call record says about media: the call type (AUDIO, VIDEO, AUDIO+VIDEO...) and the codecs, the
// original server's CDR conventions, plus whether the call is on hold (RFC 3264 §8.4: sendonly /
// inactive, or the old c=0.0.0.0 form).
import type { MediaDescription, SessionDescription } from './session';

/** RFC 3551 static RTP payload types (used when a format has no rtpmap). */
const STATIC_PAYLOADS: Record<string, string> = {
  '0': 'PCMU',
  '3': 'GSM',
  '4': 'G723',
  '5': 'DVI4',
  '6': 'DVI4',
  '7': 'LPC',
  '8': 'PCMA',
  '9': 'G722',
  '10': 'L16',
  '11': 'L16',
  '12': 'QCELP',
  '13': 'CN',
  '14': 'MPA',
  '15': 'G728',
  '16': 'DVI4',
  '17': 'DVI4',
  '18': 'G729',
  '25': 'CelB',
  '26': 'JPEG',
  '28': 'nv',
  '31': 'H261',
  '32': 'MPV',
  '33': 'MP2T',
  '34': 'H263',
};

export interface MediaSummary {
  /** Upper-case media types of active streams joined by "+": AUDIO, VIDEO, AUDIO+VIDEO. */
  callType: string;
  /** Codec names in offer order, de-duplicated (telephone-event and comfort noise left out). */
  codecs: string[];
  /** Every active stream is sendonly, recvonly or inactive, or sent to 0.0.0.0. */
  onHold: boolean;
}

/** A static payload's name; own keys only: a format is a peer's token (RFC 8866 §5.14), "constructor" too. */
function staticPayload(format: string): string | undefined {
  return Object.hasOwn(STATIC_PAYLOADS, format) ? STATIC_PAYLOADS[format] : undefined;
}

/** Codec names of one media description, in format order. */
export function codecNames(m: MediaDescription): string[] {
  const maps = new Map(m.rtpmaps.map((r) => [String(r.payload), r.encoding]));
  return m.formats.map((f) => maps.get(f) ?? staticPayload(f) ?? f);
}

export function summarizeMedia(sdp: SessionDescription): MediaSummary {
  const types: string[] = [];
  const codecs: string[] = [];
  let active = 0;
  let held = 0;
  for (const m of sdp.media) {
    if (m.port === 0) continue; // a rejected or disabled stream (RFC 3264 §5.1)
    active++;
    const type = m.type.toUpperCase();
    if (!types.includes(type)) types.push(type);
    for (const c of codecNames(m)) {
      if (/^(telephone-event|CN)$/i.test(c) || codecs.includes(c)) continue;
      codecs.push(c);
    }
    const dir = sdp.directionOf(m);
    const addr = sdp.connectionOf(m)?.address;
    if (dir !== 'sendrecv' || addr === '0.0.0.0') held++;
  }
  return { callType: types.join('+'), codecs, onHold: active > 0 && held === active };
}
