// How much garbage V8's old generation may gather between two full collections (mark-compact). V8 sets the
// next full collection's trigger from the heap that survived the last one, times a growing factor it
// picks from how fast it collects: in a proxy whose old generation is mostly short-lived transactions
// (kept 32 s for Timers J, L and M) it picked about 1.4, a full collection every second at 1,000 calls/s,
// and each one held the event loop 10-25 ms (its atomic pause and incremental steps): the calls set up
// meanwhile made the p99 (README, Performance, tenth round). A fixed headroom in megabytes instead of a
// factor makes them rarer while the heap is small and keeps big heaps (100,000 users) from growing by a
// factor: after each full collection the factor is set (V8's --heap-growing-percent, read when V8 next
// sets the trigger) so that the trigger is the surviving heap plus the headroom.
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { isFullCollection, type GcEntry } from './gc-pauses';

const MB = 1024 * 1024;
/** Above this factor V8 would let a small heap grow many times over (V8's own limit is 4). */
export const MAX_GROWING_PERCENT = 300;
/** Below this the headroom asks less than V8 picks by itself: V8's own policy then (flag value 0). */
export const MIN_GROWING_PERCENT = 20;

/** The --heap-growing-percent that puts the next trigger `headroomMB` above `liveBytes`; 0: V8's own. */
export function growingPercentFor(liveBytes: number, headroomMB: number): number {
  if (headroomMB <= 0 || liveBytes <= 0) return 0;
  const percent = Math.round((100 * headroomMB * MB) / liveBytes);
  if (percent < MIN_GROWING_PERCENT) return 0;
  return Math.min(MAX_GROWING_PERCENT, percent);
}

export interface GcHeadroomOptions {
  /** Sets a V8 flag (default: node:v8 setFlagsFromString). */
  setFlags?: (flags: string) => void;
  /** The heap in use now (default: node:v8 used_heap_size): read right after a full collection. */
  heapUsed?: () => number;
}

export class GcHeadroom {
  private readonly setFlags: (flags: string) => void;
  private readonly heapUsed: () => number;
  private observer: PerformanceObserver | undefined;
  private headroomMB = 0;
  private set = 0;

  constructor(options: GcHeadroomOptions = {}) {
    this.setFlags = options.setFlags ?? setFlagsFromString;
    this.heapUsed = options.heapUsed ?? (() => getHeapStatistics().used_heap_size);
  }

  /** Follows full collections with `headroomMB` (0: V8's own policy, nothing followed). */
  configure(headroomMB: number): void {
    this.headroomMB = headroomMB;
    if (headroomMB > 0 && this.observer === undefined) {
      this.observer = new PerformanceObserver((list) => this.onEntries(list.getEntries()));
      this.observer.observe({ entryTypes: ['gc'] });
    } else if (headroomMB <= 0) this.stop();
    this.update();
  }

  /** The percent last set (0: V8's own policy). */
  get percent(): number {
    return this.set;
  }

  /** Back to V8's own policy. */
  stop(): void {
    this.observer?.disconnect();
    this.observer = undefined;
    this.headroomMB = 0;
    this.update();
  }

  private onEntries(entries: PerformanceEntry[]): void {
    if (entries.some((e) => isFullCollection(e as GcEntry))) this.update();
  }

  private update(): void {
    const percent = growingPercentFor(this.heapUsed(), this.headroomMB);
    if (percent === this.set) return;
    this.set = percent;
    this.setFlags(`--heap-growing-percent=${percent}`);
  }
}
