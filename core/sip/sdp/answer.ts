// Answering an offer inside a call (RFC 3264 §6): the audio stream's direction mirrored (§6.1: sendonly
// is answered recvonly, recvonly sendonly, inactive inactive), and only the formats of ours the offer
// has, under the offer's payload type numbers (§6.1: a dynamic type keeps the offerer's number). A format
// is ours only at our clock rate and with one channel (RFC 3551 §4.1: PCMA/8000/2 is another format), and
// an offer with no audio codec of ours (telephone-event alone) has no answer (the re-INVITE gets 488).
import { buildOffer, DEFAULT_PAYLOADS, type OfferOptions, type OfferPayload } from './offer';
import { parseSdp, SdpParseError } from './parse';
import type { Direction, SessionDescription } from './session';

const MIRRORED: Readonly<Record<Direction, Direction>> = {
  sendrecv: 'sendrecv',
  sendonly: 'recvonly',
  recvonly: 'sendonly',
  inactive: 'inactive',
};

/** The answer to `offer` from our `base` (address, port, session); undefined when there is no audio we share. */
export function answerTo(
  offer: Buffer,
  base: Omit<OfferOptions, 'payloads' | 'direction'>,
): SessionDescription | undefined {
  const sdp = parseSdp(offer.toString('latin1'));
  if (sdp instanceof SdpParseError) return undefined;
  const audio = sdp.media.find((m) => m.type === 'audio');
  if (audio === undefined) return undefined;
  const payloads: OfferPayload[] = [];
  for (const format of audio.formats) {
    const pt = Number(format);
    const map = audio.rtpmaps.find((r) => r.payload === pt);
    const ours = DEFAULT_PAYLOADS.find((p) =>
      map === undefined
        ? p.payload === pt && pt < 96 // a static type without rtpmap (§6: 0 PCMU, 8 PCMA)
        : p.encoding.toLowerCase() === map.encoding.toLowerCase() &&
          (map.clockRate ?? 8000) === p.clockRate &&
          (map.channels ?? 1) === 1,
    );
    if (ours !== undefined) payloads.push({ ...ours, payload: pt });
  }
  if (!payloads.some((p) => p.encoding.toLowerCase() !== 'telephone-event')) return undefined;
  return buildOffer({ ...base, payloads, direction: MIRRORED[sdp.directionOf(audio)] });
}

/** Does the far end say it sends with this SDP of theirs (sendrecv or sendonly, RFC 3264 §6.1)? */
export function farEndSends(sdp: SessionDescription): boolean {
  const audio = sdp.media.find((m) => m.type === 'audio' && m.port !== 0);
  if (audio === undefined) return false;
  const d = sdp.directionOf(audio);
  return d === 'sendrecv' || d === 'sendonly';
}

/** May we send to the far end with this SDP of theirs (it receives: sendrecv or recvonly)? */
export function farEndReceives(sdp: SessionDescription): boolean {
  const audio = sdp.media.find((m) => m.type === 'audio');
  if (audio === undefined) return false;
  const d = sdp.directionOf(audio);
  const c = audio.connection ?? sdp.connection;
  return (d === 'sendrecv' || d === 'recvonly') && c?.address !== '0.0.0.0';
}
