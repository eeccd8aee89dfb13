// Perf samples of the last 10 minutes (one a second): the snapshot, then the perf topic. Shared by the
// Performance charts and the Overview sparklines.
import { create } from 'zustand';
import type { PerfSampleData } from '../../../../core/control/contract';

export const WINDOW_SAMPLES = 600;

interface PerfState {
  samples: PerfSampleData[];
  loaded: boolean;
  error: string | null;
  reset(samples: PerfSampleData[]): void;
  apply(samples: PerfSampleData[]): void;
  fail(message: string): void;
}

export const usePerf = create<PerfState>()((set) => ({
  samples: [],
  loaded: false,
  error: null,
  reset: (samples) => set({ samples: samples.slice(-WINDOW_SAMPLES), loaded: true, error: null }),
  apply: (more) => set((s) => ({ samples: [...s.samples, ...more].slice(-WINDOW_SAMPLES) })),
  fail: (message) => set({ error: message }),
}));

/** Columns for a chart: times in seconds, and one value array per picked figure. */
export function columns(
  samples: readonly PerfSampleData[],
  pick: ((s: PerfSampleData) => number | null)[],
): { times: number[]; values: (number | null)[][] } {
  return {
    times: samples.map((s) => s.at / 1000),
    values: pick.map((f) => samples.map(f)),
  };
}
