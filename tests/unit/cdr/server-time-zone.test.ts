// The server's time zone as the console is told it (core/cdr/clock-fields.ts serverTimeZone): the IANA
// zone its local time is in, so that a browser elsewhere shows the times the CDR, the logs and MML show.
// A TZ that Intl does not know (a POSIX rule) is given as the whole-hour fixed zone it keeps now.
import { afterEach, describe, expect, it } from 'vitest';
import { serverTimeZone } from '../../../core/cdr/clock-fields';

const saved = process.env.TZ;
afterEach(() => {
  if (saved === undefined) delete process.env.TZ;
  else process.env.TZ = saved;
});

describe("the server's time zone", () => {
  it('is the IANA zone of its local time', () => {
    process.env.TZ = 'Asia/Shanghai';
    expect(serverTimeZone()).toBe('Asia/Shanghai');
    process.env.TZ = 'America/New_York';
    expect(serverTimeZone(new Date(Date.UTC(2026, 6, 1)))).toBe('America/New_York');
  });

  it('is a fixed zone of the same offset for a POSIX rule Intl does not name', () => {
    process.env.TZ = 'LAB-3'; // POSIX: 3 hours east of UTC, a name no IANA zone has
    const now = new Date();
    expect(-now.getTimezoneOffset()).toBe(180);
    expect(serverTimeZone(now)).toBe('Etc/GMT-3');
  });
});
