// The requests an INVITE client transaction derives from its INVITE: the ACK for a non-2xx final
// response (§17.1.1.3, hop by hop, same branch) and a CANCEL (§9.1, same branch, sent while waiting).
// Both copy Request-URI, Call-ID, From, CSeq number, the top Via and the Route set from the INVITE, and
// are written by the request builder (§8.1.1).
import { buildRequest, type BuiltRequest, type SipRequest, type SipResponse } from '../message/index';

function companion(
  invite: SipRequest,
  method: 'ACK' | 'CANCEL',
  to: string,
  headers: [string, string][] = [],
): BuiltRequest {
  return buildRequest({
    method,
    uri: invite.uri,
    via: invite.topVia.raw,
    from: invite.header('from')!,
    to,
    callId: invite.callId,
    cseq: invite.cseq.seq,
    routes: invite.headerValues('route'),
    headers,
  });
}

/** The ACK for a 300-699 response: To (with its tag) from the response, a single Via. */
export function ackForFailure(invite: SipRequest, response: SipResponse): Buffer {
  return companion(invite, 'ACK', response.header('to')!).bytes;
}

/** A CANCEL for a pending INVITE: To as in the INVITE (no tag); `headers` such as Reason (RFC 3326). */
export function cancelRequest(invite: SipRequest, headers: [string, string][] = []): BuiltRequest {
  return companion(invite, 'CANCEL', invite.header('to')!, headers);
}
