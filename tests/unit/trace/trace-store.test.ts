// trace.db: batches written by a timer (not per message), read back by Call-ID, trimmed by age and by
// size, the file itself staying under the limit under a bounded load; CLR empties it (also while
// persistence is off).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SILENT_LOG } from '../../../core/observe/log';
import { MessageTap } from '../../../core/sip/transport/message-tap';
import { SipTrace } from '../../../core/trace/index';
import { TRACE_DATABASE_FILE, TraceStore } from '../../../core/trace/trace-store';
import { CALLER, CALL_ID, FLOW, T0, play, registration } from './flow';
import { traceConfig } from './config';

const CONFIG = traceConfig({ persist: true, dbMB: 2, hepCaptureId: 1 });

describe('trace.db', () => {
  const dirs: string[] = [];
  const dir = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'ims-tracedb-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('keeps a call beyond the ring: the ladder still comes from trace.db', () => {
    const d = dir();
    const tap = new MessageTap();
    const trace = new SipTrace(tap, d, { ...CONFIG, ringMessages: 10 });
    play(tap, FLOW);
    trace.flush();
    const held = trace.messages(CALL_ID);
    expect(held.map((m) => m.data.toString('latin1'))).toEqual(FLOW.map((s) => s.text));
    expect(held.filter((m) => m.retransmission)).toHaveLength(2);
    expect(trace.status()).toMatchObject({ ringMessages: 10, storedMessages: FLOW.length, persist: true });
    expect(trace.clear()).toEqual({ ring: 10, stored: FLOW.length });
    trace.stop();
  });

  it('lists the stored dialogs after a restart, as the ring did, with its filters, newest first and bounded', () => {
    const d = dir();
    const tap = new MessageTap();
    const before = new SipTrace(tap, d, CONFIG);
    play(tap, FLOW);
    play(tap, registration(7001), T0 + 60_000_000);
    const listed = before.dialogs();
    expect(listed.total).toBe(2);
    before.stop();

    // A restart: the ring holds nothing, trace.db everything.
    const after = new SipTrace(tap, d, CONFIG);
    expect(after.status()).toMatchObject({ dialogs: 0, storedMessages: FLOW.length + 2 });
    expect(after.dialogs()).toEqual(listed);
    const ids = (f: Parameters<SipTrace['dialogs']>[0], limit?: number): string[] =>
      after.dialogs(f, limit).dialogs.map((x) => x.callId);
    expect(ids({ callId: 'FLOW-1' })).toEqual([CALL_ID]);
    expect(ids({ user: '7001' })).toEqual(['reg-7001@127.0.0.1']);
    expect(ids({ user: '4002' })).toEqual([CALL_ID]);
    expect(ids({ method: 'bye' })).toEqual([CALL_ID]);
    expect(ids({ statusClass: 1 })).toEqual([CALL_ID]);
    expect(ids({ statusClass: 4 })).toEqual([]);
    expect(ids({ address: '127.0.0.1' })).toHaveLength(2);
    expect(ids({ address: '10.0.0.1' })).toEqual([]);
    expect(ids({ address: '127.0.0.1:5062' })).toEqual([CALL_ID]);
    expect(ids({ address: '127.0.0.1:5060' })).toHaveLength(2);
    expect(ids({ address: '127.0.0.1:5999' })).toEqual([]);
    expect(ids({ fromUs: T0 + 30_000_000 })).toEqual(['reg-7001@127.0.0.1']);
    expect(ids({ toUs: T0 + 30_000_000 })).toEqual([CALL_ID]);
    expect(ids({ kind: 'registration' })).toEqual(['reg-7001@127.0.0.1']);
    expect(after.dialogs({}, 1)).toEqual({ dialogs: [listed.dialogs[0]], total: 2 });

    // A Call-ID in the ring and in trace.db is listed once: a phone's registration refreshed after the
    // restart, with the same Call-ID, counts its messages from before it too, and starts then; its
    // messages (the ladder, the pcap) are all four, not only the ring's two.
    play(tap, registration(7001), T0 + 120_000_000);
    const again = after.dialogs();
    expect(again.total).toBe(2);
    expect(again.dialogs.map((x) => [x.callId, x.messages, x.startUs])).toEqual([
      ['reg-7001@127.0.0.1', 4, listed.dialogs[0]!.startUs],
      [CALL_ID, FLOW.length, listed.dialogs[1]!.startUs],
    ]);
    expect(after.messages('reg-7001@127.0.0.1')).toHaveLength(4);
    after.stop();

    // The ring off: the list is trace.db's.
    const ringOff = new SipTrace(tap, d, { ...CONFIG, ringMessages: 0 });
    expect(ringOff.dialogs().dialogs.map((x) => [x.callId, x.messages])).toEqual([
      ['reg-7001@127.0.0.1', 4],
      [CALL_ID, FLOW.length],
    ]);
    ringOff.stop();
  });

  it('marks a retransmission in trace.db with the ring off too, as with it on', () => {
    const options =
      'OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bKo1\r\n' +
      'From: <sip:4001@127.0.0.1>;tag=o1\r\nTo: <sip:127.0.0.1>\r\nCall-ID: options-1@127.0.0.1\r\n' +
      'CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n';
    const twice = [0, 500].map((at) => ({ dir: 'in' as const, peer: CALLER, text: options, at }));
    for (const ringMessages of [1000, 0]) {
      const d = dir();
      const tap = new MessageTap();
      const trace = new SipTrace(tap, d, { ...CONFIG, ringMessages });
      play(tap, twice);
      trace.flush();
      trace.stop();
      const reopened = new TraceStore(d, { days: 7, maxBytes: 1 << 30 });
      expect(reopened.messagesOf('options-1@127.0.0.1').map((m) => m.retransmission)).toEqual([false, true]);
      expect(reopened.dialogs({ kind: 'other' }, 10, () => false).total).toBe(1);
      reopened.close();
    }
  });

  it('sums up the dialogs of a trace.db written before the summaries, when it is opened', () => {
    const d = dir();
    const tap = new MessageTap();
    const first = new SipTrace(tap, d, CONFIG);
    play(tap, FLOW);
    const listed = first.dialogs();
    first.stop();
    const db = new BetterSqlite3(join(d, TRACE_DATABASE_FILE));
    db.exec('DROP TABLE trace_dialog');
    db.pragma('user_version = 0');
    db.close();
    // Said in the log, before and after: on a large trace.db it takes seconds.
    const lines: string[] = [];
    const log = { ...SILENT_LOG, info: (m: string) => lines.push(m) };
    const after = new SipTrace(tap, d, { ...CONFIG, ringMessages: 0 }, log);
    expect(after.dialogs()).toEqual(listed);
    const file = join(d, TRACE_DATABASE_FILE);
    expect(lines).toEqual([
      `summing up the ${FLOW.length} messages of ${file} for the trace's list of dialogs, once`,
      expect.stringMatching(new RegExp(`^summed up ${file.replace(/[.]/g, '\\.')} in \\d+ ms$`)),
    ]);
    after.stop();
  });

  it('CLR with persistence off forgets trace.db too: turned back on, nothing of before is there', () => {
    const d = dir();
    const tap = new MessageTap();
    const trace = new SipTrace(tap, d, { ...CONFIG, ringMessages: 10 });
    play(tap, FLOW);
    trace.flush();
    trace.reconfigure({ ...CONFIG, ringMessages: 10, persist: false });
    expect(trace.clear()).toEqual({ ring: 10, stored: FLOW.length });
    trace.reconfigure({ ...CONFIG, ringMessages: 10 });
    expect(trace.status()).toMatchObject({ storedMessages: 0, persist: true });
    expect(trace.messages(CALL_ID)).toEqual([]);
    trace.stop();
  });

  it('CLR with persistence off and no trace.db makes none', () => {
    const d = dir();
    const trace = new SipTrace(new MessageTap(), d, { ...CONFIG, persist: false });
    expect(trace.clear()).toEqual({ ring: 0, stored: 0 });
    expect(() => statSync(join(d, TRACE_DATABASE_FILE))).toThrow();
    trace.stop();
  });

  it('writes in batches: nothing before the timer fires, everything after', async () => {
    const d = dir();
    const store = new TraceStore(d, { days: 7, maxBytes: 1 << 30 }, undefined, 50);
    const tap = new MessageTap();
    const trace = new SipTrace(tap, d, { ...CONFIG, persist: false });
    play(tap, FLOW);
    for (const m of trace.messages(CALL_ID)) store.push(m, 'call');
    expect(store.rows).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(store.rows).toBe(FLOW.length);
    expect(store.messagesOf(CALL_ID)).toHaveLength(FLOW.length);
    store.close();
    trace.stop();
  });

  it('drops messages older than the retention days', () => {
    const d = dir();
    const store = new TraceStore(d, { days: 1, maxBytes: 1 << 30 });
    const tap = new MessageTap();
    const trace = new SipTrace(tap, d, { ...CONFIG, persist: false });
    const now = Date.now() * 1000;
    play(tap, registration(1), now - 3 * 86_400_000_000);
    play(tap, registration(2), now - 60_000_000);
    for (const m of trace.messages('reg-1@127.0.0.1')) store.push(m, 'registration');
    for (const m of trace.messages('reg-2@127.0.0.1')) store.push(m, 'registration');
    store.flush(now);
    expect(store.messagesOf('reg-1@127.0.0.1')).toEqual([]);
    expect(store.messagesOf('reg-2@127.0.0.1')).toHaveLength(2);
    expect(store.trimmed).toBe(2);
    // Its dialog went with its messages.
    expect(store.dialogs({}, 10, () => false).dialogs.map((x) => x.callId)).toEqual(['reg-2@127.0.0.1']);
    store.close();
    trace.stop();
  });

  it('stays under DB_MB: the oldest go first and the file follows the limit', () => {
    const d = dir();
    const tap = new MessageTap();
    const trace = new SipTrace(tap, d, { ...CONFIG, ringMessages: 100, dbMB: 2 });
    let trims = 0;
    trace.onTrimmed = () => trims++; // the consoles' Trace lists are read again (change-events.ts)
    // 6,000 messages of about 2 KB (12 MB) through a 2 MB database, in batches of 200.
    for (let n = 0; n < 3000; n++) {
      play(tap, registration(n, 2000), Date.now() * 1000);
      if (n % 100 === 99) trace.flush();
    }
    trace.flush();
    const s = trace.status();
    expect(s.storedBytes).toBeLessThanOrEqual(2 * 1024 * 1024);
    // A 2.3 KB row takes most of a 4 KB page: about 450 fit.
    expect(s.storedMessages).toBeGreaterThan(300);
    expect(trims).toBeGreaterThan(0);
    trace.stop();
    // The file: the rows plus indexes and free pages, within a margin of the limit.
    const size = statSync(join(d, TRACE_DATABASE_FILE)).size;
    expect(size).toBeLessThan(2.5 * 1024 * 1024);
    // The newest are the ones kept.
    const reopened = new TraceStore(d, { days: 7, maxBytes: 2 * 1024 * 1024 });
    expect(reopened.messagesOf('reg-2999@127.0.0.1')).toHaveLength(2);
    expect(reopened.messagesOf('reg-0@127.0.0.1')).toHaveLength(0);
    reopened.close();
  });
});
