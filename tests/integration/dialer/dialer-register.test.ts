// The dialer's registration (RFC 3261 §10.2):
//  - against a registrar whose shortest interval is longer than DIALER.REG_LIFETIME: the 423 Interval Too
//    Brief names it in Min-Expires, and the dialer asks again with it (§10.2.8), so STR DIALSVC starts;
//    before, it failed with "423 Interval Too Brief";
//  - as a user whose phone is registered too: the 200 lists both bindings, the phone's first, and the
//    dialer's refresh follows its own binding's time (§10.2.4), not the phone's (before: the phone's
//    hour, so its 60 s binding lapsed 59 minutes before the refresh).
import { zhText } from '../../../core/mml/zh';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../support/sipp';
import { registerContact, user } from '../proxy/parties';
import { useDialerLab, type DialerLab } from './lab';

let lab: DialerLab;

useDialerLab((l) => (lab = l));

describe("the dialer's registration", () => {
  it("asks again with the registrar's Min-Expires after a 423, and is granted it", async () => {
    expect((await lab.mml('SET CFG KEY=REG.MIN_EXPIRES VALUE=300')).retcode).toBe(0);
    expect((await lab.mml('SET CFG KEY=DIALER.REG_LIFETIME VALUE=60')).retcode).toBe(0);
    const started = await lab.mml('STR DIALSVC');
    expect([started.retcode, started.message]).toEqual([
      0,
      expect.stringMatching(/^Auto dialer started: 0000 registered from /),
    ]);
    // The first start added the user 0000, and said so; in Chinese too.
    expect(started.message).toMatch(/; user 0000 was created for it \(DIALER\.USERNAME, DIALER\.PASSWORD\);/);
    expect(zhText(started.message)).toMatch(/；已为其创建用户 0000（DIALER\.USERNAME、DIALER\.PASSWORD）；/);
    const reg = await lab.mml('DSP REG URI=0000');
    expect(reg.retcode).toBe(0);
    const t = reg.tables[0]!;
    const expiresIn = t.rows[0]![t.columns.findIndex((c) => c.name === 'Expires in (s)')];
    expect(expiresIn).toBeGreaterThan(290);
    expect(expiresIn).toBeLessThanOrEqual(300);
  });

  it("follows its own binding's time in the 200, not that of the user's phone listed first", async () => {
    await registerContact(lab.server(), user(1003), await freePort(), 3600);
    for (const [key, value] of [
      ['DIALER.USERNAME', '1003'],
      ['DIALER.PASSWORD', 'pw-1003'],
      ['DIALER.REG_LIFETIME', '60'],
    ])
      expect((await lab.mml(`SET CFG KEY=${key} VALUE=${value}`)).retcode).toBe(0);
    expect((await lab.mml('STR DIALSVC')).retcode).toBe(0);
    expect(lab.a.dialer.snapshot().registration).toMatchObject({ ok: true, expires: 60 });
  });
});
