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
