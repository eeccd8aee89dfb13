// A dialer call to a callee whose 2xx left the Record-Route out (RFC 3261 §12.1.1): the route set is
// empty, so the dialer's ACK and BYE go straight to the callee's Contact, and the callee's BYE straight
// to the dialer's (§12.2.1.1), none through the proxy. The proxy's call tracker then never heard the call
// confirmed nor ended: after 64*T1 it gave it up ("No ACK for the 2xx", §13.3.1.4), sent BYE both ways,
// and its CDR row said 32 s for a call of 4. The dialer is this same process: the ACK and BYE its socket
// sends to anyone but IMS Lab, and a BYE it receives from anyone else, are told to the tracker as if they
// had passed the proxy (the ACK ends its wait, the BYE ends the call, by the side that sent it).
import { parseMessage, SipRequest } from '../sip/message/index';
import type { MessageTap } from '../sip/transport/message-tap';
import type { ProxyEnd } from './agent-trace';

/** Tells `inDialog` of each ACK and BYE the dialer's socket exchanges with anyone but IMS Lab itself. */
export function tellDirectRequests(
  agent: MessageTap,
  inDialog: (req: SipRequest) => void,
  isProxy: ProxyEnd,
): () => void {
  return agent.on((m) => {
    if (m.error !== undefined || !isAckOrBye(m.data)) return;
    if (isProxy(m.remote.address, m.remote.port)) return;
    const req = m.direction === 'in' ? m.message : parseMessage(m.data);
    if (req instanceof SipRequest) inDialog(req);
  });
}

/**
 * Does the message start "ACK " or "BYE "? Read from its bytes: every message the dialer's socket sends
 * or receives passes here, and most are neither (no string made for them).
 */
function isAckOrBye(d: Buffer): boolean {
  if (d.length < 4 || d[3] !== 0x20) return false;
  if (d[0] === 0x41) return d[1] === 0x43 && d[2] === 0x4b; // ACK
  return d[0] === 0x42 && d[1] === 0x59 && d[2] === 0x45; // BYE
}
