// A second export of the same second gets the same suffix from every EXP command: <name>_2 (EXP CFG,
// EXP USER and EXP TRACE said _2, EXP CDR said -2), the name never written over. Real files in a temp
// data folder, the lab's clock standing still.
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteCdrStore } from '../../../core/cdr/cdr-store';
import { MessageTap } from '../../../core/sip/transport/message-tap';
import { SipTrace, traceConfig } from '../../../core/trace/index';
import { CALL_ID, FLOW, play } from '../trace/flow';
import { openLab, run, useLabs } from './lab';

useLabs();

/** The file an EXP command's answer names (its message ends with it, or its table's first cell). */
async function exported(lab: ReturnType<typeof openLab>, command: string): Promise<string> {
  const r = await run(lab, command);
  expect(r.retcode, `${command}: ${r.message}`).toBe(0);
  const cell = r.tables[0]?.rows[0]?.[0];
  return basename(typeof cell === 'string' && /\.\w+$/.test(cell) ? cell : r.message.split(' ').at(-1)!);
}

describe('export names', () => {
  it('every EXP command names a second export of the same second <name>_2.<ext>', async () => {
    const lab = openLab();
    lab.ctx.cdr = new SqliteCdrStore(lab.db, lab.dir);
    const tap = new MessageTap();
    const trace = new SipTrace(tap, lab.dir, traceConfig(lab.settings));
    lab.ctx.trace = trace;
    play(tap, FLOW);

    const pairs: [string, string][] = [];
    for (const command of ['EXP CFG', 'EXP USER', 'EXP CDR']) {
      pairs.push([await exported(lab, command), await exported(lab, command)]);
    }
    // EXP TRACE names its file by the wall clock: two exports at one moment.
    const at = new Date();
    pairs.push([
      basename(trace.exportFile(CALL_ID, 'PCAP', at).file),
      basename(trace.exportFile(CALL_ID, 'PCAP', at).file),
    ]);

    for (const [first, second] of pairs) {
      const dot = first.lastIndexOf('.');
      expect(second).toBe(`${first.slice(0, dot)}_2${first.slice(dot)}`);
    }
    expect(readdirSync(join(lab.dir, 'CDR', 'exports')).sort()).toEqual(pairs[2]!.slice().sort());
  });
});
