import { describe, expect, it } from 'vitest';
import { withGaps } from './chart-gaps';

describe('withGaps', () => {
  it('breaks the line over a hole (a server stopped 45 s) instead of joining the samples either side', () => {
    const times = [100, 101, 102, 147, 148];
    const delay = [4, 4, 4, 45_087, 8];
    const out = withGaps(times, [delay]);
    expect(out.times).toEqual([100, 101, 102, 103, 147, 148]);
    expect(out.values).toEqual([[4, 4, 4, null, 45_087, 8]]);
  });

  it('leaves samples at their usual step, or a little late, as they are', () => {
    const times = [100, 101, 102, 104, 105];
    expect(withGaps(times, [[1, 2, 3, 4, 5]])).toEqual({ times, values: [[1, 2, 3, 4, 5]] });
    expect(withGaps([100], [[1]])).toEqual({ times: [100], values: [[1]] });
  });

  it('hands uPlot times in order only: the samples after the last step back (a wall clock stepped)', () => {
    const out = withGaps([100, 101, 102, 50, 51, 51, 52, 53], [[1, 2, 3, 4, 5, 6, 7, 8]]);
    expect(out).toEqual({ times: [51, 52, 53], values: [[6, 7, 8]] });
  });
});
