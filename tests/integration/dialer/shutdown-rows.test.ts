// The appliance stopping (SIGTERM, the desktop's quit) while dialer calls are up: the dialer ends them
// first as a user agent (BYE to the answered one, CANCEL to the ringing one), so the proxy saw an
// ordinary BYE and CANCEL and wrote "Normal" / "User Cancelled" with end_reason "System shutdown (SIP
// 200/487)". README ("Running headless"): their CDR rows say FORCED_TERMINATION_BY_SHUTDOWN, end_reason
// System shutdown, as the rows of every call a stop ended.
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { HAS_SIPP } from '../../support/sipp';
import { cdrRows } from '../proxy/cdr-reader';
import { startCallee, stopStrayCallees, user } from '../proxy/parties';
import { campaignId, openDialerLab, until, type DialerLab } from './lab';

let lab: DialerLab | undefined;

afterEach(async () => {
  await stopStrayCallees();
  if (lab !== undefined) rmSync(lab.dir, { recursive: true, force: true });
  lab = undefined;
});

describe.skipIf(!HAS_SIPP)('dialer calls the appliance stop ends', () => {
  it('have CDR rows saying FORCED_TERMINATION_BY_SHUTDOWN, answered or ringing', async () => {
    const l = (lab = await openDialerLab());
    expect((await l.mml('STR DIALSVC')).retcode).toBe(0);
    await startCallee(l.server(), user(1002), 'proxy_uas_answer.xml', { timeoutSeconds: 30 });
    await startCallee(l.server(), user(1003), 'proxy_uas_ring_cancel.xml', { timeoutSeconds: 30 });
    const started = await l.mml('STR CALL BATCH NUMBERS=1002,1003 DURATION=20 CONCURRENCY=2 RATE=50');
    expect(started.retcode, started.message).toBe(0);
    const id = campaignId(started);
    await until('one call answered, one ringing', () => {
      const states = l.a.dialer.campaign(id)!.live.map((c) => `${c.number} ${c.state}`);
      return states.sort().join(',') === '1002 answered,1003 ringing';
    });
    await l.close(true); // the appliance's stop, as on SIGTERM

    const rows = cdrRows(l.dir).filter(
      (r) => r.record_type === 'CALL' && r.extra_info.split(' ').includes(`campaign=${id}`),
    );
    const shown = rows.map((r) => ({
      callee: r.callee_number,
      state: r.call_state,
      termination: r.termination_reason,
      end: r.end_reason,
      by: r.hangup_by,
    }));
    expect(shown.sort((a, b) => a.callee.localeCompare(b.callee))).toEqual(
      ['1002', '1003'].map((callee) => ({
        callee,
        state: callee === '1002' ? 'ENDED' : 'CANCELLED', // 1003 never answered
        termination: 'FORCED_TERMINATION_BY_SHUTDOWN',
        end: 'System shutdown',
        by: 'system',
      })),
    );
  }, 40_000);
});
