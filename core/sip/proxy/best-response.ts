// Choosing the response to send upstream when every branch has ended without a 2xx (RFC 3261 §16.7
// step 6): a 6xx if there is one, otherwise one of the lowest class present (3xx before 4xx before
// 5xx), within a class the first received, except that a real answer beats a 408 the proxy made up.
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

export function bestResponse(finals: readonly BranchFinal[]): BranchFinal | undefined {
  let best: BranchFinal | undefined;
  for (const f of finals) {
    if (best === undefined || classRank(f.status) < classRank(best.status)) best = f;
    // Among 4xx, a specific answer beats a timeout or a 404 from a dead contact (the user did answer).
    else if (classRank(f.status) === classRank(best.status) && best.status === 408 && f.status !== 408)
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
