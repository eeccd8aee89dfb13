// The change topics (core/change-events.ts): every change to the settings, the users, the CDR and the
// trace reaches a console that follows them, whoever made it: an MML statement from any session, a
// command that changes a setting under another name (SET TRACE, SET LOGLEVEL), a user made as a side
// effect, the CLI's `users import` writing the database from beside the appliance, a CDR import.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Appliance } from '../../../core/appliance';
import { Settings } from '../../../core/config/settings';
import { ControlSession } from '../../../core/control/control';
import {
  BATCH_INTERVAL_MS,
  type ControlEventBatch,
  type Topic,
  type TopicEvents,
} from '../../../core/control/contract';
import { usersImport } from '../../../core/cli/users-import';
import { TRIMMED_TOLD_MS } from '../../../core/change-events';
import { USERS_CHECK_MS } from '../../../core/store/users-changes';
import { messageRecord } from '../../../core/cdr/from-events';
import { message, numbered } from '../cdr/fixtures';
import { snapshot } from './snapshot';

let dataDir: string;
let appliance: Appliance;

beforeEach(() => {
  // Before the appliance: its look for other processes' changes is on the fake clock.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  dataDir = mkdtempSync(join(tmpdir(), 'ims-changes-'));
  appliance = new Appliance({ dataDir, console: false, settings: new Settings([['LOG.LEVEL', 'INFO']]) });
});

afterEach(async () => {
  vi.useRealTimers();
  await appliance.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A console (another one than the session that runs the commands) following `topics`. */
async function watcher(topics: Topic[]) {
  const batches: ControlEventBatch[] = [];
  const s = new ControlSession(appliance, 'watcher', (b) => batches.push(b));
  await s.handle({ op: 'subscribe', topics });
  return {
    /** The events of a topic delivered so far. */
    of<T extends Topic>(topic: T): TopicEvents[T][] {
      return batches.filter((b) => b.topic === topic).flatMap((b) => b.data as TopicEvents[T][]);
    },
    close: () => s.close(),
  };
}

/** Runs MML as another operator would; fails on an error answer unless `refused`. */
async function run(mml: string, refused = false): Promise<void> {
  const s = new ControlSession(appliance, 'operator-b', () => undefined);
  const r = (await s.handle({ op: 'execute', mml })) as {
    ok: true;
    result: { text: string; results: { retcode: number }[] };
  };
  expect(r.ok).toBe(true);
  expect(
    r.result.results.every((x) => x.retcode === 0),
    r.result.text,
  ).toBe(!refused);
  s.close();
}

const flush = () => vi.advanceTimersByTime(BATCH_INTERVAL_MS);

describe('config topic', () => {
  it('tells every setting changed, under whatever command: SET TRACE, SET LOGLEVEL, SET CFG; and SAVE CFG', async () => {
    const w = await watcher(['config']);
    await run('SET TRACE:STATE=ON,RINGMB=48');
    flush();
    expect(w.of('config').map((e) => [e.type, e.keys])).toEqual([
      ['changed', ['TRACE.PERSIST']],
      ['changed', ['TRACE.RING_MB']],
    ]);
    await run('SET LOGLEVEL:LEVEL=DEBUG');
    await run('SET CFG:KEY=REG.MAX_EXPIRES,VALUE=7300');
    await run('SAVE CFG');
    flush();
    expect(
      w
        .of('config')
        .slice(2)
        .map((e) => [e.type, e.keys]),
    ).toEqual([
      ['changed', ['LOG.LEVEL']],
      ['changed', ['REG.MAX_EXPIRES']],
      ['saved', ['TRACE.PERSIST', 'TRACE.RING_MB', 'LOG.LEVEL', 'REG.MAX_EXPIRES'].sort(bySettingsOrder)],
    ]);
    w.close();
  });

  it('tells nothing of a change refused (the setting is as it was)', async () => {
    const w = await watcher(['config']);
    await run('SET CFG:KEY=REG.MIN_EXPIRES,VALUE=999999', true);
    await run('SAVE CFG'); // nothing to save
    flush();
    expect(w.of('config')).toEqual([]);
    w.close();
  });
});

/** SAVE CFG writes the keys in the order of the settings' table. */
function bySettingsOrder(a: string, b: string): number {
  const order = appliance.settings.entries().map(([k]) => k);
  return order.indexOf(a) - order.indexOf(b);
}

describe('users topic', () => {
  it('tells a user added by MML at once, with the count', async () => {
    const w = await watcher(['users']);
    await run('ADD USER:USERNAME=3001,PASSWORD=secret-3001');
    flush();
    expect(w.of('users')).toEqual([{ total: 1, at: expect.any(Number) }]);
    await run('RMV USER:USERNAME=3001,CONFIRM=YES');
    flush();
    expect(w.of('users').map((e) => e.total)).toEqual([1, 0]);
    w.close();
  });

  it('tells the users another process imported into the database (the CLI beside the server) within a second', async () => {
    const w = await watcher(['users']);
    const file = join(dataDir, 'more-users.json');
    writeFileSync(file, JSON.stringify([{ username: '4001', password: 'secret-4001' }]));
    const out = new Writable({ write: (_c, _e, done) => done() });
    expect(usersImport([file], dataDir, out)).toBe(0);
    flush();
    expect(w.of('users')).toEqual([]); // not seen before the next look
    vi.advanceTimersByTime(USERS_CHECK_MS);
    flush();
    expect(w.of('users').map((e) => e.total)).toEqual([1]);
    // Once: nothing changed since.
    vi.advanceTimersByTime(USERS_CHECK_MS * 3);
    flush();
    expect(w.of('users')).toHaveLength(1);
    w.close();
  });
});

describe('cdr topic', () => {
  it('tells CLR CDR and an import, with the rows', async () => {
    const w = await watcher(['cdr']);
    expect(appliance.cdr.importNumbered([1, 2].map((n) => numbered(n, messageRecord(message()))))).toBe(2);
    flush();
    expect(w.of('cdr')).toEqual([{ type: 'imported', rows: 2, at: expect.any(Number) }]);
    // Imported again: nothing added, nothing told.
    appliance.cdr.importNumbered([numbered(1, messageRecord(message()))]);
    await run('CLR CDR:ALL=YES,CONFIRM=YES');
    flush();
    expect(w.of('cdr').map((e) => [e.type, e.rows])).toEqual([
      ['imported', 2],
      ['cleared', 2],
    ]);
    w.close();
  });
});

describe('traceState topic', () => {
  it('tells CLR TRACE and a trace turned off, with whether messages are kept; the snapshot says it too', async () => {
    const w = await watcher(['traceState']);
    const s = new ControlSession(appliance, 'viewer', () => undefined);
    expect((await snapshot(s, 'trace')).state).toEqual({ ringMessages: expect.any(Number), persist: false });
    await run('CLR TRACE:CONFIRM=YES');
    await run('SET TRACE:RINGMSG=0');
    flush();
    expect(w.of('traceState').map((e) => [e.type, e.state])).toEqual([
      ['cleared', { ringMessages: expect.any(Number), persist: false }],
      ['configured', { ringMessages: 0, persist: false }],
    ]);
    expect((await snapshot(s, 'trace')).state).toEqual({ ringMessages: 0, persist: false });
    // Another setting than the trace's: no traceState event.
    await run('SET LOG:LEVEL=WARNING');
    flush();
    expect(w.of('traceState')).toHaveLength(2);
    s.close();
    w.close();
  });

  it('tells that trace.db let its oldest dialogs go: at once, then at most once a window', async () => {
    const w = await watcher(['traceState']);
    const trimmed = () => w.of('traceState').filter((e) => e.type === 'trimmed').length;
    // What trace.db's trim calls (tests/unit/trace/trace-store.test.ts: it does, with the count).
    appliance.trace.onTrimmed!();
    flush();
    expect(trimmed()).toBe(1);
    appliance.trace.onTrimmed!();
    appliance.trace.onTrimmed!();
    flush();
    expect(trimmed()).toBe(1);
    vi.advanceTimersByTime(TRIMMED_TOLD_MS);
    flush();
    expect(trimmed()).toBe(2); // the two of the window, told once
    vi.advanceTimersByTime(TRIMMED_TOLD_MS);
    flush();
    expect(trimmed()).toBe(2); // nothing trimmed since
    w.close();
  });
});
