import { existsSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { closeDatabase, DATABASE_FILE, openDatabase } from '../../../core/store/database';
import { migrate, MigrationError, MIGRATIONS } from '../../../core/store/migrations';
import type { Migration } from '../../../core/store/migrations';
import { SILENT_LOG, type Log } from '../../../core/observe/log';
import { makeDataDir, open, useDataDirs } from './data-dir';

useDataDirs();

/** The newest schema version this build knows; tests of later versions build on it. */
const LATEST = MIGRATIONS.length;

const tables = (db: BetterSqlite3.Database): string[] =>
  db.prepare<[], string>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all();

describe('openDatabase', () => {
  it('creates the data dir and a migrated, WAL-mode database', () => {
    const dir = join(makeDataDir(), 'nested', 'data');
    const db = open(dir);
    expect(existsSync(join(dir, DATABASE_FILE))).toBe(true);
    // Later migrations add their own tables and indexes: check the ones of versions 1 and 2 are there.
    expect(tables(db)).toEqual(
      expect.arrayContaining(['bindings', 'cdr', 'schema_migrations', 'settings', 'users']),
    );
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    const indexes = db
      .prepare<[], string>(
        "SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name",
      )
      .pluck()
      .all();
    expect(indexes).toEqual(
      expect.arrayContaining([
        'bindings_by_expiry',
        'cdr_by_call_id',
        'cdr_by_callee',
        'cdr_by_caller',
        'cdr_by_date',
        'cdr_by_time',
        'cdr_by_type',
        'users_by_status',
      ]),
    );

    const rows = db.prepare('SELECT version, name, applied_at FROM schema_migrations').all();
    expect(rows.slice(0, 2)).toEqual([
      {
        version: 1,
        name: 'users_and_bindings',
        applied_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*[+-]\d\d:\d\d$/),
      },
      {
        version: 2,
        name: 'cdr',
        applied_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*[+-]\d\d:\d\d$/),
      },
    ]);
    expect(rows).toHaveLength(LATEST);
  });

  it('reopening an up-to-date database applies nothing', () => {
    const dir = makeDataDir();
    const first = openDatabase(dir);
    const before = first.prepare('SELECT * FROM schema_migrations').all();
    closeDatabase(first);

    const db = open(dir);
    expect(migrate(db)).toEqual([]);
    expect(db.prepare('SELECT * FROM schema_migrations').all()).toEqual(before);
  });

  it('refuses a database from a newer IMS Lab, leaving it as it was', () => {
    const dir = makeDataDir();
    const db = openDatabase(dir);
    db.prepare(
      "INSERT INTO schema_migrations VALUES (?, 'from_the_future', '2030-01-01T00:00:00.000+00:00')",
    ).run(LATEST + 1);
    closeDatabase(db);

    expect(() => openDatabase(dir)).toThrow(MigrationError);
    expect(() => openDatabase(dir)).toThrow(
      `schema version ${LATEST + 1} ("from_the_future"), newer than this IMS Lab knows (${LATEST})`,
    );
    const raw = new BetterSqlite3(join(dir, DATABASE_FILE));
    expect(raw.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual(
      Array.from({ length: LATEST + 1 }, (_, i) => i + 1),
    );
    raw.close();
  });

  it('refuses a database whose recorded migration has another name', () => {
    const dir = makeDataDir();
    const db = openDatabase(dir);
    db.prepare("UPDATE schema_migrations SET name = 'something_else' WHERE version = 1").run();
    closeDatabase(db);
    expect(() => openDatabase(dir)).toThrow(/records migration 1 as "something_else"/);
  });
});

describe('an upgrade, told', () => {
  /** A data dir whose database an IMS Lab of schema `version` wrote. */
  const olderDir = (version: number): string => {
    const dir = makeDataDir();
    const db = new BetterSqlite3(join(dir, DATABASE_FILE));
    migrate(db, MIGRATIONS.slice(0, version));
    db.close();
    return dir;
  };
  const recorder = (): { log: Log; lines: string[] } => {
    const lines: string[] = [];
    return { lines, log: { ...SILENT_LOG, info: (m) => lines.push(m) } };
  };

  it('says each migration of an older database before it runs, and its time after', () => {
    const dir = olderDir(3);
    const file = join(dir, DATABASE_FILE);
    const { log, lines } = recorder();
    open(dir, { log });
    const took = (m: Migration): RegExp =>
      new RegExp(
        `^upgraded ${file.replace(/[.]/g, '\\.')} to schema ${m.version} \\(${m.name}\\) in \\d+ ms$`,
      );
    // (After the copy's lines: upgrade-copy.test.ts.)
    expect(lines.filter((l) => l.startsWith('upgrad'))).toEqual(
      MIGRATIONS.slice(3).flatMap((m) => [
        `upgrading ${file} from schema ${m.version - 1} to ${m.version}: ${m.name}`,
        expect.stringMatching(took(m)),
      ]),
    );
    expect(lines).toContain(`upgrading ${file} from schema 3 to 4: original_compat`);
  });

  it("says nothing of a new database's migrations, nor of a current one", () => {
    const dir = makeDataDir();
    const { log, lines } = recorder();
    closeDatabase(openDatabase(dir, { log }));
    open(dir, { log });
    expect(lines).toEqual([]);
  });

  it('names the file when a migration fails, and the room a full disk needs', () => {
    const dir = olderDir(LATEST);
    const file = join(dir, DATABASE_FILE);
    const db = open(dir);
    const pages = Number(db.pragma('page_count', { simple: true }));
    // The disk full after a few more pages (SQLite's own limit: SQLITE_FULL, as a full disk answers).
    db.pragma(`max_page_count = ${pages + 2}`);
    const filling: Migration = {
      version: LATEST + 1,
      name: 'filling',
      up: 'CREATE TABLE filler (b BLOB); INSERT INTO filler VALUES (zeroblob(1000000));',
    };
    expect(() => migrate(db, [...MIGRATIONS, filling])).toThrow(
      new RegExp(
        `^migration ${LATEST + 1} \\("filling"\\) of ${file.replace(/[.]/g, '\\.')} failed: database or disk is full; it needs about \\d+(\\.\\d)? KB free beside it$`,
      ),
    );
    expect(db.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get()).toBe(LATEST);
  });
});

describe('migrate', () => {
  const withRaw = (): BetterSqlite3.Database => {
    const db = new BetterSqlite3(':memory:');
    return db;
  };

  it('applies new migrations in order, each once', () => {
    const db = withRaw();
    const next: Migration[] = [
      ...MIGRATIONS,
      { version: LATEST + 1, name: 'add_notes', up: 'CREATE TABLE notes (text TEXT NOT NULL)' },
      {
        version: LATEST + 2,
        name: 'seed_notes',
        up: (d) => {
          d.prepare("INSERT INTO notes VALUES ('hello')").run();
        },
      },
    ];
    expect(migrate(db)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(migrate(db, next)).toEqual([LATEST + 1, LATEST + 2]);
    expect(migrate(db, next)).toEqual([]);
    expect(db.prepare('SELECT text FROM notes').pluck().all()).toEqual(['hello']);
    db.close();
  });

  it('rolls a failing migration back and reports it', () => {
    const db = withRaw();
    const broken: Migration[] = [
      ...MIGRATIONS,
      {
        version: LATEST + 1,
        name: 'half_done',
        up: 'CREATE TABLE half (a); INSERT INTO nowhere VALUES (1);',
      },
    ];
    migrate(db); // an existing database, upgraded (a new one is made in one transaction: below)
    expect(() => migrate(db, broken)).toThrow(
      `migration ${LATEST + 1} ("half_done") failed: no such table: nowhere`,
    );
    expect(tables(db)).not.toContain('half');
    expect(db.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get()).toBe(LATEST);
    db.close();
  });

  it('refuses a list that is not numbered 1, 2, 3...', () => {
    const db = withRaw();
    expect(() => migrate(db, [...MIGRATIONS, { version: LATEST + 2, name: 'gap', up: '' }])).toThrow(
      `expected ${LATEST + 1}`,
    );
    db.close();
  });
});

describe('migration 8 (cdr_shutdown_reason)', () => {
  /** A CALL row of the cdr table as an older schema had it: its NOT NULL columns blank, then `values`. */
  function insertCall(db: BetterSqlite3.Database, values: Record<string, string | number>): void {
    const columns = db
      .prepare<[], { name: string; notnull: number; type: string }>('PRAGMA table_info(cdr)')
      .all();
    const row: Record<string, string | number | null> = {};
    for (const c of columns) row[c.name] = c.notnull === 1 ? (c.type === 'INTEGER' ? 0 : '') : null;
    Object.assign(row, { record_type: 'CALL', ...values });
    const names = Object.keys(row);
    db.prepare(`INSERT INTO cdr (${names.join(', ')}) VALUES (${names.map((n) => `@${n}`).join(', ')})`).run(
      row,
    );
  }
  const reasons = (dir: string): Record<string, string> => {
    const db = open(dir);
    const rows = db
      .prepare<[], { record_id: string; termination_reason: string }>(
        'SELECT record_id, termination_reason FROM cdr ORDER BY record_id',
      )
      .all();
    return Object.fromEntries(rows.map((r) => [r.record_id, r.termination_reason]));
  };

  it('gives the calls a shutdown ended what this build writes, FORCED_TERMINATION_BY_SHUTDOWN, and no other row', () => {
    // Schema 3: the rows as its IMS Lab wrote them.
    const dir = makeDataDir();
    const v3 = new BetterSqlite3(join(dir, DATABASE_FILE));
    migrate(v3, MIGRATIONS.slice(0, 3));
    const call = (id: string, state: string, reason: string, by: string) =>
      insertCall(v3, { record_id: id, call_state: state, termination_reason: reason, hangup_by: by });
    call('1', 'ENDED', 'System shutdown', 'system'); // up when the server stopped
    call('2', 'FAILED', 'System shutdown', 'system'); // ringing when it stopped
    call('3', 'ENDED', 'Normal', 'caller');
    call('4', 'ENDED', 'Session timer expired', 'timeout'); // migration 4 makes it Normal
    call('5', 'ENDED', 'Normal', 'system'); // ended by the system otherwise
    call('6', 'FAILED', '486 Busy Here', 'callee');
    v3.close();
    expect(reasons(dir)).toEqual({
      '1': 'FORCED_TERMINATION_BY_SHUTDOWN',
      '2': 'FORCED_TERMINATION_BY_SHUTDOWN',
      '3': 'Normal',
      '4': 'Normal',
      '5': 'Normal',
      '6': '486 Busy Here',
    });

    // Schema 7: a row a build before the forced-end rule wrote ("Normal", end_reason System shutdown).
    const dir7 = makeDataDir();
    const v7 = new BetterSqlite3(join(dir7, DATABASE_FILE));
    migrate(v7, MIGRATIONS.slice(0, 7));
    insertCall(v7, {
      record_id: '7',
      call_state: 'ENDED',
      termination_reason: 'Normal',
      end_reason: 'System shutdown',
      hangup_by: 'system',
    });
    insertCall(v7, {
      record_id: '8',
      call_state: 'ENDED',
      termination_reason: 'Normal',
      end_reason: 'Normal',
      hangup_by: 'callee',
    });
    v7.close();
    expect(reasons(dir7)).toEqual({ '7': 'FORCED_TERMINATION_BY_SHUTDOWN', '8': 'Normal' });
  });
});

describe('migration 9 (cdr_live_calls)', () => {
  it('a schema-8 data folder upgrades to an empty journal of calls in progress, its rows as they were', () => {
    const dir = makeDataDir();
    const v8 = new BetterSqlite3(join(dir, DATABASE_FILE));
    migrate(v8, MIGRATIONS.slice(0, 8));
    v8.prepare(
      "INSERT INTO settings (key, value) VALUES ('cdr.last_record_id', '20261207040000000001')",
    ).run();
    const before = v8.prepare('SELECT * FROM settings ORDER BY key').all();
    v8.close();
    const db = open(dir);
    expect(db.prepare('SELECT COUNT(*) FROM cdr_live_calls').pluck().get()).toBe(0);
    expect(db.prepare('SELECT * FROM settings ORDER BY key').all()).toEqual(before);
    expect(db.prepare('SELECT name FROM schema_migrations WHERE version = 9').pluck().get()).toBe(
      'cdr_live_calls',
    );
  });
});

describe('an upgrade beside another program', () => {
  it('is refused while another connection has the database open (an older IMS Lab without the folder lock), schema kept', () => {
    const dir = makeDataDir();
    const file = join(dir, DATABASE_FILE);
    // The older IMS Lab: schema 3, WAL, a connection that has read and stays open.
    const older = new BetterSqlite3(file);
    older.pragma('journal_mode = WAL');
    migrate(older, MIGRATIONS.slice(0, 3));
    expect(older.prepare('SELECT COUNT(*) FROM users').pluck().get()).toBe(0);
    try {
      expect(() => openDatabase(dir)).toThrow(MigrationError);
      expect(() => openDatabase(dir)).toThrow(
        `database ${file} (schema 3) is open in another program, an older IMS Lab still running on this data folder perhaps`,
      );
      expect(older.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get()).toBe(3);
      expect(existsSync(`${file}.before-v4`)).toBe(false);
    } finally {
      older.close();
    }
    // Stopped: the upgrade goes on.
    const db = open(dir);
    expect(db.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get()).toBe(LATEST);
    // A current database open elsewhere (a second connection of this IMS Lab, `users import`): opened.
    const again = openDatabase(dir);
    closeDatabase(again);
  });
});
