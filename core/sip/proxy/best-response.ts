// Choosing the response to send upstream when every branch has ended without a 2xx (RFC 3261 §16.7
// step 6): a 6xx if there is one, otherwise one of the lowest class present (3xx before 4xx before
// 5xx), within a class the first received, except that in the 4xx class an answer the caller can act on
// by resubmitting (401, 407, 415, 420, 484: step 6's SHOULD) comes first, and a real answer beats a 408.
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

/** Within the 4xx class: a resubmission answer, then any answer the user's device gave, then a 408. */
function rankIn4xx(status: number): number {
  return RESUBMIT.has(status) ? 0 : status === 408 ? 2 : 1;
}

export function bestResponse(finals: readonly BranchFinal[]): BranchFinal | undefined {
  let best: BranchFinal | undefined;
  for (const f of finals) {
    const rank = classRank(f.status);
    if (best === undefined || rank < classRank(best.status)) best = f;
    // Among 4xx, a specific answer beats a timeout or a 404 from a dead contact (the user did answer).
    else if (rank === 2 && rank === classRank(best.status) && rankIn4xx(f.status) < rankIn4xx(best.status))
      best = f;
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
