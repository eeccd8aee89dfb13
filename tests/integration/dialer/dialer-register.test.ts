// The dialer's registration against a registrar whose shortest interval is longer than DIALER.REG_LIFETIME:
// the 423 Interval Too Brief names it in Min-Expires, and the dialer asks again with it (RFC 3261
// §10.2.8), so STR DIALSVC starts; before, it failed with "423 Interval Too Brief".
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDialerLab, type DialerLab } from './lab';

let lab: DialerLab;

beforeEach(async () => {
  lab = await openDialerLab();
});

afterEach(async () => {
  await lab.close();
});

describe("the dialer's registration", () => {
  it("asks again with the registrar's Min-Expires after a 423, and is granted it", async () => {
    expect((await lab.mml('SET CFG KEY=REG.MIN_EXPIRES VALUE=300')).retcode).toBe(0);
    expect((await lab.mml('SET CFG KEY=DIALER.REG_LIFETIME VALUE=60')).retcode).toBe(0);
    const started = await lab.mml('STR DIALSVC');
    expect([started.retcode, started.message]).toEqual([
      0,
      expect.stringMatching(/^Auto dialer started: 0000 registered from /),
    ]);
    const reg = await lab.mml('DSP REG URI=0000');
    expect(reg.retcode).toBe(0);
    const t = reg.tables[0]!;
    const expiresIn = t.rows[0]![t.columns.findIndex((c) => c.name === 'Expires in (s)')];
    expect(expiresIn).toBeGreaterThan(290);
    expect(expiresIn).toBeLessThanOrEqual(300);
  });
});
