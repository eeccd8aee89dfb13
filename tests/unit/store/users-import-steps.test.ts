// IMP USER's write (core/store/users-import-write.ts): 50,000 new users written by one transaction of
// 50,000 statements on the loop's connection held SIP 0.4-0.7 s (about 2 s on a loaded server). With the
// store's worker the rows are staged a chunk a step and put into users by one transaction of the
// worker's: the loop's connection writes none of them, and still nothing is seen until all of it is.
// Watched on the loop's connection by TEMP triggers (they fire for its own writes only) sampled at every
// turn of the event loop: counted, not timed.
import { afterEach, describe, expect, it } from 'vitest';
import { SILENT_LOG } from '../../../core/observe/log';
import { ha1 } from '../../../core/sip/auth/ha1';
import { StoreWorker } from '../../../core/store/store-worker';
import { StoreError } from '../../../core/store/types';
import { SqliteUserStore } from '../../../core/store/users';
import type { Database } from '../../../core/store/database';
import { makeDataDir, open, snapshot, useDataDirs } from './data-dir';

useDataDirs();

const workers: StoreWorker[] = [];
// Registered after useDataDirs, so run before it: the workers close their connections first.
afterEach(async () => {
  for (const w of workers.splice(0)) await w.stop();
});

/** A user store whose imports go through a running store worker (as the appliance wires it). */
async function withWorker(): Promise<{ db: Database; users: SqliteUserStore; worker: StoreWorker }> {
  const dir = makeDataDir();
  const db = open(dir);
  const worker = new StoreWorker(db, SILENT_LOG);
  await worker.start();
  workers.push(worker);
  const users = new SqliteUserStore(db, dir, {
    realm: 'sip.local',
    importWriter: { available: () => worker.available(), write: (steps) => worker.writeCounted(steps) },
  });
  return { db, users, worker };
}

/**
 * Rows of users the loop's own connection inserts or updates, at most, within one turn of the event
 * loop while `work` runs; and what `look` saw at each of those turns.
 */
async function loopWritesDuring<T, L>(
  db: Database,
  work: () => Promise<T>,
  look: () => L,
): Promise<{ result: T; mostInATurn: number; seen: L[] }> {
  let written = 0;
  db.function('counted_write', () => {
    written++;
    return null;
  });
  db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS loop_inserted AFTER INSERT ON main.users BEGIN SELECT counted_write(); END;
           CREATE TEMP TRIGGER IF NOT EXISTS loop_updated AFTER UPDATE ON main.users BEGIN SELECT counted_write(); END;`);
  let most = 0;
  let running = true;
  const seen: L[] = [];
  const tick = (): void => {
    // A turn queued before the work ended runs after it: it looks no more (the test may have closed the
    // database by then: "The database connection is not open", an uncaught error failing the run).
    if (!running) return;
    most = Math.max(most, written);
    written = 0;
    seen.push(look());
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  try {
    const result = await work();
    tick();
    return { result, mostInATurn: most, seen };
  } finally {
    running = false;
  }
}

const list = (n: number, from: number, password = (i: number) => `p${i}`) =>
  Array.from({ length: n }, (_, i) => ({ username: String(from + i), password: password(i) }));

describe('IMP USER with the store worker: the write off the loop, all or nothing', () => {
  it('adds 5,000 users: the loop writes none of them, SIP auth of the others goes on, none seen before all', async () => {
    const { db, users } = await withWorker();
    users.importOriginal(JSON.stringify(list(100, 900_000, () => 'old')));
    const { result, mostInATurn, seen } = await loopWritesDuring(
      db,
      () => users.importOriginalAsync(JSON.stringify(list(5000, 100_000)), 'add'),
      () => ({ count: users.count(), md5: users.credentials('900050')?.ha1.MD5 }),
    );
    expect(result).toEqual({ added: 5000, updated: 0 });
    // Without the worker doing the write: 5,000 rows inserted in one turn by the loop's connection.
    expect(mostInATurn).toBe(0);
    expect(seen.length).toBeGreaterThan(50);
    expect([...new Set(seen.map((s) => s.count))]).toEqual([100, 5100]);
    expect(new Set(seen.map((s) => s.md5))).toEqual(new Set([ha1('MD5', '900050', 'sip.local', 'old')]));
    expect(users.count()).toBe(5100);
    expect(users.credentials('104999')?.ha1.MD5).toBe(ha1('MD5', '104999', 'sip.local', 'p4999'));
  });

  it('upserts: existing users take what their entry gives and keep the rest, counted apart from the new', async () => {
    const { db, users } = await withWorker();
    users.add({ username: '100000', password: 'old', phone: '555', email: 'keep@example.com' });
    const created = users.get('100000')!.createTime;
    const file = JSON.stringify({
      '100000': { password: 'new', display_name: '新的', status: 'SUSPENDED' },
      ...Object.fromEntries(list(2999, 100_001).map((u) => [u.username, { password: u.password }])),
    });
    const { result, mostInATurn } = await loopWritesDuring(
      db,
      () => users.importOriginalAsync(file, 'upsert'),
      () => undefined,
    );
    expect(result).toEqual({ added: 2999, updated: 1 });
    expect(mostInATurn).toBe(0);
    expect(users.get('100000')).toMatchObject({
      displayName: '新的',
      status: 'SUSPENDED',
      phone: '555',
      email: 'keep@example.com',
      createTime: created,
    });
    expect(users.credentials('100000')?.ha1.MD5).toBe(ha1('MD5', '100000', 'sip.local', 'new'));
    expect(users.get('100001')?.displayName).toBe('用户100001');
  });

  it('a user added after the check (add mode) fails the import, named, and changes nothing', async () => {
    const { db, users } = await withWorker();
    users.add({ username: '900000', password: 'x' });
    const before = snapshot(db);
    const importing = users.importOriginalAsync(JSON.stringify(list(3000, 100_000)), 'add');
    // Another operator adds one of the file's users once the import is past its check (a few turns).
    for (let n = 0; n < 40; n++) await new Promise((r) => setImmediate(r));
    users.add({ username: '102999', password: 'mine' });
    const err = await importing.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StoreError);
    expect((err as Error).message).toMatch(/102999.*already exists/);
    const after = snapshot(db) as { username: string }[];
    expect(after.filter((u) => u.username !== '102999')).toEqual(before);
    expect(users.credentials('102999')?.ha1.MD5).toBe(ha1('MD5', '102999', 'sip.local', 'mine'));
    // The staging table went with it: the next import starts clean.
    users.remove('102999');
    expect(await users.importOriginalAsync(JSON.stringify(list(10, 200_000)), 'add')).toEqual({
      added: 10,
      updated: 0,
    });
  });

  it('the worker stopping mid-import (its second chunk) fails it and changes nothing', async () => {
    const dir = makeDataDir();
    const db = open(dir);
    const worker = new StoreWorker(db, SILENT_LOG);
    await worker.start();
    workers.push(worker);
    let steps = 0;
    const users = new SqliteUserStore(db, dir, {
      realm: 'sip.local',
      importWriter: {
        available: () => worker.available(),
        write: (s) => {
          // The staging table made, the first chunk staged: the appliance stops.
          if (++steps === 3) void worker.stop();
          return worker.writeCounted(s);
        },
      },
    });
    users.add({ username: '900000', password: 'x' });
    const before = snapshot(db);
    await expect(users.importOriginalAsync(JSON.stringify(list(6000, 100_000)), 'add')).rejects.toThrow(
      'the store worker is not running',
    );
    expect(steps).toBe(4); // and the drop of the staging table, refused as well
    expect(snapshot(db)).toEqual(before);
  });

  it('the realm changed at every turn: every user it writes has the HA1 values of the realm now', async () => {
    const { users } = await withWorker();
    let done = false;
    const importing = users
      .importOriginalAsync(JSON.stringify(list(3000, 100_000)), 'add')
      .finally(() => (done = true));
    for (let n = 0; !done; n++) {
      await new Promise((r) => setImmediate(r));
      if (!done) users.setRealm(`realm${n % 3}.test`);
    }
    expect(await importing).toEqual({ added: 3000, updated: 0 });
    const realm = users.realm;
    const wrong = list(3000, 100_000).filter(
      (u) => users.credentials(u.username)?.ha1.MD5 !== ha1('MD5', u.username, realm, u.password),
    );
    expect(wrong.map((u) => u.username)).toEqual([]);
  });
});
