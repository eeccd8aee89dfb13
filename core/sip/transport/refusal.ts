// The answer to a message that did not parse or check (§8.2.2, §21.4.1 "the reason phrase SHOULD
// identify the syntax problem in more detail"): a request (not an ACK) whose Via could be located gets
// its 400 (505, 513) with the fault named, e.g. "400 Missing Call-ID header"; the response copies
// whichever of Via, From, To, Call-ID and CSeq are there (§8.2.6) and goes back to the source. Responses,
// and bytes where no Via could be found, are dropped (counted by the transport).
import {
  buildResponse,
  SipRequest,
  statelessTag,
  type SipMessage,
  type SipParseError,
} from '../message/index';

export function answerable(m: SipMessage | undefined): m is SipRequest {
  return m instanceof SipRequest && m.method !== 'ACK' && m.indexOf('via') >= 0;
}

/** The bytes to send back for a malformed message, or undefined when it cannot be answered. */
export function refusalFor(error: SipParseError): Buffer | undefined {
  const partial = error.partial;
  if (!answerable(partial)) return undefined;
  return buildResponse(partial, error.status, { reason: error.reason, toTag: statelessTag() });
}
