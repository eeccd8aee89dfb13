// TRACE.RING_MB against the JavaScript heap. The trace ring's records and dialogs live in V8's heap, and
// V8 ends the process when that heap is full (fatal OOM: no event to catch, every call, the dialer and the
// console gone). RING_MB went up to 65,536 whatever the heap's limit: a ring of 8 GB under a 4 GB heap
// filled it during a load test and the appliance died. A ring may take at most a quarter of V8's
// heap_size_limit: the rest of the appliance (users, bindings, transactions, the log, answers) and the
// garbage between two collections need the other three quarters. RING_MESSAGES needs no bound of its own:
// RING_MB counts every held message's record and dialog at their measured heap cost (trace-ring.ts), so the
// count stays within it too.
import { getHeapStatistics } from 'node:v8';

/** The share of V8's heap_size_limit the trace ring may take. */
export const RING_HEAP_SHARE = 0.25;

const MB = 1024 * 1024;

/** The largest TRACE.RING_MB a heap of `heapSizeLimit` bytes allows (at least 1). */
export function ringLimitMB(heapSizeLimit: number = getHeapStatistics().heap_size_limit): number {
  return Math.max(1, Math.floor((heapSizeLimit * RING_HEAP_SHARE) / MB));
}

/** Why a ring of `mb` MB cannot be held in a heap of `heapSizeLimit` bytes, or undefined when it can. */
export function ringHeapProblem(mb: number, heapSizeLimit: number): string | undefined {
  const most = ringLimitMB(heapSizeLimit);
  if (mb <= most) return undefined;
  return (
    `${mb} MB is more than the JavaScript heap can spare for the trace ring: at most ${most} MB, a quarter ` +
    `of the heap's limit (${Math.round(heapSizeLimit / MB)} MB, V8's heap_size_limit; ` +
    'node --max-old-space-size=<MB> raises it)'
  );
}
