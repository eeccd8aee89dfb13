// SDP (RFC 8866 / RFC 4566): parse, read, summarize for CDRs, build offers.
export {
  SessionDescription,
  MediaDescription,
  type SdpLine,
  type SdpConnection,
  type RtpMap,
  type Direction,
} from './session';
export { parseSdp, SdpParseError } from './parse';
export { summarizeMedia, codecNames, type MediaSummary } from './media-summary';
export { buildOffer, DEFAULT_PAYLOADS, type OfferOptions, type OfferPayload } from './offer';
