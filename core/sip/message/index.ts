// The SIP message layer (RFC 3261 §7, §19, §20, §25): parse, inspect, edit, serialize.
export { SIP_PARSE_ERROR_KINDS, SipParseError, type SipParseErrorKind } from './errors';
export { canonicalName, displayName } from './header-names';
export { SipMessage, SipRequest, SipResponse, HeaderField } from './message';
export { parseMessage, DEFAULT_MAX_SIZE, type ParseOptions } from './parser';
export { checkMessage, type CheckScope } from './check';
export { SipStreamFramer, type StreamItem } from './stream';
export { buildResponse, type ResponseOptions } from './response';
export { buildRequest, type RequestFields, type BuiltRequest } from './request';
export { reasonPhrase } from './status-codes';
export { randomToken, newTag, newBranch, newCallId, statelessTag, isStatelessTag } from './ids';
export { sipUriEquals } from './uri-compare';
export { detached } from './detached';
export { keptText, KEPT_TEXT_CHARS, CUT_MARK } from './kept-text';
export {
  parseUri,
  uriParam,
  escapeUser,
  unescape,
  hostAddress,
  isIpHost,
  formatSipUri,
  type Uri,
  type SipUri,
  type TelUri,
  type OtherUri,
} from './uri';
export { NameAddr, parseNameAddr, parseNameAddrList, formatNameAddr } from './name-addr';
export { Via, parseViaList, formatVia, BRANCH_COOKIE, withoutZone, sentFromElsewhere } from './via';
export { paramValue, formatParams, quote, unquote, type Param } from './scanner';
export type { CSeq, MediaType } from './scalar-headers';
export { bodyPart } from './body-part';
export { typedUser } from './typed-user';
export { subscriberNumber, userNumber, withoutSeparators } from './phone-number';
