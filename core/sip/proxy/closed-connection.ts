// A callee's WebSocket that closes while its INVITE branch rings (RFC 7118 §5: no response can come any
// other way, and the browser will not come back on that flow): the branch ends as a 480 made up here,
// "Temporarily Unavailable (WebSocket closed)", the answer a call to a user whose browser has gone gets
// (not registered). It was a 503, which became "500 Server Internal Error (next hop unreachable)"
// upstream (§16.7 step 6), as if IMS Lab had failed. The phrase names the WebSocket, as an answered
// call's end does (CDR end_reason "WebSocket closed"); RFC 3326's Reason header is for requests (and
// RFC 6432's in responses carries Q.850 causes only), so the reason phrase says it.
import type { BranchFinal } from './best-response';

export const CLOSED_CONNECTION_PHRASE = 'Temporarily Unavailable (WebSocket closed)';

export const CLOSED_CONNECTION_FINAL: BranchFinal = {
  status: 480,
  response: undefined,
  reason: CLOSED_CONNECTION_PHRASE,
};
