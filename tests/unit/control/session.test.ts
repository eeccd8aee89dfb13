// ControlSession over a real (not started) appliance: events arrive in numbered batches per topic, a
// snapshot tells the last number it includes, and a flood beyond MAX_BATCH leaves a visible gap.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Appliance } from '../../../core/appliance';
import { Settings } from '../../../core/config/settings';
import { ControlSession } from '../../../core/control/control';
import {
  BATCH_INTERVAL_MS,
  MAX_BATCH,
  type ControlEventBatch,
  type SnapshotResults,
} from '../../../core/control/contract';

let dataDir: string;
let appliance: Appliance;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'ims-session-'));
  appliance = new Appliance({
    dataDir,
    console: false,
    settings: new Settings([['LOG.LEVEL', 'INFO']]),
  });
  vi.useFakeTimers();
});

afterEach(async () => {
  vi.useRealTimers();
  await appliance.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function session(): { s: ControlSession; batches: ControlEventBatch[] } {
  const batches: ControlEventBatch[] = [];
  return { s: new ControlSession(appliance, 'test', (b) => batches.push(b)), batches };
}

describe('ControlSession events', () => {
  it('batches a topic per interval, numbered so that a snapshot joins them without gaps or doubles', async () => {
    const { s, batches } = session();
    const log = appliance.logger.for('test');
    log.info('before subscribe');
    expect(await s.handle({ op: 'subscribe', topics: ['log'] })).toEqual({ ok: true, result: ['log'] });
    log.info('one');
    const snap = (await s.handle({ op: 'snapshot', name: 'log' })) as {
      ok: true;
      result: SnapshotResults['log'];
    };
    log.info('two');
    log.info('three');
    expect(batches).toEqual([]); // nothing before the interval
    vi.advanceTimersByTime(BATCH_INTERVAL_MS);
    expect(batches).toHaveLength(1);
    const b = batches[0]! as ControlEventBatch<'log'>;
    expect(b.topic).toBe('log');
    expect(b.data.map((r) => r.text)).toEqual(['one', 'two', 'three']);
    // The snapshot holds everything up to 'one'; the events after its seq are exactly two and three.
    expect(snap.result.lines.map((l) => l.text)).toEqual(['before subscribe', 'one']);
    const after = b.data.filter((_, i) => b.first + i > snap.result.seq).map((r) => r.text);
    expect(after).toEqual(['two', 'three']);
    log.info('four');
    vi.advanceTimersByTime(BATCH_INTERVAL_MS);
    expect(batches[1]!.first).toBe(b.first + 3);
    s.close();
  });

  // Each record's text went twice (text and the file's line): 9.7 MB of JSON for 11,000 DEBUG records,
  // built in one turn when a console opened or reconnected. The renderer makes the line from the rest.
  it("sends a log record's text once, in the snapshot and in the topic's events", async () => {
    const { s, batches } = session();
    const log = appliance.logger.for('sip');
    const text = `received INVITE\n${'Via: SIP/2.0/UDP 10.0.0.5;branch=z9hG4bK1\n'.repeat(24)}`;
    expect(await s.handle({ op: 'subscribe', topics: ['log'] })).toMatchObject({ ok: true });
    for (let i = 0; i < 100; i++) log.info(`${i} ${text}`);
    const snap = (await s.handle({ op: 'snapshot', name: 'log', query: { limit: 100 } })) as {
      ok: true;
      result: SnapshotResults['log'];
    };
    expect(snap.result.lines).toHaveLength(100);
    expect(Object.keys(snap.result.lines[0]!).sort()).toEqual(['level', 'source', 'text', 'time']);
    const texts = snap.result.lines.reduce((n, l) => n + JSON.stringify(l.text).length, 0);
    // The texts, and per record its time, level and source: 100 records of ~1 KB in ~110 KB, not ~220 KB.
    expect(JSON.stringify(snap.result).length).toBeLessThan(texts + 100 * 80);
    vi.advanceTimersByTime(BATCH_INTERVAL_MS);
    const b = batches[0]! as ControlEventBatch<'log'>;
    expect(b.data).toHaveLength(100);
    expect(Object.keys(b.data[0]!).sort()).toEqual(['level', 'source', 'text', 'time']);
    s.close();
  });

  it('keeps at most MAX_BATCH events per topic; the skipped ones show as a gap in the numbers', async () => {
    const { s, batches } = session();
    await s.handle({ op: 'subscribe', topics: ['log'] });
    const start = appliance.events.seq('log');
    const log = appliance.logger.for('flood');
    for (let i = 0; i < MAX_BATCH + 10; i++) log.info(`line ${i}`);
    vi.advanceTimersByTime(BATCH_INTERVAL_MS);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.data).toHaveLength(MAX_BATCH);
    expect(batches[0]!.first).toBe(start + 11);
    s.close();
  });

  it('stops delivering after unsubscribe and close', async () => {
    const { s, batches } = session();
    await s.handle({ op: 'subscribe', topics: ['log', 'mml'] });
    await s.handle({ op: 'unsubscribe', topics: ['log'] });
    appliance.logger.for('x').info('not delivered');
    await s.handle({ op: 'execute', mml: 'DSP USER' });
    vi.advanceTimersByTime(BATCH_INTERVAL_MS);
    expect(batches.map((b) => b.topic)).toEqual(['mml']);
    s.close();
    await s.handle({ op: 'execute', mml: 'DSP USER' });
    vi.advanceTimersByTime(BATCH_INTERVAL_MS);
    expect(batches).toHaveLength(1);
  });

  it('answers the paged registrations, config and log snapshots', async () => {
    const { s } = session();
    const reg = (await s.handle({ op: 'snapshot', name: 'registrations', query: { limit: 10 } })) as {
      ok: true;
      result: SnapshotResults['registrations'];
    };
    expect(reg.result).toMatchObject({ bindings: [], total: 0, offset: 0, limit: 10, seq: 0 });
    const cfg = (await s.handle({ op: 'snapshot', name: 'config' })) as {
      ok: true;
      result: SnapshotResults['config'];
    };
    const level = cfg.result.settings.find((x) => x.key === 'LOG.LEVEL')!;
    expect(level).toMatchObject({ value: 'INFO', default: expect.any(String), source: 'default' });
    const password = cfg.result.settings.find((x) => x.key === 'DIALER.PASSWORD')!;
    // The value masked; the default (the original's well-known 0000) is no secret, as DSP CFG shows it.
    expect(password).toMatchObject({ value: '*****', default: '0000', secret: true });
    // An empty secret shown empty (the console's table draws it as —): none is set, nothing to hide.
    const hepKey = cfg.result.settings.find((x) => x.key === 'TRACE.HEP_AUTH_KEY')!;
    expect(hepKey).toMatchObject({ value: '', secret: true });
    expect(await s.handle({ op: 'snapshot', name: 'calls', query: {} })).toMatchObject({ ok: false });
    await s.handle({ op: 'execute', mml: 'DSP USER' });
    const history = (await s.handle({ op: 'snapshot', name: 'history', query: { limit: 5 } })) as {
      ok: true;
      result: SnapshotResults['history'];
    };
    expect(history.result.entries.map((e) => e.command)).toEqual(['DSP USER']);
    expect(history.result.seq).toBe(appliance.events.seq('mml'));
  });
});

describe('ControlSession calls on their own clock', () => {
  const party = { header: '', uri: 'sip:1@x', number: '1', address: '', port: 0, userAgent: '', contact: '' };
  const live = {
    id: 'c1',
    callId: 'c1@x',
    state: 'answered',
    caller: party,
    callee: party,
    requestUri: 'sip:1@x',
    media: { kinds: [], codecs: [], direction: '' },
    startedAt: 1_000,
    answeredAt: 3_000,
    statusCode: 200,
    statusText: 'OK',
    endReason: '',
  };

  it("a live call's snapshot and events carry the call's clock as they are sent, not the wall clock", async () => {
    // The tracker's clock of a call: its start plus the steady time since (60 s here), whatever the
    // wall clock says after a step back of an hour.
    vi.spyOn(appliance.calls, 'list').mockReturnValue([live] as never);
    const nowIn = vi
      .spyOn(appliance.calls, 'nowIn')
      .mockImplementation((id) => (id === 'c1' ? 61_000 : undefined));
    vi.setSystemTime(1_000 - 3_600_000);
    const { s, batches } = session();
    await s.handle({ op: 'subscribe', topics: ['call'] });
    const snap = (await s.handle({ op: 'snapshot', name: 'calls' })) as {
      ok: true;
      result: SnapshotResults['calls'];
    };
    expect(snap.result.calls).toEqual([{ ...live, clockAt: 61_000 }]);
    nowIn.mockImplementation((id) => (id === 'c1' ? 62_500 : undefined));
    appliance.events.emit('call', { type: 'media', call: live as never, at: 0 });
    appliance.events.emit('call', {
      type: 'ended',
      call: { ...live, id: 'gone', state: 'ended', endedAt: 9_000 } as never,
      at: 0,
    });
    vi.advanceTimersByTime(BATCH_INTERVAL_MS);
    const [media, ended] = (batches[0] as ControlEventBatch<'call'>).data;
    expect(media!.call.clockAt).toBe(62_500);
    expect(ended!.call).not.toHaveProperty('clockAt'); // no longer live: its end is its clock's last word
    s.close();
    vi.restoreAllMocks();
  });
});
