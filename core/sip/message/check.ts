// Decodes the header fields IMS Lab acts on, so that a malformed one is found before the message is
// handled (the 400 path: RFC 3261 §8.2.2, RFC 4475 §3.1.2).
//   'routing' is what a proxy uses to validate and forward (§16.3 step 1: those components MUST be
//   well-formed; others SHOULD be ignored and forwarded unchanged): Request-URI, Via, From and To
//   (with their tags), Call-ID, CSeq, Max-Forwards, Route and Proxy-Require, and the Contact of a
//   request that sets up a dialog or a registration (DIALOG_OR_BINDING: the call record, the NAT
//   judgement of its Record-Route and the binding read it; read late, a malformed one made a 400 or
//   480 counted nowhere, the call counted started with no record). Not Require (the UAS's,
//   §8.2.2.3; read, and a bad one refused, where IMS Lab is the UAS) nor Date: a proxied INVITE with
//   `Date: ... PST` was refused 400 (RFC 4475 §3.1.2.12: an element that does not use the Date may ignore
//   it).
//   'full' adds what a UAS or registrar reads: Require, Date, every URI inside From, To, Contact, Route
//   and Record-Route, Contact's form and Content-Type, and a second Content-Type, Expires or Min-Expires
//   (the parser leaves those to the element that uses them). Not a malformed Expires: it SHOULD be taken
//   as 3600 (§20.19), which the registrar does.
// After a message passes, the accessors this function touched can no longer throw.
import { SipParseError } from './errors';
import { displayName } from './header-names';
import { SipRequest, type SipMessage } from './message';

export type CheckScope = 'routing' | 'full';

/**
 * Requests whose Contact the proxy or registrar reads: the dialog-creating INVITE (RFC 3261 §12.1),
 * SUBSCRIBE (RFC 6665 §4.1.1) and REFER (RFC 3515 §2.4.1: it creates one too), and REGISTER (§10.3). A
 * response's is not checked: a 2xx is relayed whatever its Contact (§16.7 step 5).
 */
const DIALOG_OR_BINDING = new Set(['INVITE', 'SUBSCRIBE', 'REFER', 'REGISTER']);

/** Returns the first syntax problem of an already parsed message, or null when it is well-formed. */
export function checkMessage(msg: SipMessage, scope: CheckScope = 'full'): SipParseError | null {
  try {
    if (msg instanceof SipRequest) {
      const uri = msg.requestUri;
      // §19.1.1 (table 1): headers are not allowed in a Request-URI (RFC 4475 §3.1.2.11).
      if (uri.kind === 'sip' && uri.headers !== undefined) {
        const e = new SipParseError('start-line', 'Malformed Request-URI: headers are not allowed there');
        e.partial = msg;
        return e;
      }
      void msg.maxForwards;
      void msg.routes;
      msg.tokens('proxy-require');
    }
    void msg.via;
    const from = msg.from;
    const to = msg.to;
    void msg.callId;
    void msg.cseq;
    // After the headers every message needs, so that the first fault named is theirs (RFC 4475 §3.1.2.1).
    if (msg instanceof SipRequest && DIALOG_OR_BINDING.has(msg.method)) void msg.contacts;
    if (scope === 'full') {
      const twice = msg.duplicatedHeader;
      if (twice !== undefined)
        throw new SipParseError('duplicate-header', `Duplicate ${displayName(twice)} header`, 400, twice);
      if (msg instanceof SipRequest) msg.tokens('require');
      void msg.date;
      void from.uri;
      void to.uri;
      for (const c of msg.contacts) void c.uri;
      for (const r of msg.routes) void r.uri;
      for (const r of msg.recordRoutes) void r.uri;
      void msg.contentType;
    }
    return null;
  } catch (err) {
    const e = err instanceof SipParseError ? err : new SipParseError('header', 'Unparseable message');
    e.partial = msg;
    return e;
  }
}
