// Garbage collection as the event loop feels it: how many collections ran and how long they held the loop,
// young (scavenges) and full (mark-compact, with its incremental marking steps), from node:perf_hooks 'gc'
// entries. Beside the event-loop delay it tells whether a stall was the collector's (DSP PERF TYPE=LOOP,
// the Performance view, /metrics); PERF.GC_HEADROOM_MB paces the full ones (gc-headroom.ts).
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';

/** Collections of one kind: over an interval, or since start. */
export interface GcKindFigures {
  count: number;
  /** The loop held, in total (ms). */
  pauseMs: number;
  /** The longest single hold (ms). */
  maxMs: number;
}

export interface GcFigures {
  /** Scavenges of the young generation. */
  young: GcKindFigures;
  /** Full collections (count) and their pauses, incremental marking steps included (time). */
  full: GcKindFigures;
}

/** Reads the collections since the previous read; totals since start. */
export interface GcPauseSource {
  read(): GcFigures;
  totals(): GcFigures;
  start(): void;
  stop(): void;
}

/** A 'gc' performance entry: its detail says which collection it was (Node's perf_hooks docs). */
export type GcEntry = Pick<PerformanceEntry, 'duration'> & { detail?: { kind?: number } };

const none = (): GcKindFigures => ({ count: 0, pauseMs: 0, maxMs: 0 });
const empty = (): GcFigures => ({ young: none(), full: none() });

function add(f: GcKindFigures, ms: number, counted: boolean): void {
  if (counted) f.count++;
  f.pauseMs += ms;
  if (ms > f.maxMs) f.maxMs = ms;
}

/** Was the entry a full collection (mark-compact)? Its incremental marking steps are entries of their own. */
export const isFullCollection = (e: GcEntry): boolean =>
  e.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR;

/** Adds a 'gc' entry to figures (weak-callback processing is left out: it is not a collection). */
export function account(figures: GcFigures, e: GcEntry): void {
  switch (e.detail?.kind) {
    case constants.NODE_PERFORMANCE_GC_MINOR:
      add(figures.young, e.duration, true);
      break;
    case constants.NODE_PERFORMANCE_GC_MAJOR:
      add(figures.full, e.duration, true);
      break;
    case constants.NODE_PERFORMANCE_GC_INCREMENTAL:
      add(figures.full, e.duration, false);
      break;
  }
}

export function gcPauses(): GcPauseSource {
  let interval = empty();
  const total = empty();
  let observer: PerformanceObserver | undefined;
  return {
    read: () => {
      const r = interval;
      interval = empty();
      return r;
    },
    totals: () => ({ young: { ...total.young }, full: { ...total.full } }),
    start: () => {
      if (observer !== undefined) return;
      observer = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          account(interval, e as GcEntry);
          account(total, e as GcEntry);
        }
      });
      observer.observe({ entryTypes: ['gc'] });
    },
    stop: () => {
      observer?.disconnect();
      observer = undefined;
    },
  };
}
