// Flow tokens (RFC 5626 §5.2-5.3, as an edge proxy uses them): when a dialog-creating request comes
// from, or goes to, a UA over a connection (TLS, WS, WSS), our Record-Route entry facing that UA names
// the connection in a `flow` parameter. A later in-dialog request that pops that Route and did not
// itself arrive over that connection goes down it, whatever its Request-URI says: a browser's
// `sip:x@y.invalid;transport=ws` Contact, or a phone behind a NAT, can be reached no other way (for UDP
// the "connection" is the NAT's address and port the phone sends from).
// The token is signed with a key of the process (process-mac.ts) so that nobody can forge one that points a
// request at someone else's connection; connections do not outlive the process, nor need the tokens.
import { uriParam, type SipUri } from '../message/index';
import { FLOW_MAC } from './process-mac';
import { samePeer, transportNamed, type Peer, type TransportName } from '../transport/peer';

export const FLOW_PARAM = 'flow';

/**
 * The transports whose connections are always worth naming. A UDP or TCP peer is named only when it is
 * behind a NAT (binding-target.ts behindNat): one on the local network is reached at its Contact, and a
 * TCP phone whose connection closed is reached again by a new one.
 */
const FLOW_TRANSPORTS: ReadonlySet<TransportName> = new Set(['TLS', 'WS', 'WSS']);

/** The token for a TLS, WS or WSS peer, or a UDP or TCP one behind a NAT; undefined for others. */
export function flowToken(peer: Peer, behindNat = false): string | undefined {
  if (!behindNat && !FLOW_TRANSPORTS.has(peer.transport)) return undefined;
  const payload = Buffer.from(`${peer.transport} ${peer.address} ${peer.port}`).toString('hex');
  return `${payload}.${FLOW_MAC.of(payload)}`;
}

/** The peer a token names; undefined when it is not one of ours (or was tampered with). */
export function readFlowToken(token: string): Peer | undefined {
  const dot = token.indexOf('.');
  if (dot < 1) return undefined;
  const payload = token.slice(0, dot);
  if (!FLOW_MAC.matches(token.slice(dot + 1), payload)) return undefined;
  const [t, address, port] = Buffer.from(payload, 'hex').toString().split(' ');
  const transport = transportNamed(t ?? '');
  if (transport === undefined || address === undefined || !/^\d+$/.test(port ?? '')) return undefined;
  return { transport, address, port: Number(port) };
}

/** A flow token that is not one of ours: forged, or from an earlier run (RFC 5626 §5.3: 403). */
export const TAMPERED = 'tampered';

/**
 * RFC 5626 §5.3: the connection our last popped Route value names: the one facing away from the sender
 * (we Record-Route twice when a side is on a connection, the entry facing each side next to it, so
 * whichever side sends, the far side's entry comes last). Undefined when it names none, or names the
 * connection the request came over; TAMPERED when its token is not ours. Only the last counts: after a
 * browser reconnects, the first (its own, old connection) is not the one it came over any more.
 */
export function flowHop(popped: readonly SipUri[], source: Peer): Peer | typeof TAMPERED | undefined {
  const far = popped[popped.length - 1];
  if (far === undefined) return undefined;
  const token = uriParam(far, FLOW_PARAM);
  if (typeof token !== 'string') return undefined;
  const peer = readFlowToken(token);
  if (peer === undefined) return TAMPERED;
  return samePeer(peer, source) ? undefined : peer;
}
