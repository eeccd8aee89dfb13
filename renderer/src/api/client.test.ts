// The control client over a fake WebSocket: answers by id, time-outs, a dropped connection failing its
// requests, reconnect with back-off, re-subscribe and resync, and snapshot + events with no gaps or
// doubles (live.ts).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SESSION_ENDED_CLOSE } from '../../../core/control/contract';
import { ControlClient, OUTCOME_UNKNOWN, outcomeUnknown } from './client';
import { followLive } from './live';
import { BACKOFF_MS, PROBE_AFTER_MS, STALLED_AFTER_MS, wsTransport, type SocketLike } from './ws-transport';

class FakeSocket implements SocketLike {
  onopen: SocketLike['onopen'] = null;
  onclose: SocketLike['onclose'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onerror: SocketLike['onerror'] = null;
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  constructor(readonly url: string) {}
  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close(): void {
    this.drop();
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  drop(code?: number): void {
    this.readyState = 3;
    this.onclose?.({ code });
  }
  answer(i: number, response: Record<string, unknown>): void {
    this.onmessage?.({ data: JSON.stringify({ id: this.sent[i]!.id, ...response }) });
  }
  push(batch: Record<string, unknown>): void {
    this.onmessage?.({ data: JSON.stringify(batch) });
  }
}

let sockets: FakeSocket[];
const last = (): FakeSocket => sockets[sockets.length - 1]!;

beforeEach(() => {
  vi.useFakeTimers();
  sockets = [];
});
afterEach(() => vi.useRealTimers());

function client(opts: { checkSession?: () => Promise<boolean>; onUnauthorized?: () => void } = {}) {
  const t = wsTransport({
    url: 'ws://x/ws?token=t',
    createSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    ...opts,
  });
  return new ControlClient(t, 1000);
}

describe('ControlClient over the WebSocket transport', () => {
  it('answers requests by id and rejects an error answer with its message', async () => {
    const c = client();
    last().open();
    const a = c.execute('DSP USER');
    const b = c.complete('DSP RE');
    expect(last().sent.map((m) => m.op)).toEqual(['execute', 'complete']);
    last().answer(1, { ok: true, result: ['DSP REG'] });
    last().answer(0, { ok: false, error: 'mml: bad' });
    await expect(b).resolves.toEqual(['DSP REG']);
    await expect(a).rejects.toThrow('mml: bad');
  });

  it('times out a request with a clear message', async () => {
    const c = client();
    last().open();
    const p = c.snapshot('status');
    const check = expect(p).rejects.toThrow('no answer from the appliance within 1 s (snapshot)');
    vi.advanceTimersByTime(1000);
    await check;
  });

  it('never gives up on a command (execute, upload) the transport still holds: its late answer is given', async () => {
    const c = client(); // reads time out after 1 s
    last().open();
    const run = c.execute('RMV USER USERNAME=3000 CONFIRM=YES');
    const upload = c.uploadPrompt('a.wav', 'AAAA');
    let settled = false;
    void Promise.allSettled([run, upload]).then(() => (settled = true));
    // A cut link or a hung server: nothing comes for a minute (the request may still run when it is back).
    await vi.advanceTimersByTimeAsync(60_000);
    expect(settled).toBe(false);
    last().answer(0, { ok: true, result: { text: 'RETCODE = 0  Operation succeeded', results: [] } });
    last().answer(1, { ok: true, result: { file: 'a.wav' } });
    await expect(run).resolves.toMatchObject({ text: 'RETCODE = 0  Operation succeeded' });
    await expect(upload).resolves.toEqual({ file: 'a.wav' });
  });

  it('says the outcome of a command lost with its connection is unknown, and never sends it again', async () => {
    const c = client();
    last().open();
    const run = c.execute('ADD USER USERNAME=9191 PASSWORD=x');
    const read = c.snapshot('calls');
    last().drop(); // the server dropped the silent console; the answer never came
    await expect(run).rejects.toSatisfy(outcomeUnknown);
    await expect(run).rejects.toThrow(OUTCOME_UNKNOWN);
    // A read lost likewise is just lost (read again after the reconnect), not "unknown".
    await expect(read).rejects.toThrow('the connection to the appliance was lost');
    await expect(read).rejects.not.toSatisfy(outcomeUnknown);
    await vi.advanceTimersByTimeAsync(BACKOFF_MS[0]!);
    last().open();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(last().sent.filter((m) => m.op === 'execute')).toHaveLength(0);
    // One never sent (no connection) was not run: it says so, not "unknown".
    last().drop();
    await expect(c.execute('DSP USER')).rejects.toThrow('not connected to the appliance');
  });

  it('fails pending requests when the socket drops, reconnects with back-off, re-subscribes, resyncs', async () => {
    const c = client();
    const states: string[] = [];
    c.transport.onState((s) => states.push(s));
    last().open();
    const resyncs: number[] = [];
    const got: unknown[] = [];
    c.follow('registration', { events: (d) => got.push(...d), resync: () => resyncs.push(1) });
    expect(last().sent[0]).toMatchObject({ op: 'subscribe', topics: ['registration'] });
    last().answer(0, { ok: true, result: ['registration'] });
    expect(resyncs).toHaveLength(1);
    last().push({ topic: 'registration', first: 1, data: [{ type: 'bound' }] });
    expect(got).toEqual([{ type: 'bound' }]);

    const pending = c.snapshot('calls');
    last().drop();
    await expect(pending).rejects.toThrow('the connection to the appliance was lost');
    expect(states).toEqual(['connected', 'reconnecting']);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(BACKOFF_MS[0]!);
    expect(sockets).toHaveLength(2);
    last().drop(); // the server is still down
    vi.advanceTimersByTime(BACKOFF_MS[1]! - 1);
    expect(sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(3);
    last().drop();
    expect(states).toEqual(['connected', 'reconnecting', 'offline']);
    vi.advanceTimersByTime(BACKOFF_MS[2]!);
    last().open();
    expect(states.at(-1)).toBe('connected');
    expect(last().sent[0]).toMatchObject({ op: 'subscribe', topics: ['registration'] });
    last().answer(0, { ok: true, result: ['registration'] });
    await vi.runOnlyPendingTimersAsync();
    expect(resyncs).toHaveLength(2);
  });

  it('ends the session when the server no longer knows the token', async () => {
    let ended = false;
    client({ checkSession: () => Promise.resolve(false), onUnauthorized: () => (ended = true) });
    last().drop(); // refused before it opened
    await vi.runOnlyPendingTimersAsync();
    expect(ended).toBe(true);
    vi.advanceTimersByTime(20_000);
    expect(sockets).toHaveLength(1);
  });

  it('ends the session at once when the server closes an open console with 4401 (logged out elsewhere)', () => {
    let ended = false;
    client({ checkSession: () => Promise.resolve(true), onUnauthorized: () => (ended = true) });
    last().open();
    last().drop(SESSION_ENDED_CLOSE);
    expect(ended).toBe(true);
    vi.advanceTimersByTime(20_000);
    expect(sockets).toHaveLength(1); // no reconnect
  });
});

describe('followLive', () => {
  it('applies only the events after the snapshot, and reloads on a gap', async () => {
    const c = client();
    last().open();
    const applied: number[] = [];
    let resets = 0;
    let snapSeq = 3;
    followLive(c, {
      topic: 'log',
      load: () => c.snapshot('log').then(() => ({ lines: [], level: 'INFO', seq: snapSeq })),
      reset: () => resets++,
      apply: (events) => applied.push(...events.map((e) => (e as unknown as { n: number }).n)),
    });
    const s = last();
    s.answer(0, { ok: true, result: ['log'] }); // subscribe
    // Events 3..5 arrive before the snapshot (seq 3) answers: 3 is in it, 4 and 5 are not.
    s.push({ topic: 'log', first: 3, data: [{ n: 3 }, { n: 4 }, { n: 5 }] });
    s.answer(1, { ok: true, result: {} });
    await vi.runOnlyPendingTimersAsync();
    expect(resets).toBe(1);
    expect(applied).toEqual([4, 5]);
    s.push({ topic: 'log', first: 5, data: [{ n: 5 }, { n: 6 }] }); // 5 again: not doubled
    await vi.runOnlyPendingTimersAsync();
    expect(applied).toEqual([4, 5, 6]);
    snapSeq = 20;
    s.push({ topic: 'log', first: 9, data: [{ n: 9 }] }); // 7 and 8 were skipped: reload
    expect(s.sent.at(-1)).toMatchObject({ op: 'snapshot', name: 'log' });
    s.answer(s.sent.length - 1, { ok: true, result: {} });
    await vi.runOnlyPendingTimersAsync();
    expect(resets).toBe(2);
    s.push({ topic: 'log', first: 21, data: [{ n: 21 }] });
    await vi.runOnlyPendingTimersAsync();
    expect(applied).toEqual([4, 5, 6, 21]);
  });

  it('coalesces a burst of batches into one apply per frame', async () => {
    const c = client();
    last().open();
    const applies: number[] = [];
    followLive(c, {
      topic: 'registration',
      load: () =>
        c.snapshot('registrations').then(() => ({ bindings: [], total: 0, offset: 0, limit: 1, seq: 0 })),
      reset: () => undefined,
      apply: (events) => applies.push(events.length),
    });
    const s = last();
    s.answer(0, { ok: true, result: ['registration'] });
    s.answer(1, { ok: true, result: {} });
    await vi.advanceTimersByTimeAsync(0);
    // 1,000 registrations in four batches before the next frame: one state update.
    for (let b = 0; b < 4; b++)
      s.push({ topic: 'registration', first: 1 + b * 250, data: Array.from({ length: 250 }, () => ({})) });
    await vi.advanceTimersByTimeAsync(20);
    expect(applies).toEqual([1000]);
  });

  it('a snapshot lost with the connection is reported, and loaded again after the reconnect', async () => {
    const c = client();
    last().open();
    const failures: string[] = [];
    let resets = 0;
    followLive(c, {
      topic: 'call',
      load: () => c.snapshot('calls').then(() => ({ calls: [], seq: 0 })),
      reset: () => resets++,
      apply: () => undefined,
      failed: (e) => failures.push(e.message),
    });
    last().drop(); // subscribe and snapshot both in flight
    await vi.advanceTimersByTimeAsync(0);
    expect(failures).toEqual(['the connection to the appliance was lost']);
    await vi.advanceTimersByTimeAsync(BACKOFF_MS[0]!);
    last().open();
    last().answer(0, { ok: true, result: ['call'] }); // subscribe again, then load again
    await vi.advanceTimersByTimeAsync(0);
    expect(last().sent[1]).toMatchObject({ op: 'snapshot', name: 'calls' });
    last().answer(1, { ok: true, result: {} });
    await vi.advanceTimersByTimeAsync(0);
    expect(resets).toBe(1);
  });
});

describe('a server that stops answering over an open socket', () => {
  it('is asked after a quiet while, said stalled when nothing comes, and connected at its first word', () => {
    const c = client();
    last().open();
    const states: string[] = [];
    c.transport.onState((s) => states.push(s));
    vi.advanceTimersByTime(PROBE_AFTER_MS + 1000);
    // Asked once (a status snapshot), not again while that waits.
    expect(last().sent.filter((m) => m.op === 'snapshot' && m.name === 'status')).toHaveLength(1);
    expect(c.state).toBe('connected');
    vi.advanceTimersByTime(STALLED_AFTER_MS);
    expect(c.state).toBe('stalled');
    expect(last().sent.filter((m) => m.name === 'status')).toHaveLength(1);
    // The process goes on: the answer (any message) is the first word from it.
    last().answer(last().sent.length - 1, { ok: true });
    expect(c.state).toBe('connected');
    expect(states).toEqual(['stalled', 'connected']);
  });

  it('keeps when it last heard the appliance: the moment the data shown stopped, not when stalled is said', () => {
    vi.setSystemTime(new Date('2026-12-07T07:32:00Z'));
    const c = client();
    expect(c.transport.heardAt).toBeNull();
    last().open();
    vi.advanceTimersByTime(2000);
    last().push({ topic: 'perf', first: 1, data: [{}] }); // the last word: 07:32:02
    vi.advanceTimersByTime(STALLED_AFTER_MS + 1000);
    expect(c.state).toBe('stalled');
    expect(new Date(c.transport.heardAt!).toISOString()).toBe('2026-12-07T07:32:02.000Z');
  });

  it('is not asked while events keep coming', () => {
    const c = client();
    last().open();
    for (let i = 0; i < 20; i++) {
      vi.advanceTimersByTime(1000);
      last().push({ topic: 'perf', first: i, data: [{}] });
    }
    expect(last().sent.filter((m) => m.name === 'status')).toHaveLength(0);
    expect(c.state).toBe('connected');
  });
});
