// The name EXP TRACE gives its file (core/trace/sip-trace.ts): trace_<Call-ID>_<YYYYmmddTHHMMSS> on the
// server's local clock, the clock EXP CDR names its files by (cdr_export_<date>_<YYYYmmdd_HHMMSS>.csv),
// not UTC: in Asia/Shanghai at 23:06:52 it said 150652, an export of "tomorrow" near midnight.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cdrStamp } from '../../../core/cdr/clock-fields';
import { MessageTap } from '../../../core/sip/transport/message-tap';
import { SipTrace } from '../../../core/trace/index';
import { useShanghaiTime } from '../cdr/fixtures';
import { traceConfig } from './config';
import { CALL_ID, FLOW, play } from './flow';

useShanghaiTime();

describe('EXP TRACE file name', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ims-trace-name-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("is stamped on the server's local clock, as EXP CDR's files are", () => {
    const tap = new MessageTap();
    const trace = new SipTrace(tap, dir, traceConfig());
    play(tap, FLOW);
    const now = new Date(Date.UTC(2026, 11, 8, 15, 6, 52)); // 2026-12-08 23:06:52 in UTC+8
    const { file } = trace.exportFile(CALL_ID, 'PCAP', now);
    expect(basename(file)).toBe(`trace_${CALL_ID}_20261208T230652.pcap`);
    expect(cdrStamp(now.getTime())).toBe('20261208230652'); // EXP CDR's stamp of the same moment
    trace.stop();
  });
});
