// The trace's text search (the Trace view's Search, DSP TRACE TEXT=): a dialog is found by a part of its
// Call-ID or by a text any message of it holds (a User-Agent, a number), in any case, in the ring; in
// trace.db by its Call-ID and users only (reading every stored message held SIP for seconds); with a time
// range, the console finds "the call at 10:00".
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageTap } from '../../../core/sip/transport/message-tap';
import { SipTrace, type TraceConfig } from '../../../core/trace/index';
import { CALL_ID, FLOW, T0, play, registration, type FlowStep } from './flow';
import { traceConfig } from './config';

/** The flow with the caller's User-Agent in its INVITE (both legs). */
const WITH_AGENT: FlowStep[] = FLOW.map((s) => ({
  ...s,
  text: s.text.replace('Max-Forwards:', 'User-Agent: Yealink SIP-T46U\r\nMax-Forwards:'),
}));

describe('trace text search', () => {
  const dirs: string[] = [];
  const traces: SipTrace[] = [];
  const make = (config: Partial<TraceConfig>): SipTrace => {
    const dir = mkdtempSync(join(tmpdir(), 'ims-trace-text-'));
    dirs.push(dir);
    const tap = new MessageTap();
    const trace = new SipTrace(tap, dir, traceConfig(config));
    traces.push(trace);
    play(tap, [...registration(7001), ...WITH_AGENT.filter((s) => s.text.startsWith('INVITE'))]);
    play(
      tap,
      WITH_AGENT.filter((s) => !s.text.startsWith('INVITE')),
    );
    trace.flush();
    return trace;
  };
  afterEach(() => {
    for (const t of traces.splice(0)) t.stop();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  const found = (trace: SipTrace, text: string, more = {}): string[] =>
    trace.dialogs({ text, ...more }).dialogs.map((d) => d.callId);

  for (const [where, config] of [
    ['the ring', {}],
    ['trace.db', { ringMessages: 0, persist: true }],
  ] as const) {
    it(`finds a dialog by its Call-ID or users, in any case, in ${where}`, () => {
      const trace = make(config);
      expect(found(trace, 'FLOW-1@')).toEqual([CALL_ID]); // a part of the Call-ID
      expect(found(trace, '7001')).toEqual(['reg-7001@127.0.0.1']); // a user
      expect(found(trace, 'polycom')).toEqual([]);
    });
  }

  it("finds a dialog by any message's text held in the ring, in any case, within a time range", () => {
    const trace = make({});
    expect(found(trace, 'yealink sip-t46u')).toEqual([CALL_ID]); // a User-Agent, typed in lower case
    expect(found(trace, 'sip:7001@')).toEqual(['reg-7001@127.0.0.1']); // a number in From/To
    expect(found(trace, '4002').sort()).toEqual([CALL_ID]);
    // With a time range: the registration came 7 s after the call began.
    expect(found(trace, '127.0.0.1', { toUs: T0 + 1000 })).toEqual([CALL_ID]);
    expect(found(trace, '127.0.0.1', { fromUs: T0 + 8_000_000 })).toEqual([]);
  });

  it("does not read trace.db's stored messages (it held SIP for seconds): a message's text alone is not found there", () => {
    const trace = make({ ringMessages: 0, persist: true });
    expect(found(trace, 'yealink sip-t46u')).toEqual([]);
  });
});
