// DSP DIALSVC CAMPAIGN= says when a campaign ran, how fast it placed its calls and with which settings
// (as SIPp's final screen gives total time and call rate): whether RATE or CONCURRENCY held it back can
// be read afterwards, not only from STR CALL's own answer.
import { describe, expect, it } from 'vitest';
import type { MmlTable } from '../../../core/mml/command';
import { campaignId, useDialerLab, until, type DialerLab } from './lab';

let lab: DialerLab;

useDialerLab((l) => (lab = l), { started: true });

function rowOf(t: MmlTable): Record<string, unknown> {
  return Object.fromEntries(t.columns.map((c, i) => [c.name, t.rows[0]![i]]));
}

describe('a campaign’s times and settings', () => {
  it('DSP DIALSVC CAMPAIGN= shows start, end, elapsed, the call rate achieved and RATE, CONCURRENCY, DURATION, MEDIA_FILE, DTMF, RECORD', async () => {
    // Nobody is registered as 1005-1008: each call fails at once (404/480), the campaign finishes.
    const id = campaignId(
      await lab.mml('STR CALL BATCH NUMBERS=1005-1008 DURATION=2 RATE=7 CONCURRENCY=3 DTMF=1# RECORD=YES'),
    );
    await until('the campaign to finish', () => lab.a.dialer.campaign(id)?.state === 'finished');
    const c = lab.a.dialer.campaign(id)!;
    const dsp = await lab.mml(`DSP DIALSVC CAMPAIGN=${id}`);
    const table = dsp.tables.find((t) => t.title === `Campaign ${id}: times and settings`);
    expect(table, dsp.tables.map((t) => t.title).join(', ')).toBeDefined();
    const row = rowOf(table!);
    const elapsed = (c.endedAt! - c.startedAt) / 1000;
    expect(row).toMatchObject({
      Started: c.startedAt,
      Ended: c.endedAt,
      'Elapsed (s)': Math.round(elapsed * 100) / 100,
      'Rate (calls/s)': 7,
      Concurrency: 3,
      'Duration (s)': 2,
      DTMF: '1#',
      Record: true,
    });
    expect(row['Media file']).toMatch(/default\.wav$/);
    // Calls placed a second from the first INVITE to the last (as SIPp's call rate), not over the whole
    // campaign: at most RATE, since calls are paced at least 1/RATE apart.
    const placing = (c.lastPlacedAt! - c.firstPlacedAt!) / 1000;
    const rate = row['Call rate achieved (calls/s)'];
    expect(rate).toBe(Math.round((3 / placing) * 100) / 100);
    expect(rate).toBeLessThanOrEqual(7);
  }, 20_000);
});
