// The requests an INVITE client transaction derives from its INVITE: the ACK for a non-2xx final
// response (§17.1.1.3, hop by hop, same branch) and a CANCEL (§9.1, same branch, sent while waiting).
// Both copy Request-URI, Call-ID, From, CSeq number, the top Via and the Route set from the INVITE.
import { writeOut } from '../message/out-buffer';
import type { SipRequest, SipResponse } from '../message/index';

function common(invite: SipRequest, method: 'ACK' | 'CANCEL', to: string): string {
  let out = `${method} ${invite.uri} SIP/2.0\r\nVia: ${invite.topVia.raw}\r\n`;
  out += `Max-Forwards: 70\r\nFrom: ${invite.header('from')!}\r\nTo: ${to}\r\n`;
  out += `Call-ID: ${invite.callId}\r\nCSeq: ${invite.cseq.seq} ${method}\r\n`;
  for (const route of invite.headerValues('route')) out += `Route: ${route}\r\n`;
  return `${out}Content-Length: 0\r\n\r\n`;
}

/** The ACK for a 300-699 response: To (with its tag) from the response, a single Via. */
export function ackForFailure(invite: SipRequest, response: SipResponse): Buffer {
  return writeOut(common(invite, 'ACK', response.header('to')!), undefined);
}

/** A CANCEL for a pending INVITE: To as in the INVITE (no tag). */
export function cancelFor(invite: SipRequest): Buffer {
  return writeOut(common(invite, 'CANCEL', invite.header('to')!), undefined);
}
