// A campaign's figures while its calls are up: placed as each call is placed, answered at the answer,
// the RTP of calls in progress counted; in DSP DIALSVC and in the progress events the console follows.
import { describe, expect, it } from 'vitest';
import type { CampaignSnapshot } from '../../../core/dialer/campaign';
import { HAS_SIPP } from '../../support/sipp';
import { startCallee, user } from '../proxy/parties';
import { campaignId, useDialerLab, until, type DialerLab } from './lab';

let lab: DialerLab;

useDialerLab((l) => (lab = l));

describe.skipIf(!HAS_SIPP)('live campaign figures', () => {
  it('count the calls placed, answered and their RTP before any call ends', async () => {
    for (const n of [1002, 1003, 1004])
      await startCallee(lab.server(), user(n), 'proxy_uas_answer.xml', { pauseMs: 50, timeoutSeconds: 30 });
    expect((await lab.mml('STR DIALSVC')).retcode).toBe(0);
    const events: CampaignSnapshot[] = [];
    lab.a.dialer.on((e) => {
      if (e.type === 'progress') events.push(e.campaign);
    });
    const id = campaignId(
      await lab.mml('STR CALL BATCH NUMBERS=1002-1004 CONCURRENCY=3 RATE=10 DURATION=20'),
    );
    const c = () => lab.a.dialer.campaign(id)!;
    await until('three calls answered', () => c().live.filter((l) => l.state === 'answered').length === 3);
    await until('media flowing', () => c().live.every((l) => l.rtpSent > 0));
    // The last event told of the third answer.
    expect(events.at(-1)!.figures).toMatchObject({ placed: 3, answered: 3, completed: 0, failed: 0 });

    const dsp = await lab.mml('DSP DIALSVC');
    const [service, campaigns] = dsp.tables;
    const col = (t: typeof service, name: string) =>
      t!.rows[0]![t!.columns.findIndex((x) => x.name === name)];
    expect([
      col(service, 'Calls placed'),
      col(service, 'Answered'),
      col(service, 'Calls in progress'),
    ]).toEqual([3, 3, 3]);
    expect([col(campaigns, 'Placed'), col(campaigns, 'In progress'), col(campaigns, 'Answered')]).toEqual([
      3, 3, 3,
    ]);
    expect(col(campaigns, 'RTP sent')).toBeGreaterThan(0);
    // Three seizures, each answered (still talking): ASR counts them at their answer.
    expect(col(campaigns, 'ASR (%)')).toBe(100);
  }, 30_000);
});
