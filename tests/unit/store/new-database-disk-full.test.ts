// A new database on a disk almost full (a real one: a tmpfs, which needs root; skipped elsewhere): its
// schema is made in one transaction, so the failed start leaves none of it, says the disk is full with
// its free room (not "needs about 4.0 KB", the half-made file's size), and the next start, with room,
// makes it anew. Before, it stopped at schema 2, and the next start took that for an older IMS Lab's
// database: a stray ims-lab.db.before-v4 copy and an "upgrading" line.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closeDatabase, DATABASE_FILE, openDatabase } from '../../../core/store/database';
import { MIGRATIONS, schemaVersion } from '../../../core/store/migrations';
import { canMount, fillDisk, useTmpfsDisks } from '../../support/tmpfs';
import { keptLog } from '../cdr/fixtures';

const mount = useTmpfsDisks();

describe.skipIf(!canMount)('a new database on a disk almost full', () => {
  it('is made whole or not at all, and the next start makes it anew', () => {
    const disk = mount('1m');
    const dir = join(disk, 'data');
    fillDisk(disk, 112 * 1024);
    expect(() => openDatabase(dir)).toThrow(
      /the disk holding it is full \(.* free\): a new database needs a few MB/,
    );
    rmSync(join(disk, 'filler'));
    const log = keptLog();
    const db = openDatabase(dir, { log });
    try {
      expect(schemaVersion(db)).toBe(MIGRATIONS.length);
      expect(existsSync(join(dir, `${DATABASE_FILE}.before-v4`))).toBe(false);
      expect(log.lines.filter((l) => /upgrading|before-v4/.test(l))).toEqual([]);
    } finally {
      closeDatabase(db);
    }
  });
});
