// Commands that meet the data folder's storage failing (a full disk: a real one, a tmpfs, which needs root;
// trace.db that cannot be opened) answer RETCODE 7 naming the file or the folder, as EXP USER does: one
// classification (mml/store-fault.ts). Before, EXP TRACE answered 99 "Command failed: ENOSPC", EXP CDR
// did not name its file, and SET TRACE STATE=ON and SET CFG AUTH.REALM answered 3, a wrong parameter.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteCdrStore } from '../../../core/cdr/cdr-store';
import { messageRecord } from '../../../core/cdr/from-events';
import { RETCODE } from '../../../core/mml/command';
import { MessageTap } from '../../../core/sip/transport/message-tap';
import { SipTrace, traceConfig } from '../../../core/trace/index';
import { canMount, fillDisk, useTmpfsDisks } from '../../support/tmpfs';
import { message } from '../cdr/fixtures';
import { CALL_ID, FLOW, play } from '../trace/flow';
import { openLab, run, useLabs, type Lab } from './lab';

// Before the labs' clean-up, so unmounted after it (their database closed before the unmount).
const mount = useTmpfsDisks();
useLabs();

function withTrace(lab: Lab): { tap: MessageTap; trace: SipTrace } {
  const tap = new MessageTap();
  const trace = new SipTrace(tap, lab.dir, traceConfig(lab.settings));
  lab.settings.onChange((c) => {
    if (c.key.startsWith('TRACE.')) trace.reconfigure(traceConfig(lab.settings));
  });
  lab.ctx.trace = trace;
  return { tap, trace };
}

describe('storage faults answer RETCODE 7 naming the file', () => {
  it('SET TRACE STATE=ON with trace.db a folder', async () => {
    const lab = openLab();
    const { trace } = withTrace(lab);
    mkdirSync(join(lab.dir, 'trace.db'));
    const r = await run(lab, 'SET TRACE STATE=ON');
    trace.stop();
    expect(r.retcode).toBe(RETCODE.OPERATION_FAILED);
    expect(r.message).toMatch(`TRACE.PERSIST cannot be applied: Cannot write ${join(lab.dir, 'trace.db')}: `);
    expect(lab.settings.bool('TRACE.PERSIST')).toBe(false);
  });

  it.skipIf(!canMount)('EXP TRACE on a full disk', async () => {
    const disk = mount('1m');
    const lab = openLab(join(disk, 'data'));
    const { tap, trace } = withTrace(lab);
    play(tap, FLOW);
    expect((await run(lab, `EXP TRACE CALLID=${CALL_ID} FORMAT=TEXT`)).retcode).toBe(RETCODE.OK); // folder made
    fillDisk(disk);
    const r = await run(lab, `EXP TRACE CALLID=${CALL_ID} FORMAT=TEXT`);
    trace.stop();
    expect(r.retcode).toBe(RETCODE.OPERATION_FAILED);
    expect(r.message).toMatch(
      new RegExp(`^Cannot write ${join(lab.dir, 'trace', 'exports')}/trace_\\S+\\.txt: ENOSPC`),
    );
  });

  it.skipIf(!canMount)('EXP CDR on a full disk', async () => {
    const disk = mount('4m');
    const lab = openLab(join(disk, 'data'));
    const cdr = new SqliteCdrStore(lab.db, lab.dir);
    lab.ctx.cdr = cdr;
    cdr.insert(Array.from({ length: 400 }, () => messageRecord(message({ body: 'x'.repeat(300) }))));
    const date = cdr.page().then((p) => p.records[0]!.date);
    expect((await run(lab, `EXP CDR DATE=${await date}`)).retcode).toBe(RETCODE.OK); // folder made
    fillDisk(disk, 8 * 1024);
    const r = await run(lab, `EXP CDR DATE=${await date}`);
    expect(r.retcode).toBe(RETCODE.OPERATION_FAILED);
    expect(r.message).toMatch(
      new RegExp(`^Cannot write ${join(lab.dir, 'CDR', 'exports')}/cdr_export_\\S+\\.csv: ENOSPC`),
    );
  });

  it.skipIf(!canMount)('SET CFG AUTH.REALM on a full disk: "Disk full" naming the data folder', async () => {
    const disk = mount('8m');
    const lab = openLab(join(disk, 'data'));
    lab.settings.onChange((c) => {
      if (c.key === 'AUTH.REALM') lab.users.setRealm(lab.settings.str('AUTH.REALM'));
    });
    for (let i = 0; i < 3000; i++)
      lab.users.add({ username: `${10000 + i}`, password: `pw${i}`, displayName: 'x'.repeat(60) });
    fillDisk(disk);
    const r = await run(lab, 'SET CFG KEY=AUTH.REALM VALUE=full.example');
    expect(r.retcode).toBe(RETCODE.OPERATION_FAILED);
    expect(r.message).toMatch(`AUTH.REALM cannot be applied: Disk full: ${lab.dir} (`);
    expect(lab.settings.str('AUTH.REALM')).not.toBe('full.example');
  });
});
