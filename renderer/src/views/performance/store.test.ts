import { describe, expect, it } from 'vitest';
import type { PerfSampleData } from '../../../../core/control/contract';
import { columns, usePerf, WINDOW_SAMPLES } from './store';

const sample = (at: number, cpu: number): PerfSampleData =>
  ({
    at,
    intervalMs: 1000,
    cpu: { percent: cpu, hostPercent: 0, cores: 2, loadAverage: [0, 0, 0] },
    memory: { rss: 0, heapUsed: 0, heapTotal: 0, hostTotal: 0, hostFree: 0 },
    network: { packetsInPerSecond: 0, packetsOutPerSecond: 0, host: undefined },
    messages: {
      inPerSecond: 0,
      outPerSecond: 0,
      requestsInPerSecond: 0,
      responsesInPerSecond: 0,
      parseErrorsPerSecond: 0,
      retransmissionsPerSecond: 0,
      requestsIn: {},
    },
  }) as PerfSampleData;

describe('perf store', () => {
  it('keeps ten minutes of samples', () => {
    usePerf.getState().reset([sample(0, 1)]);
    usePerf.getState().apply(Array.from({ length: WINDOW_SAMPLES + 5 }, (_, i) => sample(i * 1000, i)));
    expect(usePerf.getState().samples).toHaveLength(WINDOW_SAMPLES);
    expect(usePerf.getState().samples.at(-1)!.cpu.percent).toBe(WINDOW_SAMPLES + 4);
  });
  it('columns for a chart', () => {
    expect(columns([sample(2000, 5), sample(3000, 6)], [(s) => s.cpu.percent])).toEqual({
      times: [2, 3],
      values: [[5, 6]],
    });
  });
});
