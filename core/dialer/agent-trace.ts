// The dialer's own messages in the SIP trace. Its user agent has a socket of its own (user-agent.ts), so
// what it exchanges with anyone but IMS Lab never crossed the proxy transport, whose tap the trace, the
// HEP sender and the log's DEBUG lines follow: the ACK and BYE it sends straight to a callee whose 2xx
// left the Record-Route out (RFC 3261 §12.1.1, §12.2.1.1: the route set is then empty and the remote
// target is the Contact), and what that callee sends back there. Those are relayed into the proxy's tap,
// with the dialer's socket as their local end. A message between the dialer and IMS Lab's own SIP port
// is not: the proxy's side has it already (received there, or sent from there), kept once as before.
import type { MessageTap } from '../sip/transport/message-tap';

/** Does address:port name IMS Lab's own SIP port (the far end the proxy's tap already records)? */
export type ProxyEnd = (address: string, port: number) => boolean;

/** Relays what the dialer's socket sends and receives, but for its exchanges with IMS Lab itself. */
export function relayAgentMessages(agent: MessageTap, proxy: MessageTap, isProxy: ProxyEnd): () => void {
  return agent.on((m) => {
    if (!proxy.active || isProxy(m.remote.address, m.remote.port)) return;
    proxy.emit(
      m.direction,
      m.data,
      m.transport,
      m.local,
      m.remote.address,
      m.remote.port,
      m.message,
      m.error,
    );
  });
}
