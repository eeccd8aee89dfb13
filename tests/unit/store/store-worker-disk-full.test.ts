// A transaction refused by a full disk (a real one: a tmpfs, which needs root; skipped elsewhere) gives
// the disk back the room its frames took in the WAL: the worker checkpoints with TRUNCATE. Before, the
// WAL file kept the refused transaction's size for good (IMP USER of 100,000 users: 8.5 MB), so the disk
// stayed full after "nothing was changed".
import { statfsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SILENT_LOG } from '../../../core/observe/log';
import { closeDatabase, DATABASE_FILE, openDatabase } from '../../../core/store/database';
import { StoreWorker } from '../../../core/store/store-worker';
import { canMount, fillDisk, useTmpfsDisks } from '../../support/tmpfs';

const mount = useTmpfsDisks();

const free = (dir: string): number => {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
};

describe.skipIf(!canMount)('the store worker after a transaction the disk could not take', () => {
  it('truncates the WAL: the room the refused frames took is free again', async () => {
    const disk = mount('8m');
    const dir = join(disk, 'data');
    const db = openDatabase(dir);
    const worker = new StoreWorker(db, SILENT_LOG, { intervalMs: 60_000 });
    try {
      await worker.start();
      await worker.write([{ sql: 'CREATE TABLE filler (v TEXT)', rows: [[]] }]);
      db.pragma('wal_checkpoint(TRUNCATE)'); // as the worker's checkpoints leave an idle server's WAL
      fillDisk(disk, 2 * 1024 * 1024);
      const before = free(disk);
      const row = 'x'.repeat(10_000);
      const rows = Array.from({ length: 400 }, () => [row]); // 4 MB: more than the disk has
      const refused = await worker.write([{ sql: 'INSERT INTO filler (v) VALUES (?)', rows }]).then(
        () => undefined,
        (err: unknown) => err as { code?: string },
      );
      expect(refused?.code).toBe('SQLITE_FULL');
      expect(db.prepare('SELECT COUNT(*) AS n FROM filler').get()).toEqual({ n: 0 });
      expect(statSync(join(dir, `${DATABASE_FILE}-wal`)).size).toBe(0);
      expect(free(disk)).toBeGreaterThanOrEqual(before);
    } finally {
      await worker.stop();
      closeDatabase(db);
    }
  });
});
