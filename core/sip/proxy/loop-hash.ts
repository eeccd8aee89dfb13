// Loop detection by branch (RFC 3261 §16.6 step 8, §16.3 step 4): our branch carries a hash of what
// identifies the request as it reached us (Request-URI, From tag, To tag, Call-ID, CSeq number,
// Proxy-Require, the Routes). A request that comes back with one of our Vias is a loop when the hash of its current
// values equals the one in that Via (nothing changed: 482), and a spiral otherwise (forward it again).
import type { SipRequest } from '../message/index';
import { BRANCH_COOKIE } from '../message/index';
import { randomToken } from '../message/ids';

/** FNV-1a, 32 bits, base 36: short, cheap, and good enough to tell loops from spirals. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

export function loopHash(req: SipRequest): string {
  // The route set too: a request in a dialog that passes through us twice (us, an application server
  // or an edge proxy, us again: a Record-Route of ours on each side) keeps its Request-URI and every
  // other value on its second visit; only the Routes left tell the visits apart. Without them the ACK
  // was dropped and the re-INVITE and BYE refused 482 (a loop hash also differs when a route set
  // changes on a true loop; Max-Forwards and the next unchanged pass still stop that one).
  return fnv1a(
    `${req.uri}\n${req.from.tag ?? ''}\n${req.to.tag ?? ''}\n${req.callId}\n${req.cseq.seq}\n` +
      req.headerValues('proxy-require').join(',') +
      (req.routes.length === 0 ? '' : `\n${req.headerValues('route').join(',')}`),
  );
}

const PREFIX = `${BRANCH_COOKIE}-ims-`;

/** A branch for a request we forward statefully: cookie, marker, loop hash, then a unique part. */
export function proxyBranch(req: SipRequest): string {
  return `${PREFIX}${loopHash(req)}-${randomToken(16)}`;
}

/** A branch for a request forwarded statelessly (ACK for 2xx): the same for every retransmission. */
export function statelessBranch(req: SipRequest): string {
  return `${PREFIX}${loopHash(req)}-s${fnv1a(req.topVia.branch ?? req.topVia.raw)}`;
}

/** The loop hash in one of our branches, or undefined when the branch is not ours. */
export function hashInBranch(branch: string | undefined): string | undefined {
  if (branch === undefined || !branch.startsWith(PREFIX)) return undefined;
  const end = branch.indexOf('-', PREFIX.length);
  return end < 0 ? undefined : branch.slice(PREFIX.length, end);
}
