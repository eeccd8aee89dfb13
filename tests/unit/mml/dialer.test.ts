// The auto dialer commands' declarations and parameter checks (the dialer itself runs in the
// integration tests, tests/integration/dialer/): without a running SIP server they say so plainly;
// parameters are checked first, DURATION takes decimal seconds; all are in HELP and completion.
import { describe, expect, it } from 'vitest';
import { commandName, RETCODE } from '../../../core/mml/command';
import { openLab, run, useLabs } from './lab';

useLabs();

describe('auto dialer commands', () => {
  it('say plainly that the dialer needs the SIP server, after checking their parameters', async () => {
    const lab = openLab();
    for (const text of [
      'STR DIALSVC',
      'STP DIALSVC',
      'DSP DIALSVC',
      'STR CALL SINGLE CALLEE=1009 MEDIA_FILE=media/default.wav DURATION=10',
      'STR CALL BATCH NUMBERS=1000-1005,1010 DURATION=30.5',
      'STR CALL CALLEE=1009',
      'STP CALL',
    ]) {
      const r = await run(lab, text);
      expect(r.retcode, text).toBe(RETCODE.OPERATION_FAILED);
      expect(r.message, text).toBe('The auto dialer is not available here: the SIP server is not running');
    }
    const cfg = await run(lab, 'DSP DIALSVC CFG');
    expect(cfg.retcode).toBe(RETCODE.OK);
    expect(cfg.tables[0]!.rows[0]!.slice(1, 6)).toEqual([
      '0000',
      "the server's address",
      10000,
      '20000-30000',
      'media/default.wav',
    ]);
  });

  it('take a pasted list of 10,000 numbers (a text parameter stops at 1,024 characters)', async () => {
    const lab = openLab();
    const numbers = Array.from({ length: 10_000 }, (_, i) => `+861380000${String(i).padStart(4, '0')}`);
    const r = await run(lab, `STR CALL BATCH NUMBERS=${numbers.join(',')}`);
    // Past the parameter checks: only the missing SIP server stops it here.
    expect(r.message).toBe('The auto dialer is not available here: the SIP server is not running');
    const over = await run(lab, `STR CALL BATCH NUMBERS=${'1,'.repeat(100_001)}1`);
    expect(over.retcode).toBe(RETCODE.PARAMETER_ERROR);
    expect(over.message).toMatch(/^Parameter NUMBERS: expected text of at most 200000 characters/);
  });

  it('name a missing or wrong parameter first', async () => {
    const lab = openLab();
    const single = await run(lab, 'STR CALL SINGLE DURATION=10');
    expect(single.retcode).toBe(RETCODE.PARAMETER_ERROR);
    expect(single.message).toBe(
      'Missing parameter CALLEE (The number to call, e.g. 1009) required by STR CALL SINGLE',
    );
    const batch = await run(lab, 'STR CALL BATCH NUMBERS=1001 DURATION=-1');
    expect(batch.retcode).toBe(RETCODE.PARAMETER_ERROR);
    expect(batch.message).toBe('Parameter DURATION: expected a number 0..86400 (e.g. 2.5), got "-1"');
    const either = await run(lab, 'STR CALL DURATION=5');
    expect(either.message).toBe('STR CALL needs at least one of CALLEE, NUMBERS, FILE');
    const tiny = await run(lab, 'STR CALL SINGLE CALLEE=1001 DURATION=0.005');
    expect(tiny.retcode).toBe(RETCODE.PARAMETER_ERROR);
    expect(tiny.message).toBe(
      'Parameter DURATION: 0.005 s is shorter than one 20 ms packet; give at least 0.02, or 0 to play the prompt once',
    );
    const rate = await run(lab, 'STR CALL BATCH NUMBERS=1001 RATE=0');
    expect(rate.retcode).toBe(RETCODE.PARAMETER_ERROR);
    expect(rate.message).toBe('Parameter RATE: expected an integer 1..1000, got "0"');
  });

  it('refuse a list of numbers in CALLEE, naming it and STR CALL BATCH', async () => {
    const lab = openLab();
    for (const text of ['STR CALL SINGLE CALLEE=2001,2002', 'STR CALL CALLEE=2001-2002']) {
      const r = await run(lab, text);
      expect(r.retcode, text).toBe(RETCODE.PARAMETER_ERROR);
      expect(r.message, text).toMatch(
        /^Parameter CALLEE: one number only, got 2; give a list as STR CALL BATCH NUMBERS=2001[,-]2002$/,
      );
    }
  });

  it('are in HELP and completion', async () => {
    const lab = openLab();
    const help = await run(lab, 'HELP CMD="STR CALL BATCH"');
    expect(help.retcode).toBe(RETCODE.OK);
    expect(help.tables[0]!.rows.map((row) => row[0])).toEqual([
      'NUMBERS',
      'FILE',
      'MEDIA_FILE',
      'DURATION',
      'DTMF',
      'RECORD',
      'CONCURRENCY',
      'RATE',
    ]);
    expect(lab.engine.complete('STR CALL ')).toEqual(
      expect.arrayContaining(['STR CALL SINGLE', 'STR CALL BATCH']),
    );
    expect(lab.engine.complete('DSP DIALSVC ')).toEqual(expect.arrayContaining(['DSP DIALSVC CFG']));
  });
});

describe('the commands of calls, CDR, performance, server status and the dialer', () => {
  it('are all registered, in their HELP groups', () => {
    const lab = openLab();
    const added = lab.engine.registry
      .commands()
      .filter((c) => ['Call', 'CDR', 'Performance', 'Dialer'].includes(c.group) || c.object === 'SRVSTAT')
      .map((c) => `${c.group}: ${commandName(c)}`);
    expect(added).toEqual([
      'System: DSP SRVSTAT',
      'Call: DSP CALL',
      'Call: DSP CALL STAT',
      'Call: RMV CALL',
      'Call: CLR CALL',
      'CDR: DSP CDR',
      'CDR: DSP CDR STAT',
      'CDR: EXP CDR',
      'CDR: CLR CDR',
      'Performance: DSP PERF',
      'Dialer: STR DIALSVC',
      'Dialer: STP DIALSVC',
      'Dialer: DSP DIALSVC',
      'Dialer: DSP DIALSVC CFG',
      'Dialer: STR CALL SINGLE',
      'Dialer: STR CALL BATCH',
      'Dialer: STR CALL',
      'Dialer: STP CALL',
    ]);
    const destructive = lab.engine.registry
      .commands()
      .filter((c) => c.destructive && ['Call', 'CDR'].includes(c.group))
      .map(commandName);
    expect(destructive).toEqual(['RMV CALL', 'CLR CALL', 'CLR CDR']);
  });
});
