// The last campaigns' summaries outlive a restart: DSP DIALSVC lists a finished campaign and one the
// appliance's stop interrupted ("Interrupted by shutdown: 1 of 6 placed"), with their figures, after the
// restart. Before, a restart forgot every campaign: the numbers never dialled were listed nowhere.
import { describe, expect, it } from 'vitest';
import type { MmlTable } from '../../../core/mml/command';
import { HAS_SIPP } from '../../support/sipp';
import { startCallee, user } from '../proxy/parties';
import { campaignId, testDialerLab, until } from './lab';

/** The rows of a table by column name. */
function rowsOf(t: MmlTable): Record<string, unknown>[] {
  return t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c.name, r[i]])));
}

describe.skipIf(!HAS_SIPP)('campaign summaries across a restart', () => {
  it('a finished campaign and one interrupted by the stop are still listed after the restart', async () => {
    const lab = await testDialerLab();
    await startCallee(lab.server(), user(1003), 'proxy_uas_busy.xml', { timeoutSeconds: 20 });
    await startCallee(lab.server(), user(1002), 'proxy_uas_answer.xml', { pauseMs: 0, timeoutSeconds: 30 });
    expect((await lab.mml('STR DIALSVC')).retcode).toBe(0);
    const busy = campaignId(await lab.mml('STR CALL SINGLE CALLEE=1003 DURATION=1'));
    await until('the busy campaign to finish', () => lab.a.dialer.campaign(busy)?.state === 'finished');
    const cut = campaignId(
      await lab.mml('STR CALL BATCH NUMBERS=1002,1004-1008 DURATION=30 CONCURRENCY=1 RATE=1'),
    );
    await until('the first call to be answered', () => lab.a.dialer.campaign(cut)?.figures.answered === 1);
    const dir = lab.dir;
    await lab.close(true);
    const again = await testDialerLab(dir);

    const dsp = await again.mml('DSP DIALSVC');
    const campaigns = rowsOf(dsp.tables.find((t) => t.title === 'Campaigns')!);
    // Newest first, as the Dialer view lists them (it was oldest first: dialer F6).
    expect(campaigns.map((c) => [c['Campaign'], c['State'], c['Placed'], c['Total'], c['Note']])).toEqual([
      [cut, 'stopped', 1, 6, 'Interrupted by shutdown: 1 of 6 placed'],
      [busy, 'finished', 1, 1, ''],
    ]);
    expect(campaigns[1]).toMatchObject({ Failed: 1, 'Failed by code': '486:1', 'In progress': 0 });
    expect(campaigns[0]).toMatchObject({ Answered: 1, 'In progress': 0 });
    // One campaign by its id, after the restart too.
    const one = await again.mml(`DSP DIALSVC CAMPAIGN=${cut}`);
    expect(one.retcode).toBe(0);
    expect(rowsOf(one.tables[0]!)[0]).toMatchObject({
      Campaign: cut,
      Note: 'Interrupted by shutdown: 1 of 6 placed',
    });
  }, 40_000);
});
