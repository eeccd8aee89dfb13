import { afterEach, describe, expect, it } from 'vitest';
import {
  axisTime,
  clockZoneName,
  clockTime,
  clockTimeMs,
  dateTimeMs,
  dateTimeMsOffset,
  legendTime,
  localDate,
  setClockZone,
  stampMs,
  utcOffset,
} from './local-time';

afterEach(() => setClockZone(''));

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

  it("stamp a list's lines with the time today, and the day too on another day", () => {
    const now = at(2026, 12, 5, 0, 0, 30) * 1000;
    expect(stampMs(at(2026, 12, 5, 0, 0, 1) * 1000 + 42, now)).toBe('00:00:01.042');
    expect(stampMs(at(2026, 12, 4, 23, 59, 58) * 1000 + 7, now)).toBe('12-04 23:59:58.007');
    expect(stampMs(at(2025, 12, 5, 0, 0, 1) * 1000, now)).toBe('12-05 00:00:01.000'); // a year ago
  });

  it("show the server's clock once its zone is known, whatever the browser's", () => {
    const utc = Date.UTC(2026, 11, 4, 22, 5, 9, 42); // 2026-12-04 22:05:09.042 UTC
    setClockZone('Asia/Shanghai');
    expect(clockTimeMs(utc)).toBe('06:05:09.042');
    expect(dateTimeMs(utc)).toBe('2026-12-05 06:05:09.042');
    expect(axisTime(Date.UTC(2026, 11, 4, 16, 0, 0) / 1000)).toBe('12-05'); // midnight in Shanghai
    setClockZone('Etc/GMT+12');
    expect(legendTime(utc / 1000)).toBe('2026-12-04 10:05:09');
    setClockZone('Not/A_Zone'); // unknown to this browser: its own clock
    const d = new Date(utc);
    const own = [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0'));
    expect(clockTime(utc)).toBe(own.join(':'));
  });

  it("give the clock's UTC offset, so that a fall-back night's repeated hour reads apart", () => {
    setClockZone('America/New_York');
    const edt = Date.UTC(2026, 10, 1, 5, 30, 0, 378); // 01:30:00.378 EDT
    const est = edt + 3_600_000; // 01:30:00.378 EST, an hour later
    expect(dateTimeMs(edt)).toBe(dateTimeMs(est));
    expect(dateTimeMsOffset(edt)).toBe('2026-11-01 01:30:00.378 UTC-04:00');
    expect(dateTimeMsOffset(est)).toBe('2026-11-01 01:30:00.378 UTC-05:00');
    setClockZone('Asia/Kathmandu');
    expect(utcOffset(edt)).toBe('UTC+05:45');
    setClockZone('Etc/UTC');
    expect(utcOffset(edt)).toBe('UTC+00:00');
    expect(clockZoneName()).toBe('Etc/UTC');
  });
});
