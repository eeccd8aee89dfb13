// A campaign's PDD while its calls are up: ASR counted an answered call at its answer, but PDD p50/p95
// (and the jitter) stayed "-" until calls ended: with 10-minute calls, no PDD for 10 minutes though each
// call's first 18x or answer was known. Now the calls in progress count in them too.
import { describe, expect, it } from 'vitest';
import { HAS_SIPP } from '../../support/sipp';
import { startCallee, user } from '../proxy/parties';
import { campaignId, until, useDialerLab, type DialerLab } from './lab';

let lab: DialerLab;
useDialerLab((l) => (lab = l), { started: true });

describe.skipIf(!HAS_SIPP)('a campaign whose call is up', () => {
  it('shows its PDD as soon as the call rang or was answered', async () => {
    await startCallee(lab.server(), user(1002), 'proxy_uas_answer.xml', { timeoutSeconds: 30 });
    const id = campaignId(await lab.mml('STR CALL SINGLE CALLEE=1002 DURATION=5'));
    await until('the answer', () => lab.a.dialer.campaign(id)!.live[0]?.state === 'answered');
    const f = lab.a.dialer.campaign(id)!.figures;
    expect(f).toMatchObject({ answered: 1, completed: 0 });
    expect(f.pddP50Ms).not.toBeNull();
    expect(f.pddP95Ms).toBe(f.pddP50Ms);
    expect(f.pddP50Ms!).toBeGreaterThanOrEqual(0);
    // The call's own row says its 200 and PDD while it is up, not only once it ended.
    expect(lab.a.dialer.campaign(id)!.live[0]).toMatchObject({ status: 200, pddMs: f.pddP50Ms });
    const dsp = await lab.mml(`DSP DIALSVC CAMPAIGN=${id}`);
    expect(dsp.retcode).toBe(0);
    await lab.mml(`STP CALL CAMPAIGN=${id}`);
  }, 30_000);
});
