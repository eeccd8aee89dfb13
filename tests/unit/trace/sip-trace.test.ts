// The trace's memory: every tapped message kept in order with its dialog, retransmissions marked,
// filters, the golden text ladder of a known flow, and the ring's limits (messages and bytes) under a
// bounded load.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageTap } from '../../../core/sip/transport/message-tap';
import { messageView, SipTrace, type TraceConfig } from '../../../core/trace/index';
import { fileSafe } from '../../../core/trace/sip-trace';
import { partiesOf } from '../../../core/trace/trace-message';
import { CALL_ID, FLOW, T0, play, registration } from './flow';
import { traceConfig } from './config';

const CONFIG = traceConfig();

/** The garbage collector, for measuring what is really held. */
function exposedGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const utc = (us: number): string => new Date(Math.floor(us / 1000)).toISOString();

describe('SIP trace', () => {
  const dirs: string[] = [];
  const traces: SipTrace[] = [];
  const make = (config: Partial<TraceConfig> = {}): { tap: MessageTap; trace: SipTrace; dir: string } => {
    const dir = mkdtempSync(join(tmpdir(), 'ims-trace-'));
    dirs.push(dir);
    const tap = new MessageTap();
    const trace = new SipTrace(tap, dir, { ...CONFIG, ...config });
    traces.push(trace);
    return { tap, trace, dir };
  };
  afterEach(() => {
    for (const t of traces.splice(0)) t.stop();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('keeps every message of a call in order, marks the retransmitted 200s, and sums the dialog up', () => {
    const { tap, trace } = make();
    play(tap, FLOW);
    const messages = trace.messages(CALL_ID);
    expect(messages.map((m) => m.data.toString('latin1'))).toEqual(FLOW.map((s) => s.text));
    expect(messages.map((m) => m.timeUs - T0)).toEqual(FLOW.map((s) => Math.round(s.at * 1000)));
    expect(messages.map((m, i) => (m.retransmission ? i : -1)).filter((i) => i >= 0)).toEqual([7, 8]);
    expect(messages[0]).toMatchObject({
      direction: 'in',
      transport: 'UDP',
      local: { address: '127.0.0.1', port: 5060 },
      remote: { address: '127.0.0.1', port: 5061 },
      method: 'INVITE',
      cseqMethod: 'INVITE',
    });
    expect(partiesOf(messages[0]!)).toEqual({ uri: '4002', from: '4001', to: '4002' });
    // As plain data for the control contract.
    expect(JSON.parse(JSON.stringify(messageView(messages[7]!, 7)))).toEqual({
      seq: 8,
      no: 8,
      timeUs: T0 + 2_000_000,
      direction: 'in',
      transport: 'UDP',
      src: { address: '127.0.0.1', port: 5062 },
      dst: { address: '127.0.0.1', port: 5060 },
      firstLine: 'SIP/2.0 200 OK',
      label: '200 OK',
      method: '',
      status: 200,
      retransmission: true,
      error: null,
      text: FLOW[7]!.text,
    });
    const { dialogs, total } = trace.dialogs();
    expect(total).toBe(1);
    expect(dialogs[0]).toEqual({
      callId: CALL_ID,
      kind: 'call',
      firstLine: 'INVITE sip:4002@127.0.0.1 SIP/2.0',
      from: '4001',
      to: '4002',
      messages: FLOW.length,
      startUs: T0,
      lastUs: T0 + 7_030_300,
      finalStatus: 200,
    });
  });

  it('filters dialogs by Call-ID (or a part), user, method, response class, address (and port), time and kind', () => {
    const { tap, trace } = make();
    play(tap, FLOW);
    play(tap, registration(7001), T0 + 60_000_000);
    const ids = (f: Parameters<SipTrace['dialogs']>[0]): string[] =>
      trace.dialogs(f).dialogs.map((d) => d.callId);
    expect(ids({})).toEqual(['reg-7001@127.0.0.1', CALL_ID]);
    expect(ids({ callId: CALL_ID })).toEqual([CALL_ID]);
    expect(ids({ user: '7001' })).toEqual(['reg-7001@127.0.0.1']);
    expect(ids({ user: '4002' })).toEqual([CALL_ID]);
    expect(ids({ method: 'bye' })).toEqual([CALL_ID]);
    expect(ids({ statusClass: 1 })).toEqual([CALL_ID]);
    expect(ids({ statusClass: 4 })).toEqual([]);
    expect(ids({ address: '127.0.0.1' })).toHaveLength(2);
    expect(ids({ address: '10.0.0.1' })).toEqual([]);
    // address:port, as the ladder shows an end: the callee's port is in the call only.
    expect(ids({ address: '127.0.0.1:5062' })).toEqual([CALL_ID]);
    expect(ids({ address: ' 127.0.0.1:5061' })).toEqual(['reg-7001@127.0.0.1', CALL_ID]);
    expect(ids({ address: '127.0.0.1:5999' })).toEqual([]);
    // A part of a Call-ID finds it.
    expect(ids({ callId: 'flow-1' })).toEqual([CALL_ID]);
    expect(ids({ callId: 'reg-' })).toEqual(['reg-7001@127.0.0.1']);
    expect(ids({ fromUs: T0 + 30_000_000 })).toEqual(['reg-7001@127.0.0.1']);
    expect(ids({ toUs: T0 + 30_000_000 })).toEqual([CALL_ID]);
    expect(ids({ kind: 'registration' })).toEqual(['reg-7001@127.0.0.1']);
  });

  it('draws the known flow as the golden ladder', () => {
    const { tap, trace } = make();
    play(tap, FLOW);
    // The golden ladder was drawn with T0 on 2026-12-02; T0 is now yesterday's 10:00 UTC (flow.ts).
    const golden = readFileSync(join(__dirname, 'golden', 'flow-ladder.txt'), 'utf8').replace(
      '2026-12-02T10:00:00.000Z',
      new Date(T0 / 1000).toISOString(),
    );
    expect(trace.ladder(CALL_ID, { formatTime: utc })).toBe(golden);
  });

  it('prints a negative delta with its sign once (a dialog stored across a restart with the clock set back)', () => {
    const { tap, trace } = make();
    play(tap, [FLOW[0]!, { ...FLOW[1]!, at: -120.5 }]);
    const rows = trace.ladder(CALL_ID, { formatTime: utc }).split('\n');
    expect(rows[4]).toMatch(/^ {2}-0\.120500 -0\.120500 {2,}\|<-/);
  });

  it('records a malformed message with its fault, under its own kind when it has no Call-ID', () => {
    const { tap, trace } = make();
    tap.emit(
      'in',
      Buffer.from('NOT SIP AT ALL\r\n\r\n'),
      'UDP',
      { address: '127.0.0.1', port: 5060 },
      '127.0.0.1',
      5099,
      undefined,
      '400 Malformed start line',
    );
    const [d] = trace.dialogs({ kind: 'malformed' }).dialogs;
    expect(d).toMatchObject({ callId: '', kind: 'malformed', messages: 1 });
    expect(trace.messages('')[0]!.error).toBe('400 Malformed start line');
    expect(trace.ladder('', { formatTime: utc })).toContain('! 400 Malformed start line');
  });

  it('holds at most RING_MESSAGES messages, the oldest going first with their dialogs', () => {
    const { tap, trace } = make({ ringMessages: 100 });
    for (let n = 0; n < 1000; n++) play(tap, registration(n), T0);
    const s = trace.status();
    expect(s.ringMessages).toBe(100);
    expect(s.dialogs).toBe(50);
    expect(s.evicted).toBe(1900);
    expect(s.captured).toBe(2000);
    expect(trace.dialogs({ callId: 'reg-0@127.0.0.1' }).total).toBe(0);
    expect(trace.messages('reg-999@127.0.0.1')).toHaveLength(2);
  });

  it('tells of each dialog it lets go for good, with its summary marked gone; none while trace.db keeps them', () => {
    const { tap, trace } = make({ ringMessages: 10 });
    const gone: { callId: string; from: string; gone: boolean | undefined }[] = [];
    trace.onGone((callId, summary) => {
      const s = summary();
      gone.push({ callId, from: s.from, gone: s.gone });
    });
    for (let n = 0; n < 8; n++) play(tap, registration(n), T0);
    // 16 messages through a ring of 10: the first 3 registrations went, whole.
    expect(gone).toEqual(
      [0, 1, 2].map((n) => ({ callId: `reg-${n}@127.0.0.1`, from: String(n), gone: true })),
    );
    const kept = make({ ringMessages: 10, persist: true });
    const told: string[] = [];
    kept.trace.onGone((callId) => told.push(callId));
    for (let n = 0; n < 8; n++) play(kept.tap, registration(n), T0);
    expect(told).toEqual([]);
  });

  it('holds at most RING_MB of messages, and the memory it holds stays near that under a bounded load', () => {
    const gc = exposedGc();
    const { tap, trace } = make({ ringMessages: 1_000_000, ringMB: 8 });
    const used = (): number => {
      gc();
      gc();
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    const before = used();
    // 20,000 messages of about 2 KB and 10,000 dialogs (40 MB) through an 8 MB ring.
    for (let n = 0; n < 10_000; n++) play(tap, registration(n, 2000), T0);
    const s = trace.status();
    expect(s.ringBytes).toBeLessThanOrEqual(8 * 1024 * 1024);
    // About 3 KB each, counted with their share of the dialog.
    expect(s.ringMessages).toBeGreaterThan(2500);
    expect(s.ringMessages).toBeLessThan(3000);
    const held = used() - before;
    // What the ring really holds (bytes, records, index, strings) is within 10% of its limit.
    expect(held).toBeLessThan(8 * 1024 * 1024 * 1.1);
    expect(held).toBeGreaterThan(6 * 1024 * 1024);
    trace.clear();
    expect(used() - before).toBeLessThan(2 * 1024 * 1024);
  });

  it('RING_MESSAGES=0 leaves the tap idle; CLR empties the ring', () => {
    const { tap, trace } = make({ ringMessages: 0 });
    expect(tap.active).toBe(false);
    trace.reconfigure({ ...CONFIG });
    expect(tap.active).toBe(true);
    play(tap, FLOW);
    expect(trace.clear()).toEqual({ ring: FLOW.length, stored: 0 });
    expect(trace.dialogs().total).toBe(0);
  });
});

describe('fileSafe', () => {
  it("makes a Call-ID a file name the console's download route takes: no separators, no '..'", () => {
    expect(fileSafe('a..b@host')).toBe('a_b@host');
    expect(fileSafe('../../etc/passwd')).toBe('____etc_passwd');
    expect(fileSafe('x/y\\z 1@h.example')).toBe('x_y_z_1@h.example');
    expect(fileSafe('')).toBe('none');
  });
});
