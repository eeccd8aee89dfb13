// A call's media from its SDP (RFC 4566) offer/answer (RFC 3264): kinds of active streams, codecs, and
// the audio direction (a hold shows as sendonly/inactive, or the old c=0.0.0.0 form, §8.4).
import type { CallMedia } from '../../calls/call';
import { bodyPart, type SipMessage } from '../message/index';
import { lateRead } from './late-read';
import { parseSdp, SdpParseError } from '../sdp/parse';
import { summarizeMedia } from '../sdp/media-summary';

/**
 * Summaries of the bodies seen lately, by their text: a load generator (SIPp) or a phone re-offering sends
 * the same SDP call after call, and reading it costs about 10 µs, a call's INVITE and 200 each. The
 * summaries are frozen, shared by every call that offered the same bytes. Bounded: emptied when full.
 */
const recent = new Map<string, CallMedia | null>();
const RECENT_MAX = 64;
/** Longer bodies are read each time (rare, and not worth holding). */
const RECENT_BODY_MAX = 2048;

/**
 * The media an SDP body describes; undefined when the message has no (parsable) SDP, a malformed
 * Content-Type included (read late: a relayed 18x or 2xx carrying one left its call half-updated).
 */
export function mediaOf(msg: SipMessage): CallMedia | undefined {
  const body = sdpBody(msg);
  if (body === undefined) return undefined;
  if (body.length > RECENT_BODY_MAX) return readMedia(body);
  const text = body.toString('latin1');
  let media = recent.get(text);
  if (media === undefined) {
    media = readMedia(body) ?? null;
    if (recent.size >= RECENT_MAX) recent.clear();
    recent.set(text, media);
  }
  return media ?? undefined;
}

/** The SDP of a message: its body, or its application/sdp part in a multipart one (RFC 5621: SIP-I, PIDF-LO beside it). */
function sdpBody(msg: SipMessage): Buffer | undefined {
  const type = lateRead(() => msg.contentType, undefined);
  if (type === undefined || msg.body.length === 0) return undefined;
  const body = bodyPart(type, msg.body, 'application/sdp');
  return body === undefined || body.length === 0 ? undefined : body;
}

/**
 * RFC 3264 §6.1: an answer's codecs must be among the offer's; those that are not (names compared
 * without case). None when the offer listed no codec (a late offer: the 2xx made it).
 */
export function unofferedCodecs(offer: CallMedia, answer: CallMedia): string[] {
  if (offer.codecs.length === 0) return [];
  const offered = new Set(offer.codecs.map((c) => c.toLowerCase()));
  return answer.codecs.filter((c) => !offered.has(c.toLowerCase()));
}

/** Does the message carry an SDP body at all (readable or not)? */
export function hasSdp(msg: SipMessage): boolean {
  return sdpBody(msg) !== undefined;
}

/**
 * Why a message's SDP cannot be read, e.g. `SDP line 4: bad m= line "audio abc RTP/AVP"`; undefined
 * when it has none, or one mediaOf reads. Only asked once mediaOf gave nothing: not on the path of a
 * call whose SDP is fine.
 */
export function sdpProblem(msg: SipMessage): string | undefined {
  const body = sdpBody(msg);
  if (body === undefined) return undefined;
  const sdp = parseSdp(body);
  return sdp instanceof SdpParseError ? sdp.toString() : undefined;
}

function readMedia(body: Buffer): CallMedia | undefined {
  const sdp = parseSdp(body);
  if (sdp instanceof SdpParseError) return undefined;
  const summary = summarizeMedia(sdp);
  const audio = sdp.media.find((m) => m.type === 'audio' && m.port !== 0);
  let direction: string = audio === undefined ? 'inactive' : sdp.directionOf(audio);
  if (audio !== undefined && sdp.connectionOf(audio)?.address === '0.0.0.0') direction = 'inactive';
  const kinds = summary.callType === '' ? [] : summary.callType.toLowerCase().split('+');
  return Object.freeze({
    kinds: Object.freeze(kinds) as string[],
    codecs: Object.freeze(summary.codecs) as string[],
    direction,
  });
}
