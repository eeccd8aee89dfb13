// RFC 3261 §16.6 steps 1-8 for one target: the copy of a request the proxy sends on one branch, with its
// Request-URI, the binding's path, Record-Route (flow tokens, RFC 5626 §5.3; two entries, RFC 5658) and
// our Via. proxy.ts prepares one per target, and one per other flow of the target's device (RFC 5626
// §5.3: the branch's replacement should its flow fail, response-context.ts).
import { parseMessage, type SipRequest } from '../message/index';
import type { Peer } from '../transport/peer';
import { flowToken } from './flow-token';
import type { LocalIdentity } from './local-identity';
import { proxyBranch } from './loop-hash';
import { pushRoutes } from './path-target';
import type { Forward } from './response-context';
import { strictNextHop } from './route-preprocess';
import type { Onward } from './target-set';

/** What every copy of one request is made with, read once for all its targets. */
export interface Forwarding {
  /** The request as it reached us, Max-Forwards already decremented (step 3). */
  req: SipRequest;
  source: Peer;
  me: LocalIdentity;
  /** Step 4: Record-Route this request. */
  recordRoute: boolean;
  /** The sender is behind a NAT (target-set.ts senderBehindNat): our entry facing it names its flow. */
  natted: boolean;
  /** The dialog's mark on our Record-Route (dialog-token.ts). */
  mark: string | undefined;
  /** The request still has a Route once ours were popped (step 6 may apply). */
  viaRoute: boolean;
}

/** A sips: URI (RFC 3261 §19.1: schemes are case-insensitive). */
const SIPS = /^sips:/i;

/** The request for one target, ready to send (its alternates, if any, are the caller's to add). */
export function prepared(f: Forwarding, t: Onward): Forward {
  const { req, source, me } = f;
  // Step 1: a copy per target. Never the original: the server transaction answers from it (a made-up
  // 408 or 500), and that answer must not carry the Via we add below.
  const copy = parseMessage(req.toBuffer()) as SipRequest;
  const branch = proxyBranch(copy); // loop hash over the request as it reached us
  if (t.uri !== undefined) copy.setUri(t.uri); // step 2
  if (t.route !== undefined) pushRoutes(copy, t.route); // RFC 3327 §5.4: the binding's path
  if (f.viaRoute || t.route !== undefined) strictNextHop(copy); // step 6
  if (f.recordRoute) {
    // Step 4; RFC 5658: two entries when the request changes transport or address family (each side
    // names the address it reaches us at), or when a side is reached over a connection its entry
    // must name (RFC 5626 §5.3 flow token, flow-token.ts).
    const inFlow = flowToken(source, f.natted);
    const outFlow = flowToken(t.hop, t.nat === true);
    const secure = SIPS.test(req.uri) || SIPS.test(copy.uri); // as received, or retargeted
    if (
      source.transport !== t.hop.transport ||
      inFlow !== undefined ||
      outFlow !== undefined ||
      me.differs(source.address, t.hop.address)
    )
      copy.prependHeader(
        'Record-Route',
        me.recordRoute(source.transport, inFlow, source.address, secure, f.mark),
      );
    copy.prependHeader(
      'Record-Route',
      me.recordRoute(t.hop.transport, outFlow, t.hop.address, secure, f.mark),
    );
  }
  copy.prependHeader('Via', me.via(t.hop.transport, branch, t.hop.address)); // step 8
  copy.ensureContentLength(); // a datagram may lack it; a stream must not (§18.3, §20.14)
  // RFC 3263 §4.3: another address of a name is tried after a 503 too (address-failover.ts).
  return t.sameName === true ? { request: copy, hop: t.hop, sameName: true } : { request: copy, hop: t.hop };
}
