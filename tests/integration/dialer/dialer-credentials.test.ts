// The dialer's account refused at authentication (its password changed under it: 407 again for the
// signed INVITE). Every call the campaign placed is a CDR row
// (README "Every dialer call is a normal CDR row"; a call IMS Lab refuses itself is a FAILED row by the
// system), and the campaign stops at the first refusal, saying so, rather than placing every number and
// locking its own address out; DSP DIALSVC then says the dialer is not registered.
import { describe, expect, it } from 'vitest';
import type { CdrRecord } from '../../../core/cdr/record';
import type { LogRecord } from '../../../core/observe/logger';
import { campaignId, until, useDialerLab, type DialerLab } from './lab';

let lab: DialerLab;
useDialerLab((l) => (lab = l), { started: true });

async function campaignRows(id: string): Promise<CdrRecord[]> {
  lab.a.cdrRecorder.flush();
  const { records } = await lab.a.cdr.page({});
  return records.filter(
    (r) => r.record_type === 'CALL' && r.extra_info.split(' ').includes(`campaign=${id}`),
  );
}

describe('a dialer campaign whose account is refused', () => {
  it('records each placed call as a FAILED row and stops placing calls at the first refusal', async () => {
    const logged: LogRecord[] = [];
    lab.a.logger.subscribe((r) => logged.push(r));
    const mod = await lab.mml('MOD USER USERNAME=0000 PASSWORD=changed99');
    expect(mod.retcode, mod.message).toBe(0);
    const started = await lab.mml('STR CALL BATCH NUMBERS=1002-1011 DURATION=1 CONCURRENCY=2 RATE=20');
    expect(started.retcode, started.message).toBe(0);
    const id = campaignId(started);
    await until('the campaign to end', () => lab.a.dialer.campaign(id)!.state !== 'running', 10_000);
    await until('its calls to end', () => lab.a.dialer.campaign(id)!.state === 'stopped', 10_000);
    const c = lab.a.dialer.campaign(id)!;
    expect(c.note).toMatch(/^Stopped: the account 0000's credentials were refused \(407 /);
    expect(c.figures.placed).toBeLessThan(10);
    expect(c.figures.byCode).toEqual({ '407': c.figures.placed });
    // The registrar is asked at once: the binding made with the old password is not taken for a yes.
    await until('the dialer to say it is not registered', () => !lab.a.dialer.snapshot().registered);
    expect(lab.a.dialer.snapshot().registration).toMatchObject({ ok: false, status: 401 });
    const dsp = await lab.mml('DSP DIALSVC');
    expect(dsp.tables[0]!.rows[0]![1]).toBe(false); // Registered
    const said = logged.filter((l) => l.level === 'WARNING' && l.text.includes(`campaign ${id} stopped`));
    expect(said, logged.map((l) => l.text).join('\n')).toHaveLength(1);

    let rows: CdrRecord[] = [];
    await until('a row per placed call', async () => {
      rows = await campaignRows(id);
      return rows.length >= c.figures.placed;
    });
    expect(rows).toHaveLength(c.figures.placed);
    for (const r of rows)
      expect(r).toMatchObject({
        call_state: 'FAILED',
        status_code: 407,
        hangup_by: 'system',
        caller_number: '0000',
      });
  });
});
