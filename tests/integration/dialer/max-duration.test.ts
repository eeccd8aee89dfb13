// A dialer call the proxy ends at CALL.MAX_DURATION: DSP DIALSVC says so (the BYE's Reason header,
// RFC 3326), not "Normal" as if the callee had hung up; and STR CALL says beforehand, in a Note, that
// a DURATION longer than CALL.MAX_DURATION will be cut.
import { beforeEach, describe, expect, it } from 'vitest';
import { HAS_SIPP } from '../../support/sipp';
import { startCallee, user } from '../proxy/parties';
import { campaignId, until, useDialerLab, type DialerLab } from './lab';

let lab: DialerLab;
useDialerLab((l) => (lab = l), { started: true });
beforeEach(async () => {
  expect((await lab.mml('SET CFG KEY=CALL.MAX_DURATION VALUE=1')).retcode).toBe(0);
});

describe('a dialer call longer than CALL.MAX_DURATION', () => {
  it('STR CALL notes that DURATION exceeds CALL.MAX_DURATION; within it, no note', async () => {
    const long = await lab.mml('STR CALL SINGLE CALLEE=1007 DURATION=10');
    expect(long.retcode).toBe(0);
    expect(long.message).toContain(
      '\nNote: DURATION=10, but CALL.MAX_DURATION=1: IMS Lab ends each answered call after 1 s',
    );
    const [zh] = await lab.a.mml.execute('STR CALL SINGLE CALLEE=1007 DURATION=10', 'test', { lang: 'zh' });
    expect(zh!.message).toContain('CALL.MAX_DURATION=1：IMS Lab 在每个呼叫接通 1 秒后将其结束');
    expect((await lab.mml('STR CALL SINGLE CALLEE=1007 DURATION=1')).message).not.toContain('Note');
    expect((await lab.mml('SET CFG KEY=CALL.MAX_DURATION VALUE=0')).retcode).toBe(0); // 0: never
    expect((await lab.mml('STR CALL SINGLE CALLEE=1007 DURATION=10')).message).not.toContain('Note');
  }, 20_000);

  it.skipIf(!HAS_SIPP)(
    'the call cut by the proxy reads "Maximum call duration", not "Normal"',
    async () => {
      await startCallee(lab.server(), user(1002), 'proxy_uas_answer.xml', { pauseMs: 0, timeoutSeconds: 20 });
      const id = campaignId(await lab.mml('STR CALL SINGLE CALLEE=1002 DURATION=10'));
      await until('the proxy to end the call', () => lab.a.dialer.campaign(id)?.state === 'finished', 10_000);
      const r = lab.a.dialer.campaign(id)!.recent[0]!;
      expect(r).toMatchObject({ answered: true, end: 'remote', reason: 'Maximum call duration (SIP 200)' });
    },
    20_000,
  );
});
