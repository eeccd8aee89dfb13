// DSP DIALSVC's service totals describe the campaigns it lists: STP DIALSVC and STR DIALSVC keep both
// (the original lost its statistics on stop, reference §6.4, BUG 48).
import { describe, expect, it } from 'vitest';
import { campaignId, useDialerLab, until, type DialerLab } from './lab';

let lab: DialerLab;

useDialerLab((l) => (lab = l));

describe('dialer totals', () => {
  it('are kept across STP DIALSVC and STR DIALSVC, as the campaign table is', async () => {
    expect((await lab.mml('STR DIALSVC')).retcode).toBe(0);
    // 1003 and 1004 exist without a binding: the proxy answers 480 at once.
    const id = campaignId(await lab.mml('STR CALL BATCH NUMBERS=1003,1004'));
    await until('the calls to fail', () => lab.a.dialer.campaign(id)?.state === 'finished');
    expect((await lab.mml('STP DIALSVC')).retcode).toBe(0);
    expect((await lab.mml('STR DIALSVC')).retcode).toBe(0);
    const again = campaignId(await lab.mml('STR CALL SINGLE CALLEE=1005'));
    await until('the call to fail', () => lab.a.dialer.campaign(again)?.state === 'finished');
    const [service, campaigns] = (await lab.mml('DSP DIALSVC')).tables;
    const at = (name: string) => service!.columns.findIndex((c) => c.name === name);
    const row = service!.rows[0]!;
    expect([row[at('Calls placed')], row[at('Answered')], row[at('Failed')]]).toEqual([3, 0, 3]);
    // Newest first, as the console lists them.
    expect(campaigns!.rows.map((r) => r[0])).toEqual([again, id]);
  }, 20_000);
});
