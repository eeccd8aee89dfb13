// A sips: contact ("reach me over TLS", RFC 3261 §26.2.2, RFC 5630) that no TLS connection reaches: a
// phone that registered one over UDP and listens for no TLS, or one whose TLS listener is down. Its
// branch ended as a transport error, a 503 made up here that became "500 Server Internal Error (next hop
// unreachable)" upstream (§16.7 step 6), as if IMS Lab had failed; it now ends as a 480 whose phrase says
// why, as a sips: request for a phone with no TLS registration does (target-set.ts).
import type { Peer } from '../transport/peer';
import type { SipRequest } from '../message/index';
import type { BranchFinal } from './best-response';

export const SIPS_UNREACHABLE_PHRASE = 'Temporarily Unavailable (sips: contact unreachable over TLS)';

export const SIPS_UNREACHABLE_FINAL: BranchFinal = {
  status: 480,
  response: undefined,
  reason: SIPS_UNREACHABLE_PHRASE,
};

/** Did a branch to a sips: contact fail to reach it over TLS (its transport error)? */
export function sipsUnreachable(request: SipRequest | undefined, hop: Peer): boolean {
  return (
    hop.transport === 'TLS' && request?.requestUri.kind === 'sip' && request.requestUri.scheme === 'sips'
  );
}
