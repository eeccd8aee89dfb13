// The SIP event packages IMS Lab itself is the notifier of, for Allow-Events (RFC 6665 §8.2.2):
//   reg   RFC 3680, the registrar's own (proxy/reg-event.ts)
// An OPTIONS to IMS Lab lists them, and so does the 489 to a SUBSCRIBE it answers itself for a package it
// does not serve (proxy/own-mailbox.ts).
export const ALLOW_EVENTS: readonly string[] = ['reg'];
