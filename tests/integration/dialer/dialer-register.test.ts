// The dialer's registration (RFC 3261 §10.2):
//  - against a registrar whose shortest interval is longer than DIALER.REG_LIFETIME: the 423 Interval Too
//    Brief names it in Min-Expires, and the dialer asks again with it (§10.2.8), so STR DIALSVC starts;
//    before, it failed with "423 Interval Too Brief";
//  - as a user whose phone is registered too: the 200 lists both bindings, the phone's first, and the
//    dialer's refresh follows its own binding's time (§10.2.4), not the phone's (before: the phone's
//    hour, so its 60 s binding lapsed 59 minutes before the refresh);
//  - from the server's own address after a SIPp-like run of wrong passwords from that address (another
//    port) locked it out: the dialer's own socket is not held to the lock-out, so STR DIALSVC registers
//    and its calls are authenticated (before: "registering 0000 failed: 403 Forbidden (too many failed
//    attempts)"); the run's address stays locked.
import { zhText } from '../../../core/mml/zh';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../support/sipp';
import { RegisteringUa, contactOf, openUdp } from '../../support/sip-client';
import { registerContact, user } from '../proxy/parties';
import { campaignId, until, useDialerLab, type DialerLab } from './lab';

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

  it('registers and calls while a run of wrong passwords from its own address has that address locked out', async () => {
    expect((await lab.mml('SET CFG KEY=AUTH.LOCKOUT_SOURCE_FAILURES VALUE=3')).retcode).toBe(0);
    const run = await openUdp({ host: '127.0.0.1', port: lab.a.transport.udpPort }); // the dialer's address
    try {
      const answers: number[] = [];
      for (const n of [3000, 3001, 3002]) {
        const guesser = new RegisteringUa(run, { username: String(n), password: 'wrong' });
        answers.push((await guesser.register([contactOf(run, String(n))], 300)).status);
      }
      expect(answers).toEqual([401, 401, 403]);
      const started = await lab.mml('STR DIALSVC');
      expect([started.retcode, started.message]).toEqual([0, expect.stringMatching(/^Auto dialer started/)]);
      // Its INVITE is authenticated (no such user: 404 once it has), not refused 403 by the lock.
      const call = await lab.mml('STR CALL SINGLE CALLEE=1099 DURATION=1');
      const id = campaignId(call);
      await until(
        'the call to end',
        () =>
          lab.a.dialer.campaign(id)!.figures.placed === 1 && lab.a.dialer.campaign(id)!.state !== 'running',
      );
      expect(lab.a.dialer.campaign(id)!.figures.byCode).toEqual({ '404': 1 });
      // The run's address is still locked out.
      const after = await new RegisteringUa(run, { username: '1002', password: 'pw-1002' }).send();
      expect(after.status).toBe(403);
    } finally {
      await run.close();
    }
  });
});
