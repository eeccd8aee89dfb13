// Choosing the response to send upstream when every branch has ended without a 2xx (RFC 3261 §16.7
// step 6): a 6xx if there is one, otherwise one of the lowest class present (3xx before 4xx before
// 5xx), within a class the first received, except that in the 4xx class an answer the caller can act on
// by resubmitting (401, 407, 415, 420, 484: step 6's SHOULD) comes first, then an answer a device gave
// (486, 603-like 4xx), then one that says the contact is dead (404, 410, 430, or a 480 made up for a
// closed connection), then a 408. Step 6 lets a proxy pick any 4xx; this one does not hang on which
// branch answered first (a stale binding's instant 404 told the caller the number did not exist while
// the user's phone said busy). Kamailio's tm picks the lowest code after the same five (404 over 486).
// The response context then turns a chosen 503 into 500 (step 6) and merges the challenges of every
// 401/407 branch (step 7, §22.3).
import type { SipResponse } from '../message/index';

/** A final response collected from a branch, or one the proxy made up (408 timeout, 503 transport). */
export interface BranchFinal {
  status: number;
  response: SipResponse | undefined;
  /** The reason phrase of one made up here, when the status alone would mislead. */
  reason?: string;
}

function classRank(status: number): number {
  if (status >= 600) return 0;
  if (status >= 300 && status < 400) return 1;
  if (status >= 400 && status < 500) return 2;
  return 3; // 5xx
}

/** §16.7 step 6: the 4xx answers that tell the caller how to resubmit (credentials, a body it can
 * send, an extension to leave out, a complete address). */
const RESUBMIT = new Set([401, 407, 415, 420, 484]);

/** A contact that is no more: not there (404), gone (410), its flow failed (RFC 5626 §11.5: 430). */
const DEAD_CONTACT = new Set([404, 410, 430]);

/**
 * Within the 4xx class: a resubmission answer, then any answer the user's device gave, then a dead
 * contact's (or a 480 made up here: its WebSocket closed, closed-connection.ts), then a 408.
 */
function rankIn4xx(f: BranchFinal): number {
  const status = f.status;
  if (RESUBMIT.has(status)) return 0;
  if (status === 408) return 3;
  return DEAD_CONTACT.has(status) || (status === 480 && f.response === undefined) ? 2 : 1;
}

export function bestResponse(finals: readonly BranchFinal[]): BranchFinal | undefined {
  let best: BranchFinal | undefined;
  for (const f of finals) {
    const rank = classRank(f.status);
    if (best === undefined || rank < classRank(best.status)) best = f;
    // Among 4xx, a device's answer beats a dead contact's or a timeout (the user did answer).
    else if (rank === 2 && rank === classRank(best.status) && rankIn4xx(f) < rankIn4xx(best)) best = f;
  }
  return best;
}

/** Every challenge of every 401/407 branch, for a merged 401/407 (§16.7 step 7). */
export function gatheredChallenges(finals: readonly BranchFinal[]): [string, string][] {
  const out: [string, string][] = [];
  for (const f of finals) {
    if (f.response === undefined || (f.status !== 401 && f.status !== 407)) continue;
    for (const v of f.response.headerValues('www-authenticate')) out.push(['WWW-Authenticate', v]);
    for (const v of f.response.headerValues('proxy-authenticate')) out.push(['Proxy-Authenticate', v]);
  }
  return out;
}
