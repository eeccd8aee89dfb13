import { describe, expect, it } from 'vitest';
import { axisTime, clockTime, legendTime, localDate } from './local-time';

/** Seconds since the epoch of a local date and time. */
const at = (y: number, mo: number, d: number, h: number, mi: number, s: number): number =>
  new Date(y, mo - 1, d, h, mi, s).getTime() / 1000;

describe('console times', () => {
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

  it('give clock times in 24-hour digits and dates as YYYY-MM-DD, whatever the browser locale', () => {
    expect(clockTime(at(2026, 12, 4, 18, 10, 35) * 1000)).toBe('18:10:35');
    expect(clockTime(at(2026, 12, 4, 6, 0, 9) * 1000)).toBe('06:00:09');
    expect(localDate(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
  });
});
