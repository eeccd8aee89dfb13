// Before an upgrade rewrites the rows (migration 4), the database is copied to ims-lab.db.before-v4, as
// the older IMS Lab wrote it: going back to that IMS Lab is giving it the copy back.
import { copyFileSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SILENT_LOG, type Log } from '../../../core/observe/log';
import { DATABASE_FILE } from '../../../core/store/database';
import { migrate, MIGRATIONS } from '../../../core/store/migrations';
import { makeDataDir, open, useDataDirs } from './data-dir';

useDataDirs();
const writers: BetterSqlite3.Database[] = [];
afterEach(() => {
  for (const db of writers.splice(0)) db.close();
});

/** A data dir whose database an IMS Lab of schema `version` wrote, with one command in its history. */
function olderDir(version: number): string {
  const writer = makeDataDir();
  const db = new BetterSqlite3(join(writer, DATABASE_FILE));
  db.pragma('journal_mode = WAL');
  migrate(db, MIGRATIONS.slice(0, version));
  db.prepare(
    "INSERT INTO mml_history (at, who, command, retcode, message) VALUES (1, 'admin', 'DSP REG', 0, '')",
  ).run();
  // Left in the WAL (no checkpoint at close): the copy must hold it too.
  db.pragma('wal_autocheckpoint = 0');
  db.prepare(
    "INSERT INTO mml_history (at, who, command, retcode, message) VALUES (2, 'admin', 'DSP USER', 0, '')",
  ).run();
  // The file and its WAL as a crash leaves them: copied while the writer has them open (an older IMS Lab
  // still running is refused instead: migrations.test.ts), then the writer closed.
  const dir = makeDataDir();
  for (const end of ['', '-wal'])
    copyFileSync(join(writer, DATABASE_FILE + end), join(dir, DATABASE_FILE + end));
  writers.push(db);
  return dir;
}

function recorder(): { log: Log; lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    log: { ...SILENT_LOG, info: (m) => lines.push(m), warning: (m) => lines.push(`WARNING ${m}`) },
  };
}

function read(file: string): { versions: number[]; commands: string[]; columns: string[] } {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return {
      versions: db
        .prepare<[], number>('SELECT version FROM schema_migrations ORDER BY version')
        .pluck()
        .all(),
      commands: db.prepare<[], string>('SELECT command FROM mml_history ORDER BY id').pluck().all(),
      columns: db.prepare<[], string>("SELECT name FROM pragma_table_info('bindings')").pluck().all(),
    };
  } finally {
    db.close();
  }
}

describe('the copy before an upgrade that rewrites rows', () => {
  it('is the database as the older IMS Lab left it, readable by the appliance only, and said', () => {
    const dir = olderDir(3);
    const file = join(dir, DATABASE_FILE);
    const copy = `${file}.before-v4`;
    const { log, lines } = recorder();
    open(dir, { log });
    expect(read(copy)).toEqual({
      versions: [1, 2, 3],
      commands: ['DSP REG', 'DSP USER'],
      columns: expect.not.arrayContaining(['registered_aor']),
    });
    expect(statSync(copy).mode & 0o777).toBe(0o600);
    expect(read(file).versions).toEqual(MIGRATIONS.map((m) => m.version));
    expect(lines[0]).toMatch(
      new RegExp(
        `^copying ${file.replace(/[.]/g, '\\.')} \\(schema 3, \\d+ KB\\) to ${copy.replace(/[.]/g, '\\.')} before migration 4 rewrites its rows`,
      ),
    );
    expect(lines[1]).toMatch(/^copied .* in \d+ ms$/);
    // Before the first migration commits: from then on the older IMS Lab refuses the folder.
    expect(lines[2]).toBe(
      `WARNING ${file} is upgraded from schema 3 to ${MIGRATIONS.length}: the IMS Lab versions that wrote ` +
        `schema 3 and older ones refuse it from its first migration on, even if this start is cut short; ` +
        `${copy} is the database as it was, for going back (README "Running headless")`,
    );
    expect(lines[3]).toBe(`upgrading ${file} from schema 3 to 4: original_compat`);
  });

  it('replaces an older copy', () => {
    const dir = olderDir(3);
    const copy = join(dir, `${DATABASE_FILE}.before-v4`);
    writeFileSync(copy, 'an older copy');
    open(dir);
    expect(read(copy).versions).toEqual([1, 2, 3]);
  });

  it('is made before migration 8 rewrites the CDR rows of a schema 4-7 database', () => {
    // Builds of schemas 4-8 upgraded without a copy and without a word: the older build refused the
    // folder afterwards, with nothing to give it back.
    const dir = olderDir(6);
    const file = join(dir, DATABASE_FILE);
    const { log, lines } = recorder();
    open(dir, { log });
    expect(read(`${file}.before-v8`).versions).toEqual([1, 2, 3, 4, 5, 6]);
    expect(lines[0]).toMatch(/^copying .* \(schema 6, \d+ KB\) to .*\.before-v8 before migration 8 rewrites/);
    expect(lines[2]).toMatch(
      /^WARNING .* is upgraded from schema 6 to \d+: the IMS Lab versions that wrote schema 6 and older ones refuse it .*\.before-v8 is the database as it was/,
    );
  });

  it('made by a start cut short after its first migration is kept by the next start', () => {
    // The first start copied schema 6, committed migration 7 and was killed; the next one starts at 7.
    const first = olderDir(6);
    const dir = olderDir(7);
    const copy = join(dir, `${DATABASE_FILE}.before-v8`);
    open(first);
    copyFileSync(join(first, `${DATABASE_FILE}.before-v8`), copy);
    const { log, lines } = recorder();
    open(dir, { log });
    expect(read(copy).versions).toEqual([1, 2, 3, 4, 5, 6]);
    expect(lines[0]).toBe(`kept ${copy} (schema 6): an earlier start made it and did not finish the upgrade`);
  });

  it('is not made when no migration to run rewrites rows, nor for a new database; the upgrade is said', () => {
    const dir = olderDir(8);
    const { log, lines } = recorder();
    open(dir, { log });
    const fresh = makeDataDir();
    open(fresh);
    for (const d of [dir, fresh])
      for (const v of [4, 8])
        expect(() => statSync(join(d, `${DATABASE_FILE}.before-v${v}`))).toThrow(/ENOENT/);
    expect(lines[0]).toMatch(
      /^WARNING .* is upgraded from schema 8 to \d+: .*; no copy is made \(no migration to run rewrites rows\): a backup from before this start is the way back$/,
    );
  });

  it('that cannot be made is said, and the upgrade goes on', () => {
    const dir = olderDir(3);
    const copy = join(dir, `${DATABASE_FILE}.before-v4`);
    mkdirSync(join(copy, 'in-the-way'), { recursive: true });
    const { log, lines } = recorder();
    open(dir, { log });
    expect(lines[1]).toMatch(
      new RegExp(
        `^WARNING .* was not copied to ${copy.replace(/[.]/g, '\\.')} \\(.*\\): upgrading it without a copy$`,
      ),
    );
    expect(() => statSync(`${copy}.partial`)).toThrow(/ENOENT/);
    expect(read(join(dir, DATABASE_FILE)).versions).toEqual(MIGRATIONS.map((m) => m.version));
  });
});
