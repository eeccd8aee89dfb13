// SIP Outbound (RFC 5626), the registrar's side. A UA that supports it registers each flow (a UDP
// 5-tuple or a connection) with `+sip.instance` and `reg-id` on its Contact and `outbound` in Supported.
//  - §6: the registrar that accepts it says so with `Require: outbound` in the 200; the UA then keeps the
//    flow alive (STUN over UDP, stun.ts; CRLF pings over TCP and WebSocket) and, should it fail, registers
//    the flow again. A REGISTER without these is an ordinary one (§4.2.1: the UA then uses no flows).
//  - §6: only the first hop can keep a flow: when the REGISTER came through a proxy (more than one Via),
//    that proxy must have said it does so with `ob` on its Path value, the last one (the first hop's);
//    otherwise 439 (First Hop Lacks Outbound Support, §11.6), so that the UA registers without outbound.
//  - §5.4: `Flow-Timer` in the 200 asks the UA for keep-alives that often (REG.FLOW_TIMER; none when 0).
// The binding is the device's flow (instance.ts keys it by instance ID and reg-id), requests for it go
// down that flow (binding-target.ts), and a flow over a TCP or TLS connection ends with the connection
// (§5.3: no new connection can reach it).
import type { SipRequest } from '../message/index';
import { parseNameAddr } from '../message/name-addr';
import type { Binding } from './binding';
import { instanceOf, regIdOf } from './instance';
import { OUTBOUND_TAG, supports } from './option-tags';

export type OutboundUse = 'none' | 'flow' | 'first-hop-lacks-outbound';

/**
 * Does this REGISTER register a flow (§6), and can it, given its first hop? `contactParams`: the
 * parameters of each of its Contacts as written.
 */
export function outboundUse(
  req: SipRequest,
  path: readonly string[] | undefined,
  contactParams: readonly string[],
): OutboundUse {
  const flows = contactParams.some((p) => regIdOf(p) !== '' && instanceOf(p) !== undefined);
  if (!flows || !supports(req, OUTBOUND_TAG)) return 'none';
  if (req.via.length === 1) return 'flow'; // we are the first hop
  const firstHop = path?.[path.length - 1];
  return firstHop !== undefined && hasObParam(firstHop) ? 'flow' : 'first-hop-lacks-outbound';
}

/**
 * Is this binding a flow (its Contact has a reg-id)? Requests reach it only down the flow
 * (binding-target.ts), and a flow over a connection ends with it (appliance.ts, §5.3).
 */
export function isFlow(b: Binding): boolean {
  return b.contactParams.includes('reg-id') && regIdOf(b.contactParams) !== '';
}

/**
 * Does this binding end with the connection it was made over? A WebSocket one always (RFC 7118 §5: the
 * server cannot open a WebSocket to a browser's `.invalid` Contact), a flow over TCP or TLS too (§5.3:
 * the UA registers a failed flow again). At a start, every connection of the previous run is gone, so
 * such bindings loaded from the database are ended (appliance.ts), as when their connection closes.
 */
export function endsWithConnection(b: Binding): boolean {
  if (b.transport === 'WS' || b.transport === 'WSS') return true;
  return (b.transport === 'TCP' || b.transport === 'TLS') && isFlow(b);
}

/**
 * §5.4: `ob` among the URI parameters of a Path value (<sip:edge.example.com;lr;ob>): the name-addr's
 * URI (RFC 3261 §25.1), not a `<...;ob>` inside a quoted display name.
 */
function hasObParam(value: string): boolean {
  const uri = parseNameAddr(value, 'Path')?.uriText;
  return uri !== undefined && /;\s*ob\s*(?=[;?]|$)/i.test(uri);
}
