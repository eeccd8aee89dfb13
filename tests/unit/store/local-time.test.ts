import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localIsoTime, parseLocalTime } from '../../../core/store/local-time';

describe('local time', () => {
  const saved = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = 'Asia/Shanghai';
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });

  it('formats an instant as local time with its offset', () => {
    expect(localIsoTime(new Date('2026-11-24T01:30:00.007Z'))).toBe('2026-11-24T09:30:00.007+08:00');
  });

  it('formats negative and zero offsets', () => {
    process.env.TZ = 'America/St_Johns';
    expect(localIsoTime(new Date('2026-01-15T12:00:00Z'))).toBe('2026-01-15T08:30:00.000-03:30');
    process.env.TZ = 'UTC';
    expect(localIsoTime(new Date('2026-01-15T12:00:00Z'))).toBe('2026-01-15T12:00:00.000+00:00');
    process.env.TZ = 'Asia/Shanghai';
  });

  it('formats every millisecond of a second from the second it formatted once, in whatever zone is set', () => {
    const second = Date.parse('2026-11-24T01:30:00Z');
    expect(localIsoTime(new Date(second + 1))).toBe('2026-11-24T09:30:00.001+08:00');
    expect(localIsoTime(new Date(second + 999))).toBe('2026-11-24T09:30:00.999+08:00');
    expect(localIsoTime(new Date(second + 1000))).toBe('2026-11-24T09:30:01.000+08:00');
    process.env.TZ = 'America/St_Johns'; // the same instant in another zone: not the text kept for it
    expect(localIsoTime(new Date(second + 1000))).toBe('2026-11-23T22:00:01.000-03:30');
    process.env.TZ = 'Europe/Berlin'; // a summer-time change inside one formatted second's neighbours
    const change = Date.parse('2026-10-25T01:00:00Z');
    expect(localIsoTime(new Date(change - 1))).toBe('2026-10-25T02:59:59.999+02:00');
    expect(localIsoTime(new Date(change))).toBe('2026-10-25T02:00:00.000+01:00');
    expect(localIsoTime(new Date(-1))).toBe('1970-01-01T00:59:59.999+01:00');
    process.env.TZ = 'Asia/Shanghai';
  });

  it('formats moments interleaved from more seconds than it keeps, in two zones', () => {
    const plain = (t: number): string => {
      const d = new Date(t);
      const p = (n: number, w = 2) => String(n).padStart(w, '0');
      const off = -d.getTimezoneOffset();
      const zone = `${off < 0 ? '-' : '+'}${p(Math.floor(Math.abs(off) / 60))}:${p(Math.abs(off) % 60)}`;
      return (
        `${p(d.getFullYear(), 4)}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:` +
        `${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}${zone}`
      );
    };
    const start = Date.parse('2026-11-24T01:30:00.250Z');
    // A call's row: start, ringing, answer and end in different seconds, and rows of other calls between.
    const moments = [0, 1_300, 2_050, 61_999, 3_600_000, 86_400_017].map((d) => start + d);
    for (const zone of ['Asia/Shanghai', 'America/St_Johns']) {
      process.env.TZ = zone;
      for (let round = 0; round < 3; round++)
        for (let i = 0; i < moments.length; i += round + 1)
          expect(localIsoTime(new Date(moments[i]!))).toBe(plain(moments[i]!));
    }
    process.env.TZ = 'Asia/Shanghai';
  });

  it("reads the original's zone-less times as local time", () => {
    expect(parseLocalTime('2025-10-27T14:23:45.123456')?.toISOString()).toBe('2025-10-27T06:23:45.123Z');
    expect(parseLocalTime('2025-10-27T14:23:45')?.toISOString()).toBe('2025-10-27T06:23:45.000Z');
    expect(parseLocalTime('2025-10-27 14:23')?.toISOString()).toBe('2025-10-27T06:23:00.000Z');
  });

  it('honours an explicit zone', () => {
    expect(parseLocalTime('2025-10-27T14:23:45Z')?.toISOString()).toBe('2025-10-27T14:23:45.000Z');
    expect(parseLocalTime('2025-10-27T14:23:45.5-05:00')?.toISOString()).toBe('2025-10-27T19:23:45.500Z');
    expect(localIsoTime(parseLocalTime('2026-11-24T09:30:00.000+08:00'))).toBe(
      '2026-11-24T09:30:00.000+08:00',
    );
  });

  it.each(['banana', '', '2025-02-30T00:00:00', '2025-13-01T00:00:00', '2025-10-27T24:00:00', '2025-10-27'])(
    'refuses %j',
    (text) => {
      expect(parseLocalTime(text)).toBeUndefined();
    },
  );
});
