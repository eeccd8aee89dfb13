// What the CDR keeps of an OPTIONS, answered by IMS Lab itself (RFC 3261 §11.2) or relayed to a user:
// who asked, from where, and the answer. The original wrote a row for every OPTIONS, keepalives
// included (§3.3); it answered them all itself, IMS Lab relays those for a user to the user's phones.
import type { OptionsEvent } from '../../calls/call';
import type { SipRequest } from '../message/index';
import type { Peer } from '../transport/peer';
import { partyOf } from './message-record';

export function optionsEvent(
  req: SipRequest,
  source: Peer,
  statusCode: number,
  statusText: string,
  /** When it arrived; for one IMS Lab answers at once, also when the answer went back. */
  at: number,
): OptionsEvent {
  const from = partyOf(req, 'from', source);
  let contact = '';
  try {
    contact = req.contacts[0]?.uriText ?? '';
  } catch {
    // A malformed Contact: the row is still written, without it.
  }
  return {
    callId: req.callId,
    cseq: `${req.cseq.seq} ${req.cseq.method}`,
    from: { ...from, contact },
    to: partyOf(req, 'to'),
    statusCode,
    statusText,
    sentAt: at,
    at,
  };
}
