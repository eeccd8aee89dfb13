// Route information preprocessing (RFC 3261 §16.4):
//  - a Request-URI that is a value we placed in a Record-Route means the previous element was a strict
//    router: the real Request-URI is the last Route value, which moves back (§16.4, §12.2.1.1);
//  - a top Route that points at us is removed (several in a row, e.g. our double Record-Route when
//    transports differ, RFC 5658).
// Returns the Route values it removed (ours), whose flow tokens may name the next hop (flow-token.ts).
// And the reverse on the way out (§16.6 step 6): a next hop that is a strict router gets the Request-URI
// it expects (strictNextHop).
import { uriParam, type SipRequest, type SipUri } from '../message/index';
import type { LocalIdentity } from './local-identity';

export function preprocessRoutes(req: SipRequest, me: LocalIdentity): SipUri[] {
  const popped: SipUri[] = [];
  const ruri = req.requestUri;
  if (ruri.kind === 'sip' && ruri.user === undefined && me.isMe(ruri.host, ruri.port)) {
    const routes = req.routes;
    const last = routes[routes.length - 1];
    if (last !== undefined && me.isRecordRouted(ruri)) {
      popped.push(ruri);
      req.setUri(last.uri.raw);
      removeLastRoute(req);
    }
  }
  for (;;) {
    const top = req.routes[0];
    if (top === undefined) return popped;
    const uri = top.uri;
    if (uri.kind !== 'sip' || !me.isMe(uri.host, uri.port)) return popped;
    popped.push(uri);
    req.removeFirstValue('route');
  }
}

function removeLastRoute(req: SipRequest): void {
  const kept = req.routes.slice(0, -1).map((r) => r.raw);
  req.removeHeader('route');
  for (const v of kept) req.appendHeader('Route', v);
}

/**
 * §16.6 step 6: when the first Route has no lr, the next hop is a strict router (RFC 2543): the
 * Request-URI goes last in Route, and the first Route value becomes the Request-URI.
 */
export function strictNextHop(req: SipRequest): void {
  const routes = req.routes;
  const first = routes[0];
  if (first === undefined || first.uri.kind !== 'sip' || uriParam(first.uri, 'lr') !== undefined) return;
  const rest = routes.slice(1).map((r) => r.raw);
  const target = req.uri;
  req.setUri(first.uri.raw);
  req.removeHeader('route');
  for (const v of rest) req.appendHeader('Route', v);
  req.appendHeader('Route', `<${target}>`);
}
