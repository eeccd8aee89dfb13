// RFC 3263 §4.3: "If a 503 error response is received, the client SHOULD try the next element" — the
// next address of a next hop's name (two P-CSCFs, an SBC pair behind one name; next-hop.ts resolveHops).
// The response context (response-context.ts) replaces a branch to one address that answered 503 with a
// branch to the name's next address, a new client transaction (new branch, RFC 3261 §16.6 step 8; the
// 503's ACK is its INVITE transaction's own, §17.1.1.3). "If the 503 includes a Retry-After header, the
// client SHOULD NOT use that server for the period indicated": for this request it never is again (each
// address is tried once). Only a name's addresses: a device's other flows (RFC 5626 §5.3) are not tried
// after a response from the device, a 503 included.
import type { SipResponse } from '../message/index';
import { hopText, type Peer } from '../transport/peer';
import type { BranchFinal } from './best-response';

/**
 * Does this final from one address of a next hop's name move the request on to the next address? A 503
 * the address sent (one made up here for a transport error is response-context.ts failedFlow's), before
 * anything but 100: one that rang reached a device beyond the hop, which must not ring twice (§16.7 step
 * 5: its answer is the device's).
 */
export function overloadedAddress(final: BranchFinal, rang: boolean): boolean {
  return final.status === 503 && final.response !== undefined && !rang;
}

/**
 * The warning an address's 503 gets, as an unreachable address's does (response-context.ts madeUpFinal):
 * the hop, the request, the 503 with its Retry-After, and the address tried next, if any.
 */
export function overloadedText(
  hop: Peer,
  method: string,
  callId: string | undefined,
  response: SipResponse,
  next: Peer | undefined,
): string {
  const retryAfter = /^\s*(\d+)/.exec(response.header('retry-after') ?? '')?.[1];
  const answer = `503 ${response.reasonText}${retryAfter === undefined ? '' : ` (Retry-After ${retryAfter} s)`}`;
  return (
    `next hop answered ${answer}: ${hopText(hop)} for ${method} (Call-ID ${callId})` +
    (next === undefined ? '' : `; trying ${hopText(next)}`)
  );
}
