// The databases are created readable by the appliance's user only, even in a data folder made
// beforehand open to all (a Docker image's mkdir -p /data): ims-lab.db holds HA1 digests. SQLite's
// -wal and -shm files follow the database file's mode.
import { chmodSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closeDatabase, DATABASE_FILE, openDatabase } from '../../../core/store/database';
import { privateFile } from '../../../core/store/private-file';
import { makeDataDir, useDataDirs } from './data-dir';

useDataDirs();
const mode = (path: string): number => statSync(path).mode & 0o777;

describe.skipIf(process.platform === 'win32')('the database files', () => {
  it('are 0600 in a folder open to all, with their WAL', () => {
    const dir = makeDataDir();
    chmodSync(dir, 0o755);
    const db = openDatabase(dir);
    try {
      db.prepare("INSERT INTO settings (key, value) VALUES ('x', 'y')").run();
      for (const file of [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`]) {
        expect(existsSync(join(dir, file)), file).toBe(true);
        expect([file, mode(join(dir, file))]).toEqual([file, 0o600]);
      }
    } finally {
      closeDatabase(db);
    }
  });

  it("leave a file that exists with its owner's mode", () => {
    const file = join(makeDataDir(), 'kept');
    privateFile(file);
    chmodSync(file, 0o640);
    privateFile(file);
    expect(mode(file)).toBe(0o640);
  });
});
