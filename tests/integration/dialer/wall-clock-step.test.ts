// The dialer on a wall clock stepped back (NTP, an operator setting the bench PC's clock): its
// campaign keeps its pace (paced on the monotonic clock; a two-minute step held it two minutes) and
// DSP DIALSVC's uptime stays what elapsed (it read -24s); a call's talk time, the ACD and the campaign's
// end are measured on the steady clock (a step back an hour mid-call made them -3593.98 s, Ended an
// hour before Started).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HAS_SIPP } from '../../support/sipp';
import { startCallee, stopStrayCallees, user } from '../proxy/parties';
import { campaignId, openDialerLab, until, type DialerLab } from './lab';

let lab: DialerLab;

beforeEach(async () => {
  // The wall clock only (setTimeout stays real), faked before the appliance reads its Date.now.
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
  lab = await openDialerLab();
});

afterEach(async () => {
  vi.useRealTimers();
  await stopStrayCallees();
  await lab.close();
});

describe.skipIf(!HAS_SIPP)('the dialer across a wall-clock step back', () => {
  it('keeps placing calls at its rate, and its uptime is what elapsed', async () => {
    for (const n of [1002, 1003, 1004])
      await startCallee(lab.server(), user(n), 'proxy_uas_answer.xml', { pauseMs: 50, timeoutSeconds: 30 });
    expect((await lab.mml('STR DIALSVC')).retcode).toBe(0);
    const id = campaignId(await lab.mml('STR CALL BATCH NUMBERS=1002-1004 CONCURRENCY=3 RATE=2 DURATION=1'));
    const c = () => lab.a.dialer.campaign(id)!;
    await until('the first call placed', () => c().figures.placed >= 1);
    vi.setSystemTime(Date.now() - 120_000);
    await until('all three placed', () => c().figures.placed === 3, 5_000);
    const dsp = await lab.mml('DSP DIALSVC');
    const service = dsp.tables[0]!;
    const uptime = service.rows[0]![service.columns.findIndex((x) => x.name === 'Uptime')];
    expect(uptime).toMatch(/^\d+s$/);
  }, 30_000);

  it('keeps talk time, ACD and the campaign end what really elapsed when the clock steps back mid-call', async () => {
    await startCallee(lab.server(), user(1002), 'proxy_uas_answer.xml', { pauseMs: 50, timeoutSeconds: 30 });
    expect((await lab.mml('STR DIALSVC')).retcode).toBe(0);
    const id = campaignId(await lab.mml('STR CALL SINGLE CALLEE=1002 DURATION=2'));
    const c = () => lab.a.dialer.campaign(id)!;
    await until('the call answered', () => c().figures.answered >= 1);
    vi.setSystemTime(Date.now() - 3_600_000);
    await until('the campaign finished', () => c().state === 'finished', 10_000);
    const call = c().recent[0]!;
    expect(call.talkMs).toBeGreaterThan(1_500);
    expect(call.talkMs).toBeLessThan(10_000);
    expect(call.endedAt).toBeGreaterThan(call.startedAt);
    expect(c().figures.acdSeconds).toBeGreaterThan(1.5);
    expect(c().endedAt! - c().startedAt).toBeGreaterThan(1_500);
  }, 30_000);

  it("sends the console a campaign's and a live call's own clock, which a step back leaves going on", async () => {
    await startCallee(lab.server(), user(1002), 'proxy_uas_answer.xml', { pauseMs: 50, timeoutSeconds: 30 });
    expect((await lab.mml('STR DIALSVC')).retcode).toBe(0);
    const id = campaignId(await lab.mml('STR CALL SINGLE CALLEE=1002 DURATION=4'));
    const c = () => lab.a.dialer.campaign(id)!;
    await until(
      'the call answered',
      () => c().figures.answered >= 1 && c().live[0]?.answeredAt !== undefined,
    );
    vi.setSystemTime(Date.now() - 3_600_000);
    // The console counted elapsed and talk time on the server's wall clock: 00:00 for an hour.
    const campaign = c();
    const call = campaign.live[0]!;
    expect(campaign.clockAt! - campaign.startedAt).toBeGreaterThanOrEqual(0);
    expect(campaign.clockAt! - campaign.startedAt).toBeLessThan(10_000);
    expect(call.clockAt - call.answeredAt!).toBeGreaterThanOrEqual(0);
    expect(call.clockAt - call.answeredAt!).toBeLessThan(10_000);
    await until('the campaign finished', () => c().state === 'finished', 10_000);
    expect(c().clockAt).toBeUndefined(); // its elapsed is then its end less its start
  }, 30_000);
});
