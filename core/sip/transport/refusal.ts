// The answer to a message that did not parse or check (§8.2.2, §21.4.1 "the reason phrase SHOULD
// identify the syntax problem in more detail"): a request (not an ACK) whose Via could be located gets
// its 400 (505, 513) with the fault named, e.g. "400 Missing Call-ID header"; the response copies
// whichever of Via, From, To, Call-ID and CSeq are there (§8.2.6), its top Via with received and rport
// as any request's (§18.2.1, RFC 3581 §4) when that Via reads, and goes back to the source. Responses,
// and bytes where no Via could be found, are dropped (counted by the transport).
import {
  buildResponse,
  SipRequest,
  statelessTag,
  type SipMessage,
  type SipParseError,
  type Via,
} from '../message/index';
import type { Peer } from './peer';

export function answerable(m: SipMessage | undefined): m is SipRequest {
  return m instanceof SipRequest && m.method !== 'ACK' && m.indexOf('via') >= 0;
}

/**
 * The bytes to send back for a malformed message, or undefined when it cannot be answered. `source`: where
 * it came from, stamped in its top Via (the 400 told a client behind a NAT nothing of its address).
 */
export function refusalFor(error: SipParseError, source?: Peer): Buffer | undefined {
  const partial = error.partial;
  if (!answerable(partial)) return undefined;
  if (source !== undefined) stampSource(partial, source);
  return buildResponse(partial, error.status, { reason: error.reason, toTag: statelessTag() });
}

/** §18.2.1 / RFC 3581 §4 on the partial request, as the transport does for a well-formed one. */
function stampSource(partial: SipRequest, source: Peer): void {
  let top: Via | undefined;
  try {
    top = partial.via[0];
  } catch {
    return; // a Via is the fault: it goes back as it came
  }
  if (top === undefined) return;
  const stamped = top.stamped(source.address, source.port);
  if (stamped !== top.raw) partial.replaceTopVia(stamped);
}

/**
 * Where a refusal goes (RFC 3261 §18.2.2): back over the connection it came on; over UDP to the source
 * address (the "received" the request would have been given) at the top Via's sent-by port, or at the
 * source port when the Via asks for rport (RFC 3581 §4) or cannot be read.
 */
export function refusalTarget(error: SipParseError, source: Peer): Peer {
  if (source.transport !== 'UDP') return source;
  let via: Via | undefined;
  try {
    via = error.partial instanceof SipRequest ? error.partial.via[0] : undefined;
  } catch {
    return source; // the Via is the fault
  }
  if (via === undefined || via.rport !== undefined) return source;
  const port = via.port ?? 5060;
  return port === source.port ? source : { ...source, port };
}
