// Matching messages to transactions.
// Server side (§17.2.3): the top Via's branch and sent-by plus the method (ACK matches INVITE). A
// branch without the RFC 3261 magic cookie (or only the cookie, RFC 4475 §3.2.1) comes from an RFC 2543
// element: then the Request-URI, From tag, Call-ID, CSeq number and top Via identify it. The To tag
// is left out of that key so that the ACK (which carries our tag) matches its INVITE.
// Client side (§17.1.3): the top Via's branch (ours, unique) and the CSeq method.
import { BRANCH_COOKIE, type SipRequest, type SipResponse } from '../message/index';

export function hasRfc3261Branch(branch: string | undefined): branch is string {
  return branch !== undefined && branch.length > BRANCH_COOKIE.length && branch.startsWith(BRANCH_COOKIE);
}

/** Key of the server transaction a request belongs to; `method` overrides it (CANCEL → its INVITE). */
export function serverKey(req: SipRequest, method = req.method === 'ACK' ? 'INVITE' : req.method): string {
  const top = req.topVia;
  if (hasRfc3261Branch(top.branch))
    return `${top.branch}|${top.host.toLowerCase()}:${top.port ?? ''}|${method}`;
  return `2543|${req.uri}|${req.from.tag ?? ''}|${req.callId}|${req.cseq.seq}|${top.raw}|${method}`;
}

export function clientKey(branch: string, method: string): string {
  return `${branch}|${method}`;
}

/** Key of the client transaction a response belongs to, or undefined when its top Via has no branch. */
export function responseKey(res: SipResponse): string | undefined {
  const branch = res.topVia.branch;
  return branch === undefined ? undefined : clientKey(branch, res.cseq.method);
}
