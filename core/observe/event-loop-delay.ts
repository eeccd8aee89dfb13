// The event loop's own latency: how late the loop runs a timer it was asked to run now, sampled by
// node:perf_hooks monitorEventLoopDelay (a libuv timer every `resolutionMs`, in C++, so measuring costs
// next to nothing). A SIP message that arrives while the loop is stalled (garbage collection, a
// synchronous SQLite commit, a long handler) waits at least that long: this is the delay the proxy itself
// adds, which DSP PERF and /metrics show beside CPU and memory.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { IntervalHistogram } from 'node:perf_hooks';

/** Event-loop delay over one interval, milliseconds. */
export interface EventLoopDelay {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

/** The loop's ticks since the monitor started and their delays added up: a summary's _count and _sum. */
export interface EventLoopDelayTotals {
  count: number;
  sumMs: number;
}

/** Reads the delay since the previous read (and starts a new interval). */
export interface EventLoopDelaySource {
  read(): EventLoopDelay;
  /** The ticks read so far (the real monitor's; a fake may have none). */
  totals?(): EventLoopDelayTotals;
  /** (Re)starts measuring; a no-op while measuring. */
  start(): void;
  stop(): void;
}

const NS_PER_MS = 1e6;
/** The histogram's timer period: 10 ms is Node's default, fine enough for stalls that matter (> 1 ms). */
export const DEFAULT_LOOP_RESOLUTION_MS = 10;

/**
 * Figures of a histogram in milliseconds (zeros before its first measurement, where it holds NaN). The
 * histogram records the whole time between two ticks of its timer, so the timer's own period
 * (`resolutionMs`) is taken off: what remains is how late the loop was.
 */
export function delayOf(
  h: Pick<IntervalHistogram, 'percentile' | 'max' | 'mean' | 'count'>,
  resolutionMs: number,
): EventLoopDelay {
  if (h.count === 0) return { p50Ms: 0, p99Ms: 0, maxMs: 0, meanMs: 0 };
  const ms = (ns: number): number => (Number.isFinite(ns) ? Math.max(0, ns / NS_PER_MS - resolutionMs) : 0);
  return { p50Ms: ms(h.percentile(50)), p99Ms: ms(h.percentile(99)), maxMs: ms(h.max), meanMs: ms(h.mean) };
}

/** The real monitor; call stop() when done (it keeps no handle that holds the process open). */
export function eventLoopMonitor(resolutionMs: number = DEFAULT_LOOP_RESOLUTION_MS): EventLoopDelaySource {
  const resolution = Math.max(1, Math.round(resolutionMs));
  const h = monitorEventLoopDelay({ resolution });
  h.enable();
  const totals: EventLoopDelayTotals = { count: 0, sumMs: 0 };
  return {
    // Each read resets the histogram, which then measures from its next tick: a stall inside the one
    // timer period (10 ms) right after a read (once a second) goes unseen, about 1% of the time.
    read: () => {
      const d = delayOf(h, resolution);
      totals.count += h.count;
      totals.sumMs += h.count * d.meanMs;
      h.reset();
      return d;
    },
    totals: () => ({ ...totals }),
    start: () => void h.enable(),
    stop: () => void h.disable(),
  };
}
