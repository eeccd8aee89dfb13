// Request validation by a proxy (RFC 3261 §16.3), the steps the transport and dispatcher have not
// already done (syntax, URI scheme, Max-Forwards 0 → 483): loop detection (step 4) and Proxy-Require
// (step 5). Each returns the response to send, or undefined when the request may go on.
import type { SipRequest } from '../message/index';
import type { LocalIdentity } from './local-identity';
import { hashInBranch, loopHash } from './loop-hash';

export interface Refusal {
  status: number;
  reason?: string;
  headers?: [string, string][];
}

/** §16.3 step 4: a Via of ours whose loop hash equals the request's current one is a loop. */
export function checkLoop(req: SipRequest, me: LocalIdentity): Refusal | undefined {
  let hash: string | undefined;
  for (const via of req.via) {
    if (!me.isMe(via.host, via.port)) continue;
    const seen = hashInBranch(via.branch);
    if (seen !== undefined && seen === (hash ??= loopHash(req))) return { status: 482 };
  }
  return undefined;
}

/** §16.3 step 5: we support no extension a proxy must understand; list them all in Unsupported. */
export function checkProxyRequire(req: SipRequest): Refusal | undefined {
  const wanted = req.tokens('proxy-require');
  if (wanted.length === 0) return undefined;
  return { status: 420, headers: [['Unsupported', wanted.join(', ')]] };
}
