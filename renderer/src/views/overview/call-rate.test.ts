import { describe, expect, it } from 'vitest';
import { addStarts, callsPerSecond } from './call-rate';

describe('calls per second', () => {
  it('counts starts per second and averages the last whole seconds', () => {
    let b = addStarts(new Map(), [10_000, 10_100, 11_500, 13_999], 14_000, 180);
    expect([...b.entries()]).toEqual([
      [10, 2],
      [11, 1],
      [13, 1],
    ]);
    expect(callsPerSecond(b, 14_200)).toBe(4 / 5); // seconds 9..13
    b = addStarts(b, [200_000], 200_000, 180);
    expect([...b.keys()]).toEqual([200]); // older buckets dropped
  });
});
