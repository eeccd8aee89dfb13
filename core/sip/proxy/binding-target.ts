// Where a request for a registered contact goes (RFC 3261 §16.5-16.6 with RFC 3581 §4's symmetric
// response routing applied to requests, as the original's NAT fix did): the Request-URI becomes the
// Contact, and the packet goes to the Contact's address, unless that cannot reach the UA:
//  - the UA registered a SIP Outbound flow (a Contact with reg-id, RFC 5626 §5.3), or over a connection
//    (TCP, TLS, WS, WSS): use it (the source address and port;
//    RFC 5626 §5.3, RFC 7118 §5: a browser's `.invalid` Contact host is reachable no other way); when a
//    TCP or TLS connection has closed, open one to the Contact instead (§18.1.1; a phone listening on
//    its Contact port is reached again);
//  - the UA is behind a NAT (behindNat: the REGISTER came from outside LOCAL_NETWORK_CIDR, or its Via
//    named another address than it came from, or it came from loopback for a Contact elsewhere, or the
//    Contact names a host): send to the address and port the REGISTER came from; our Record-Route names
//    that flow for the rest of the dialog.
// A binding registered with a Path (RFC 3327) is none of these: its path decides (path-target.ts).
import { parseUri, unescape, type SipUri } from '../message/index';
import type { Binding } from '../registrar/binding';
import { isFlow } from '../registrar/outbound';
import type { Peer } from '../transport/peer';
import { inCidrs, isLoopback, type Cidr } from './network';
import { literalHop } from './next-hop';
import { pathTarget } from './path-target';

export interface Target {
  /** The new Request-URI. */
  uri: string;
  /** Where to send it. */
  hop: Peer;
  binding: Binding;
  /** RFC 3327 §5.4: the binding's path vector, the forwarded request's preloaded Route set. */
  route?: readonly string[];
  /** Reached at its source, not its Contact (behindNat): our Record-Route names that flow. */
  nat?: boolean;
  /**
   * RFC 5626 §5.3: the device's other flows (other reg-ids of its instance), newest first: each replaces
   * the branch in turn should the one before fail (response-context.ts). Absent for most bindings.
   */
  alternates?: readonly Target[];
  /** Another address of the first Path URI's name (RFC 3263 §4.3, path-target.ts; target-set.ts Onward). */
  sameName?: true;
}

export function bindingTarget(
  b: Binding,
  localNetworks: readonly Cidr[],
  connected: (p: Peer) => boolean = () => true,
): Target | undefined {
  if (b.path !== undefined) return pathTarget(b, b.path);
  const contact = parseUri(b.contact);
  if (contact === null || contact.kind !== 'sip') return undefined;
  const source: Peer = { transport: b.transport, address: b.sourceAddress, port: b.sourcePort };
  const direct = literalHop(contact);
  // RFC 5626 §5.3: a SIP Outbound flow (reg-id, outbound.ts) is reached only down that flow, never by
  // a new connection to its Contact.
  const flow = isFlow(b);
  if (source.transport !== 'UDP') {
    const reopen =
      (b.transport === 'TCP' || b.transport === 'TLS') && direct !== undefined && !flow && !connected(source);
    const hop = reopen ? { ...direct, transport: b.transport } : source;
    return flow || behindNat(direct, source, localNetworks, b.sentFromElsewhere)
      ? { uri: b.contact, hop, binding: b, nat: true }
      : { uri: b.contact, hop, binding: b };
  }
  // §5.3: the dialog's later requests reach it down the flow too (our Record-Route names it): to its
  // Contact (a private address, most often) they went nowhere.
  if (flow) return { uri: b.contact, hop: source, binding: b, nat: true };
  if (direct !== undefined && !behindNat(direct, source, localNetworks, b.sentFromElsewhere))
    return { uri: b.contact, hop: direct, binding: b };
  return { uri: b.contact, hop: source, binding: b, nat: true };
}

/**
 * Is a UA that gives `direct` (its Contact's address, undefined for a host name) and sends from `source`
 * behind a NAT, reachable only where its messages come from (RFC 3581 §4's symmetric routing applied to
 * requests, as Kamailio's nat_uac_test and set_contact_alias)? Over UDP or TCP (TLS, WS and WSS are
 * always reached down their connection, flow-token.ts), when it does not send from its Contact's address
 * and port and
 *  - its Contact names a host, not an address: nothing else to go by;
 *  - it sends from outside LOCAL_NETWORK_CIDR (and not from loopback);
 *  - it sends from inside LOCAL_NETWORK_CIDR but its Via named another address (`sentFromElsewhere`,
 *    RFC 3581 §4: received added; Kamailio's nat_uac_test flag 2): a router of the bench that NATs a LAN
 *    of its own (WAN 192.168.1.254, phones on 192.168.77.x), its phones' Contacts unreachable from here;
 *  - it sends from loopback, from this very host, while its Contact names another address: a UA here
 *    advertising an address it is not reached at over loopback, or a lab's simulated NAT (SIPp with
 *    `Contact: <sip:1001@192.168.1.50>` on 127.0.0.1).
 * Such a UA's dialogs get a flow token in our Record-Route (RFC 5626 §5.3), or the ACK, re-INVITE and
 * BYE the far end sends to its Contact go nowhere. A UA inside the local network that sends from the
 * address its Via names is reached at its Contact, as the original did (a SIPp or a tool registering
 * another device's Contact: a third-party registration, RFC 3261 §10.2).
 */
export function behindNat(
  direct: Peer | undefined,
  source: Peer,
  localNetworks: readonly Cidr[],
  sentFromElsewhere = false,
): boolean {
  if (source.transport !== 'UDP' && source.transport !== 'TCP') return false;
  if (direct === undefined) return true;
  if (
    direct.address === source.address &&
    direct.port === source.port &&
    direct.transport === source.transport
  )
    return false;
  if (isLoopback(source.address)) return !isLoopback(direct.address);
  return sentFromElsewhere || !inCidrs(source.address, localNetworks);
}

/**
 * Does a Request-URI name this registered contact itself (the same user, host and port), rather than the
 * user's address-of-record? A 3xx's Contact does, or a phone dialled directly on the server's own host.
 */
export function namesContact(contact: string, uri: SipUri): boolean {
  const c = parseUri(contact);
  return (
    c !== null &&
    c.kind === 'sip' &&
    (c.port ?? 5060) === (uri.port ?? 5060) &&
    c.host.toLowerCase() === uri.host.toLowerCase() &&
    unescape(c.user ?? '') === unescape(uri.user ?? '')
  );
}
