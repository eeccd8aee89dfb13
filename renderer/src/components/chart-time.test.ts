import { describe, expect, it } from 'vitest';
import { axisTime, legendTime } from './chart-time';

/** Seconds since the epoch of a local date and time. */
const at = (y: number, mo: number, d: number, h: number, mi: number, s: number): number =>
  new Date(y, mo - 1, d, h, mi, s).getTime() / 1000;

describe('chart times', () => {
  it('label ticks with a 24-hour clock, seconds only inside a minute, the date at midnight', () => {
    expect(axisTime(at(2026, 12, 4, 16, 30, 0))).toBe('16:30');
    expect(axisTime(at(2026, 12, 4, 9, 5, 30))).toBe('09:05:30');
    expect(axisTime(at(2026, 12, 5, 0, 0, 0))).toBe('12-05');
  });

  it('give the legend the whole local date and time, and -- for no sample', () => {
    expect(legendTime(at(2026, 12, 4, 16, 30, 7))).toBe('2026-12-04 16:30:07');
    expect(legendTime(null)).toBe('--');
    expect(legendTime(undefined)).toBe('--');
  });
});
