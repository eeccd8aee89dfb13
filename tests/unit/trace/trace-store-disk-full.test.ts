// trace.db on a full disk (a real one: a tmpfs, which needs root; skipped elsewhere): the failure is said
// once for the outage, not at every flush (two a second: 254 ERROR lines in two minutes), and once it
// works again, with the messages of the outage not kept, as the CDR recorder says it.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MessageTap } from '../../../core/sip/transport/message-tap';
import { SipTrace } from '../../../core/trace/index';
import { canMount, fillDisk, useTmpfsDisks } from '../../support/tmpfs';
import { keptLog } from '../cdr/fixtures';
import { traceConfig } from './config';
import { FLOW, T0, play, registration } from './flow';

const mount = useTmpfsDisks();

describe.skipIf(!canMount)('trace.db on a full disk', () => {
  it('says the failure once, and when writes work again with how many messages were not kept', () => {
    const disk = mount('1m');
    const log = keptLog();
    const tap = new MessageTap();
    const trace = new SipTrace(tap, join(disk, 'data'), traceConfig({ persist: true, dbMB: 1 }), log);
    try {
      play(tap, FLOW);
      trace.flush();
      fillDisk(disk);
      let played = 0;
      for (let i = 0; i < 6; i++) {
        const flow = registration(7000 + i);
        play(tap, flow, T0 + (i + 1) * 1_000_000);
        played += flow.length;
        trace.flush();
      }
      expect(log.lines.filter((l) => l.startsWith('ERROR'))).toEqual([
        expect.stringMatching(
          /^ERROR trace: writing to trace.db failed: .*full.*; its messages are not kept there/,
        ),
      ]);
      rmSync(join(disk, 'filler'));
      play(tap, registration(7100), T0 + 10_000_000);
      trace.flush();
      expect(log.lines.filter((l) => l.includes('work again'))).toEqual([
        `INFO trace: trace.db writes work again (${played} messages of the outage not kept)`,
      ]);
      // /metrics' ims_trace_db_write_failures_total: each failed flush; the messages kept, the others.
      expect(trace.writerFigures()).toMatchObject({
        dbFailures: 6,
        dbMessages: FLOW.length + registration(7100).length,
      });
    } finally {
      trace.stop();
    }
  });
});
