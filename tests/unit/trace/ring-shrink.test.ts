// A ring made smaller (SET TRACE RINGMB=1 after 16) keeps the newest messages that fit, rather than
// letting every message go while it still holds a chunk of the old size.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageTap } from '../../../core/sip/transport/message-tap';
import { SipTrace } from '../../../core/trace/index';
import { CALL_ID, FLOW, T0, play, registration } from './flow';
import { traceConfig } from './config';

const MB = 1024 * 1024;
const CONFIG = traceConfig({ ringMessages: 100_000 });

describe('a ring made smaller', () => {
  const dirs: string[] = [];
  const traces: SipTrace[] = [];
  afterEach(() => {
    for (const t of traces.splice(0)) t.stop();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const make = (): { tap: MessageTap; trace: SipTrace } => {
    const dir = mkdtempSync(join(tmpdir(), 'ims-trace-shrink-'));
    dirs.push(dir);
    const tap = new MessageTap();
    const trace = new SipTrace(tap, dir, CONFIG);
    traces.push(trace);
    return { tap, trace };
  };

  it('RINGMB 16 to 1 with a few kB held keeps every message, in chunks of the new size', () => {
    const { tap, trace } = make();
    play(tap, FLOW);
    for (let n = 0; n < 20; n++) play(tap, registration(7000 + n), T0 + n * 1000);
    const before = trace.status().ringMessages;
    expect(before).toBe(FLOW.length + 40);
    trace.reconfigure({ ...CONFIG, ringMB: 1 });
    const after = trace.status();
    expect(after.ringMessages).toBe(before);
    expect(after.ringBytes).toBeLessThan(MB / 4);
    expect(trace.messages(CALL_ID).map((m) => m.data.toString('latin1'))).toEqual(FLOW.map((s) => s.text));
  });

  it('RINGMB 16 to 1 with 3 MB held keeps the newest that fit, under 1 MB', () => {
    const { tap, trace } = make();
    const count = 1500; // 1500 dialogs of two ~1 kB messages
    for (let n = 0; n < count; n++) play(tap, registration(10_000 + n, 800), T0 + n * 1000);
    expect(trace.status().ringBytes).toBeGreaterThan(3 * MB);
    trace.reconfigure({ ...CONFIG, ringMB: 1 });
    const after = trace.status();
    expect(after.ringMessages).toBeGreaterThan(500);
    expect(after.ringBytes).toBeLessThanOrEqual(MB);
    const newest = `reg-${10_000 + count - 1}@127.0.0.1`;
    expect(trace.messages(newest)).toHaveLength(2);
    expect(trace.messages(newest)[0]!.data.toString('latin1')).toBe(
      registration(10_000 + count - 1, 800)[0]!.text,
    );
    expect(trace.messages('reg-10000@127.0.0.1')).toEqual([]);
  });
});
