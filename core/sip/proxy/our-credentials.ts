// RFC 3261 §22.3: the Proxy-Authorization values of our realm are consumed here, on every request the
// proxy forwards (§16.6: the copy is the request as received, less what this proxy takes out). Only on
// a challenged initial request did they go: an ACK for the 2xx (§13.2.2.4 repeats the INVITE's
// credentials) and in-dialog requests took a caller's digest response for our realm to the callee, who
// could then guess the password offline. Another realm's values (a proxy further on, an SBC, a carrier
// trunk that challenges too) MUST go on untouched.
import { parseAuthHeader } from '../auth/auth-params';
import type { SipRequest } from '../message/index';
import { fromWire } from '../message/message';

export class OurCredentials {
  constructor(private readonly auth: { readonly realm: string }) {}

  /** Removes our realm's Proxy-Authorization lines (none present: no work, the message's presence bit). */
  remove(req: SipRequest): void {
    req.removeHeaderLines('proxy-authorization', this.ours);
  }

  /** Made once: one predicate for every request (the realm is read each time: it may be reconfigured). */
  private readonly ours = (value: string): boolean =>
    parseAuthHeader(fromWire(value))?.params.get('realm') === this.auth.realm;
}
