import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteBindingStore } from '../../../core/store/bindings';
import { closeDatabase, DATABASE_FILE } from '../../../core/store/database';
import { migrate, MIGRATIONS } from '../../../core/store/migrations';
import { StoreWorker } from '../../../core/store/store-worker';
import { SILENT_LOG } from '../../../core/observe/log';
import type { Binding } from '../../../core/store/types';
import { makeDataDir, open, useDataDirs } from './data-dir';

useDataDirs();

function binding(i: number, changes: Partial<Binding> = {}): Binding {
  return {
    aor: `sip:${1000 + (i % 5000)}@ims.lab`,
    contact: `sip:${1000 + (i % 5000)}@10.0.${(i >> 8) & 255}.${i & 255}:${5060 + (i % 3)};transport=udp`,
    contactParams: i % 2 === 0 ? ';+sip.instance="<urn:uuid:00000000-0000-0000-0000-000000000001>"' : '',
    expiresAt: 1_800_000_000_000 + i,
    q: i % 4 === 0 ? undefined : (i % 10) / 10,
    callId: `call-${i}@host`,
    cseq: i + 1,
    sourceAddress: `192.0.2.${i % 250}`,
    sourcePort: 40000 + (i % 20000),
    transport: i % 3 === 0 ? 'TCP' : 'UDP',
    userAgent: 'baresip 3.x',
    createdAt: 1_700_000_000_000 + i,
    updatedAt: 1_700_000_500_000 + i,
    ...changes,
  };
}

const key = (b: { aor: string; contact: string }): string => `${b.aor} ${b.contact}`;
const sorted = (list: Binding[]): Binding[] => [...list].sort((a, b) => (key(a) < key(b) ? -1 : 1));

describe('SqliteBindingStore', () => {
  it('round-trips bindings, q included or not', () => {
    const store = new SqliteBindingStore(open(makeDataDir()));
    const list = [binding(0), binding(1), binding(2, { q: 0, contactParams: ';reg-id=1' })];
    store.apply(list, []);
    expect(sorted(store.loadAll())).toEqual(sorted(list));
    expect(store.loadAll().find((b) => b.callId === 'call-0@host')?.q).toBeUndefined();
  });

  it('upserts by (aor, contact), then deletes', () => {
    const store = new SqliteBindingStore(open(makeDataDir()));
    store.apply([binding(0), binding(1), binding(2)], []);
    const refreshed = binding(1, { expiresAt: 1, cseq: 99, q: 1 });
    store.apply([refreshed, binding(3)], [binding(0), { aor: 'sip:nobody@ims.lab', contact: 'sip:x' }]);
    expect(sorted(store.loadAll())).toEqual(sorted([refreshed, binding(2), binding(3)]));
  });

  it('marks the bindings of an older IMS Lab, which did not keep the AOR as registered, as unknown', () => {
    // Schema 3: no registered_aor column; a phone registered as sip:1001@127.0.0.1:26060 (not stored).
    const dir = makeDataDir();
    const old = new BetterSqlite3(join(dir, DATABASE_FILE));
    migrate(old, MIGRATIONS.slice(0, 3));
    const b = binding(1, { aor: 'sip:1001@ims.lab', contact: 'sip:1001@10.0.0.1:5060' });
    old
      .prepare('INSERT INTO bindings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(
        b.aor,
        b.contact,
        b.contactParams,
        b.expiresAt,
        b.q ?? null,
        b.callId,
        b.cseq,
        b.sourceAddress,
        b.sourcePort,
        b.transport,
        b.userAgent,
        b.createdAt,
        b.updatedAt,
      );
    old.close();

    const store = new SqliteBindingStore(open(dir));
    const [loaded] = store.loadAll();
    expect(loaded).toEqual({ ...b, registeredAorUnknown: true });
    // Written again as it is (the location service's batches), it stays unknown.
    store.apply([loaded!], []);
    expect(store.loadAll()).toEqual([{ ...b, registeredAorUnknown: true }]);
    // A refresh of a phone whose AOR as registered is the canonical one: known from then on.
    store.apply([{ ...b, cseq: 9 }], []);
    expect(store.loadAll()).toEqual([{ ...b, cseq: 9 }]);
  });

  it('deletions come after upserts in one batch', () => {
    const store = new SqliteBindingStore(open(makeDataDir()));
    store.apply([binding(7)], [binding(7)]);
    expect(store.loadAll()).toEqual([]);
  });

  it('clears, and persists across a reopen', () => {
    const dir = makeDataDir();
    const db = open(dir);
    new SqliteBindingStore(db).apply([binding(1), binding(2)], []);
    closeDatabase(db);
    const store = new SqliteBindingStore(open(dir));
    expect(store.loadAll()).toHaveLength(2);
    store.clear();
    expect(store.loadAll()).toEqual([]);
    store.apply([], []);
  });

  it('applies 10,000 upserts in one call well under a second', () => {
    const dir = makeDataDir();
    const store = new SqliteBindingStore(open(dir));
    const many = Array.from({ length: 10_000 }, (_, i) => binding(i));
    const start = performance.now();
    store.apply(many, []);
    const elapsed = performance.now() - start;
    expect(elapsed).toBeLessThan(1000);
    const loaded = store.loadAll();
    expect(loaded).toHaveLength(10_000);
    expect(sorted(loaded)).toEqual(sorted(many));

    // Refresh all of them and drop half in the same batch.
    const refreshed = many.map((b) => ({ ...b, cseq: b.cseq + 1 }));
    store.apply(refreshed, many.slice(0, 5000));
    expect(sorted(store.loadAll())).toEqual(sorted(refreshed.slice(5000)));
  });
});

describe('SqliteBindingStore with the store worker', () => {
  it('commits through the worker: apply() returns the commit, upserts then deletions, in batch order', async () => {
    const db = open(makeDataDir());
    const worker = new StoreWorker(db, SILENT_LOG);
    await worker.start();
    try {
      const store = new SqliteBindingStore(db, worker);
      const first = store.apply([binding(0), binding(1), binding(2)], []);
      const refreshed = binding(1, { expiresAt: 1, cseq: 99, q: 1 });
      const second = store.apply([refreshed, binding(7)], [binding(0), binding(7)]);
      expect(first).toBeInstanceOf(Promise);
      await Promise.all([first, second]);
      expect(sorted(store.loadAll())).toEqual(sorted([refreshed, binding(2)]));
    } finally {
      await worker.stop();
    }
    // The worker gone, the store commits on the loop again (no promise).
    const store = new SqliteBindingStore(db, worker);
    expect(store.apply([binding(3)], [])).toBeUndefined();
    expect(store.loadAll()).toHaveLength(3);
  });
});
