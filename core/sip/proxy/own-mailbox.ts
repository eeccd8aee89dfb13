// Message waiting (RFC 3842, Event: message-summary): a phone subscribes to its own AOR's mailbox, which
// a voicemail server answers (an IMS S-CSCF routes it to one, as it answers Event: reg itself). IMS Lab
// has no voicemail: routed like any request for the user, the SUBSCRIBE went to every device of that
// user, the subscribing phone included (baresip's presence module answered 400 Bad Presence; baresip 1.0
// once sent tens of thousands of them). A user's subscription to its own mailbox is answered here instead:
//   RFC 6665 §8.3.2: 489 Bad Event, the package not served by this notifier, with Allow-Events (§8.2.2)
//   naming those it is (reg).
// One user's subscription to another user's message-summary is still routed to that user's phones (a
// test phone may be a notifier), as every other event package is.
import { unescape, uriParam, type SipRequest, type SipUri } from '../message/index';
import { ALLOW_EVENTS } from '../registrar/event-packages';
import type { LocalIdentity } from './local-identity';
import { packageOf } from './reg-event';
import type { Refusal } from './request-checks';

const MESSAGE_SUMMARY = 'message-summary';

/**
 * The 489 for an out-of-dialog SUBSCRIBE to `subscriber`'s own message-summary: its Request-URI names
 * that user's AOR at a domain of ours (not one device: a contact's own port, a GRUU) with no Route left
 * past us (one to a voicemail server goes there), or undefined for any other request. `subscriber` is the authenticated user, or the From user of our domain.
 */
export function ownMailboxRefusal(
  req: SipRequest,
  me: LocalIdentity,
  subscriber: string | undefined,
): Refusal | undefined {
  if (
    subscriber === undefined ||
    req.method !== 'SUBSCRIBE' ||
    packageOf(req.header('event') ?? '') !== MESSAGE_SUMMARY
  )
    return undefined;
  const uri = req.requestUri;
  if (uri.kind !== 'sip' || uri.user === undefined || unescape(uri.user) !== subscriber) return undefined;
  if (req.routes.length > 0 || !namesAor(uri, me)) return undefined;
  return {
    status: 489,
    reason: 'Bad Event (no voicemail here: message-summary is not served)',
    headers: [['Allow-Events', ALLOW_EVENTS.join(', ')]],
  };
}

/** A URI of our domain at no port or one of ours (another port names a device, §16.5), and no GRUU. */
function namesAor(uri: SipUri, me: LocalIdentity): boolean {
  if (!me.isOurDomain(uri) || uriParam(uri, 'gr') !== undefined) return false;
  return uri.port === undefined || me.isMe(uri.host, uri.port);
}
