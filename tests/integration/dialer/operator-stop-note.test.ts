// A campaign an operator stopped says so in its Note: who (the MML user, as DSP HISTORY names them), with
// which command, and how many of its numbers were placed, as a shutdown's and a refused account's Notes
// do. Before, its Note was empty: with two operators sharing the dialer (STP CALL with no CAMPAIGN= stops
// every campaign), the one who started it could not tell why it ended (findings F8).
import { describe, expect, it } from 'vitest';
import { zhDialerReason } from '../../../core/dialer/reason-zh';
import { campaignId, testDialerLab, until, type DialerLab } from './lab';

/** A campaign of 60 numbers nobody registered (each a 404 at once), one a second: still running. */
async function running(l: DialerLab): Promise<string> {
  const id = campaignId(await l.mml('STR CALL BATCH NUMBERS=1100-1159 DURATION=1 CONCURRENCY=1 RATE=1'));
  await until('a call placed', () => (l.a.dialer.campaign(id)?.figures.placed ?? 0) >= 1);
  return id;
}

describe('a campaign stopped by an operator', () => {
  it('names who stopped it, with which command, and how many of how many were placed', async () => {
    const l = await testDialerLab();
    expect((await l.mml('STR DIALSVC')).retcode).toBe(0);
    const a = await running(l);
    expect((await l.mml('STP CALL')).retcode).toBe(0); // the lab's MML user is "test"
    const stopped = l.a.dialer.campaign(a)!;
    expect(stopped.state).toBe('stopped');
    const placed = stopped.figures.placed;
    expect(stopped.note).toBe(`Stopped by test (STP CALL): ${placed} of 60 placed`);
    expect(zhDialerReason(stopped.note!)).toBe(`已由 test 停止（STP CALL）: 已发起 ${placed} / 60`);
    // DSP DIALSVC says it too, and keeps it with the summary.
    const one = await l.mml(`DSP DIALSVC CAMPAIGN=${a}`);
    const t = one.tables[0]!;
    expect(t.rows[0]![t.columns.findIndex((c) => c.name === 'Note')]).toBe(stopped.note);

    const b = await running(l);
    expect((await l.mml('STP DIALSVC')).retcode).toBe(0);
    const byService = l.a.dialer.campaign(b)!;
    expect(byService.note).toBe(`Stopped by test (STP DIALSVC): ${byService.figures.placed} of 60 placed`);
  }, 30_000);
});
