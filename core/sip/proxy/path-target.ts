// Where a request for a binding registered with a Path goes (RFC 3327 §5.4, the home proxy): the
// Request-URI becomes the registered contact as for any binding (RFC 3261 §16.5, §16.6 step 2), the
// stored path vector becomes the request's preloaded Route set, ahead of any Route it still has (§5.4;
// RFC 3261 §16.6 step 6), and the request goes to the first Path URI (§16.6 step 7, next-hop.ts): an
// edge proxy (a P-CSCF) that registered the UA on its behalf. Never to the binding's source address or
// down the connection the REGISTER came over (binding-target.ts, flow-token.ts): those are the edge
// proxy's side of its hop to us, and the path decides. A first Path URI without lr is a strict router:
// the forwarding rewrites the Request-URI for it (route-preprocess.ts strictNextHop).
import { parseNameAddrList, type SipRequest, type SipUri } from '../message/index';
import type { Binding } from '../registrar/binding';
import type { Target } from './binding-target';
import { literalHop, resolveHops, type HopResolver } from './next-hop';

/** The URI of the first Path value; undefined when there is none or it is not a SIP URI. */
function firstHopUri(path: readonly string[]): SipUri | undefined {
  const first = path[0];
  const values = first === undefined ? null : parseNameAddrList(first, 'Path');
  try {
    const uri = values?.[0]?.uri;
    return uri !== undefined && uri.kind === 'sip' ? uri : undefined;
  } catch {
    return undefined; // a stored value that no longer reads: the binding cannot be reached
  }
}

/**
 * The target of a binding with a path, when its first Path URI names an address; undefined when it names
 * a host still to resolve (resolvedPathTarget) or cannot be read.
 */
export function pathTarget(b: Binding, path: readonly string[]): Target | undefined {
  const uri = firstHopUri(path);
  const hop = uri === undefined ? undefined : literalHop(uri);
  return hop === undefined ? undefined : { uri: b.contact, hop, binding: b, route: path };
}

/** The same for any first Path URI, a host name resolved; undefined when it does not resolve. */
export async function resolvedPathTarget(b: Binding, resolver: HopResolver): Promise<Target | undefined> {
  if (b.path === undefined) return undefined;
  const uri = firstHopUri(b.path);
  if (uri === undefined) return undefined;
  try {
    // RFC 3263 §4.3: an edge proxy's name with several addresses: the others tried in turn should the
    // first fail or answer 503 (response-context.ts, address-failover.ts).
    const route = b.path;
    const [hop, ...others] = await resolveHops(uri, resolver);
    const target: Target = { uri: b.contact, hop: hop!, binding: b, route };
    if (others.length > 0) target.alternates = others.map((h) => ({ ...target, hop: h, sameName: true }));
    return target;
  } catch {
    return undefined;
  }
}

/** RFC 3327 §5.4: the path vector goes ahead of the Route values the request has, one Route per value. */
export function pushRoutes(req: SipRequest, route: readonly string[]): void {
  const rest = req.routes.map((r) => r.raw);
  req.removeHeader('route');
  for (const v of route) req.appendHeader('Route', v);
  for (const v of rest) req.appendHeader('Route', v);
}
