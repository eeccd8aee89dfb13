// Flow tokens (RFC 5626 §5.2-5.3, as an edge proxy uses them): when a dialog-creating request comes
// from, or goes to, a UA over a connection (TLS, WS, WSS), our Record-Route entry facing that UA names
// the connection in a `flow` parameter. A later in-dialog request that pops that Route and did not
// itself arrive over that connection goes down it, whatever its Request-URI says: a browser's
// `sip:x@y.invalid;transport=ws` Contact, or a TLS phone behind a NAT, can be reached no other way.
// The token is signed with a per-process key (HMAC-SHA256) so that nobody can forge one that points a
// request at someone else's connection; connections do not outlive the process, nor need the tokens.
// Lower-case hex, as our tags (ids.ts): a Record-Route comes back in responses, often before CSeq, and
// SIPp takes the first "CSeq" anywhere in a response for its CSeq header.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { hostAddress, uriParam, type SipUri } from '../message/index';
import { transportNamed, type Peer, type TransportName } from '../transport/peer';

export const FLOW_PARAM = 'flow';

/** The transports whose connections are worth naming (TCP keeps today's behaviour: no token). */
const FLOW_TRANSPORTS: ReadonlySet<TransportName> = new Set(['TLS', 'WS', 'WSS']);

const KEY = randomBytes(32);

function mac(payload: string): string {
  return createHmac('sha256', KEY).update(payload).digest('hex').slice(0, 16);
}

/** The token for a connection-oriented peer; undefined for UDP and TCP. */
export function flowToken(peer: Peer): string | undefined {
  if (!FLOW_TRANSPORTS.has(peer.transport)) return undefined;
  const payload = Buffer.from(`${peer.transport} ${peer.address} ${peer.port}`).toString('hex');
  return `${payload}.${mac(payload)}`;
}

/** The peer a token names; undefined when it is not one of ours (or was tampered with). */
export function readFlowToken(token: string): Peer | undefined {
  const dot = token.indexOf('.');
  if (dot < 1) return undefined;
  const payload = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1));
  const expected = Buffer.from(mac(payload));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const [t, address, port] = Buffer.from(payload, 'hex').toString().split(' ');
  const transport = transportNamed(t ?? '');
  if (transport === undefined || address === undefined || !/^\d+$/.test(port ?? '')) return undefined;
  return { transport, address, port: Number(port) };
}

/**
 * RFC 5626 §5.3: of the Route values we popped (our own), the connection one of them names that is not
 * the one the request came over; undefined when none does.
 */
export function flowHop(popped: readonly SipUri[], source: Peer): Peer | undefined {
  for (const uri of popped) {
    const token = uriParam(uri, FLOW_PARAM);
    if (typeof token !== 'string') continue;
    const peer = readFlowToken(token);
    if (peer === undefined) continue;
    const same =
      peer.transport === source.transport &&
      hostAddress(peer.address) === hostAddress(source.address) &&
      peer.port === source.port;
    if (!same) return peer;
  }
  return undefined;
}
