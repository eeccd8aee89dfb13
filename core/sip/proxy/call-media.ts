// A call's media from its SDP (RFC 4566) offer/answer (RFC 3264): kinds of active streams, codecs, and
// the audio direction (a hold shows as sendonly/inactive, or the old c=0.0.0.0 form, §8.4).
import type { CallMedia } from '../../calls/call';
import type { SipMessage } from '../message/index';
import { parseSdp, SdpParseError } from '../sdp/parse';
import { summarizeMedia } from '../sdp/media-summary';

/** The media an SDP body describes; undefined when the message has no (parsable) SDP. */
export function mediaOf(msg: SipMessage): CallMedia | undefined {
  const type = msg.contentType;
  if (type === undefined || msg.body.length === 0) return undefined;
  if (`${type.type}/${type.subtype}`.toLowerCase() !== 'application/sdp') return undefined;
  const sdp = parseSdp(msg.body);
  if (sdp instanceof SdpParseError) return undefined;
  const summary = summarizeMedia(sdp);
  const audio = sdp.media.find((m) => m.type === 'audio' && m.port !== 0);
  let direction: string = audio === undefined ? 'inactive' : sdp.directionOf(audio);
  if (audio !== undefined && sdp.connectionOf(audio)?.address === '0.0.0.0') direction = 'inactive';
  return {
    kinds: summary.callType === '' ? [] : summary.callType.toLowerCase().split('+'),
    codecs: summary.codecs,
    direction,
  };
}
