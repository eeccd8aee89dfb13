// `server.js users import` works beside a running server: on a database an older IMS Lab wrote it
// imports nothing and leaves the schema as it is (the server beside may be that older IMS Lab, which an
// upgrade would lock out of its folder); a new folder's database it creates.
import { closeSync, existsSync, openSync, ftruncateSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { usersImport } from '../../../core/cli/users-import';
import { migrate, MIGRATIONS } from '../../../core/store/migrations';
import { makeDataDir, useDataDirs } from '../store/data-dir';

useDataDirs();

function run(dir: string): { code: number; text: string } {
  const file = join(dir, 'import.json');
  writeFileSync(file, JSON.stringify([{ username: '2001', password: 'pw2001' }]));
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on('data', (c: Buffer) => chunks.push(c.toString()));
  const code = usersImport([file], dir, out);
  return { code, text: chunks.join('') };
}

const versions = (db: BetterSqlite3.Database): number[] =>
  db.prepare<[], number>('SELECT version FROM schema_migrations ORDER BY version').pluck().all();

describe('users import', () => {
  it('refuses a database of an older schema, changing nothing', () => {
    const dir = makeDataDir();
    const file = join(dir, 'ims-lab.db');
    const old = new BetterSqlite3(file);
    old.pragma('journal_mode = WAL');
    migrate(old, MIGRATIONS.slice(0, 3));
    old.close();

    const { code, text } = run(dir);
    expect(code).toBe(2);
    expect(text).toContain(
      `users import: database ${file} has schema version 3, older than this IMS Lab's (${MIGRATIONS.length})`,
    );
    expect(text).toContain('start this IMS Lab on the data folder once first');
    const db = new BetterSqlite3(file, { readonly: true });
    expect(versions(db)).toEqual([1, 2, 3]);
    expect(db.prepare('SELECT count(*) FROM users').pluck().get()).toBe(0);
    db.close();
  });

  it("creates a new folder's database and imports into it", () => {
    const dir = makeDataDir();
    const { code, text } = run(dir);
    expect([code, text]).toEqual([
      0,
      expect.stringMatching(
        new RegExp(
          `^users import: note: ${dir} held no database: a new one was made\\nusers import: 1 added, 0 updated in \\d+ ms; 1 users\\n$`,
        ),
      ),
    ]);
    // A second import: the database is there, nothing to note.
    const again = usersImport([join(dir, 'import.json'), '--upsert'], dir, new PassThrough());
    expect(again).toBe(0);
    const db = new BetterSqlite3(join(dir, 'ims-lab.db'), { readonly: true });
    expect(versions(db)).toEqual(MIGRATIONS.map((m) => m.version));
    db.close();
  });

  // A mistyped IMS_DATA_DIR made a new folder and database, saying only "1 added": the server, started on
  // the right folder, then did not have the users.
  it('refuses a data folder that does not exist, naming it, and makes nothing (exit 2)', () => {
    const missing = join(makeDataDir(), 'no-such-folder');
    const file = join(makeDataDir(), 'import.json');
    writeFileSync(file, JSON.stringify([{ username: '2001', password: 'pw2001' }]));
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (c: Buffer) => chunks.push(c.toString()));
    expect(usersImport([file], missing, out)).toBe(2);
    expect(chunks.join('')).toBe(
      `users import: the data folder ${missing} does not exist (IMS_DATA_DIR): nothing was imported; start IMS Lab once on it (its first start makes it), or create the folder, to import into a new one\n`,
    );
    expect(existsSync(missing)).toBe(false);
  });

  it("exits 2, nothing imported, when the folder's secret.key is missing or another folder's", () => {
    const dir = makeDataDir();
    expect(run(dir).code).toBe(0); // a database with a user whose password secret.key encrypts
    const key = join(dir, 'secret.key');
    rmSync(key);
    const missing = run(dir);
    expect(missing.code).toBe(2);
    expect(missing.text).toContain(`users import: ${key} is missing`);
    expect(missing.text).toContain('nothing was imported');
    expect(existsSync(key)).toBe(false);
    writeFileSync(key, Buffer.alloc(32, 7));
    const foreign = run(dir);
    expect(foreign.code).toBe(2);
    expect(foreign.text).toContain(`users import: ${key} does not decrypt the users' passwords`);
  });

  it('exits 2 for a file it cannot read, as mml does, 1 for bad entries', () => {
    const dir = makeDataDir();
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (c: Buffer) => chunks.push(c.toString()));
    const missing = join(dir, 'missing.json');
    expect(usersImport([missing], dir, out)).toBe(2);
    expect(chunks.join('')).toMatch(new RegExp(`^users import: cannot read ${missing}: ENOENT`));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ username: '2001' }]));
    expect(usersImport([bad], dir, out)).toBe(1);
  });

  it('checks the file as IMP USER does before reading it: a device, a folder, over 64 MB (exit 2)', () => {
    const dir = makeDataDir();
    const sparse = join(dir, 'sparse.json');
    const fd = openSync(sparse, 'w');
    ftruncateSync(fd, 300 * 1024 * 1024); // 300 MB of holes: read whole, it took 326 MB first
    closeSync(fd);
    for (const [file, why] of [
      ['/dev/zero', 'not a regular file'], // read until the host ran out of memory
      [dir, 'not a regular file'],
      [sparse, '314572800 bytes; at most 64 MB is read'],
    ] as const) {
      const out = new PassThrough();
      const chunks: string[] = [];
      out.on('data', (c: Buffer) => chunks.push(c.toString()));
      expect(usersImport([file], dir, out)).toBe(2);
      expect(chunks.join('')).toBe(`users import: cannot read ${file}: ${why}\n`);
    }
  });

  it('names a SIPp CSV as such (IMP USER takes it), not "not valid JSON"', () => {
    const dir = makeDataDir();
    const csv = join(dir, 'users.csv');
    writeFileSync(csv, 'SEQUENTIAL\n2001;pw2001\n');
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (c: Buffer) => chunks.push(c.toString()));
    expect(usersImport([csv], dir, out)).toBe(2);
    expect(chunks.join('')).toBe(
      `users import: ${csv} is a SIPp CSV (its first line SEQUENTIAL): this command reads JSON; import it with IMP USER FILE=<file> in the data folder\n`,
    );
  });
});
