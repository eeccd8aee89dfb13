// The auto dialer commands are declared with the original's parameters (HELP, completion and parameter
// checks are complete) but answer OPERATION_FAILED: the dialer is not in this build yet. Also: the whole
// list of commands this change adds.
import { describe, expect, it } from 'vitest';
import { commandName, RETCODE } from '../../../core/mml/command';
import { DIALER_UNAVAILABLE } from '../../../core/mml/commands/dialer';
import { openLab, run, useLabs } from './lab';

useLabs();

describe('auto dialer commands', () => {
  it('say plainly that the dialer is not available, after checking their parameters', async () => {
    const lab = openLab();
    const cases: [string, string][] = [
      ['STR DIALSVC', 'STR DIALSVC'],
      ['STP DIALSVC', 'STP DIALSVC'],
      ['DSP DIALSVC', 'DSP DIALSVC'],
      ['DSP DIALSVC CFG', 'DSP DIALSVC CFG'],
      ['STR CALL SINGLE CALLEE=1009 MEDIA_FILE=media/default.wav DURATION=10', 'STR CALL SINGLE'],
      ['STR CALL BATCH NUMBERS=1000-1005,1010 DURATION=30', 'STR CALL BATCH'],
      ['STR CALL CALLEE=1009', 'STR CALL'],
      ['STP CALL', 'STP CALL'],
    ];
    for (const [text, name] of cases) {
      const r = await run(lab, text);
      expect(r.retcode, text).toBe(RETCODE.OPERATION_FAILED);
      expect(r.message, text).toBe(`${name}: ${DIALER_UNAVAILABLE}`);
      expect(r.tables, text).toEqual([]);
    }
    expect(DIALER_UNAVAILABLE).toBe('the auto dialer is not available in this build yet');
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
    expect(either.message).toBe('STR CALL needs at least one of CALLEE, NUMBERS');
  });

  it('are in HELP and completion', async () => {
    const lab = openLab();
    const help = await run(lab, 'HELP CMD="STR CALL BATCH"');
    expect(help.retcode).toBe(RETCODE.OK);
    expect(help.tables[0]!.rows.map((row) => row[0])).toEqual(['NUMBERS', 'MEDIA_FILE', 'DURATION']);
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
