// Opening the appliance's SQLite database (better-sqlite3): one file, ims-lab.db, in the data directory,
// brought up to the current schema by migrations.ts before anything else touches it (copied first when an
// upgrade rewrites its rows: upgrade-copy.ts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { makeFolder } from './make-folder';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { elapsedText } from '../observe/amounts';
import { SILENT_LOG, type Log } from '../observe/log';
import { migrate, MigrationError, MIGRATIONS, schemaVersion, type UpgradeWatch } from './migrations';
import { privateFile } from './private-file';
import { copyBeforeRewrite } from './upgrade-copy';
import { markRegisteredAorUnknown } from './bindings';
import { sqliteOptions } from './sqlite-binding';

export type { Database };

export const DATABASE_FILE = 'ims-lab.db';

/** The schema that added bindings.registered_aor (migration 4, original_compat). */
const REGISTERED_AOR_SCHEMA = 4;

/** How long a statement waits for another connection's lock before SQLITE_BUSY, while starting. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * The same once the appliance serves (failFastOnTheLoop): a few ms. The wait is a sleep on the event loop
 * (DESIGN.md, The event loop is sacred): another program holding a write transaction open on ims-lab.db
 * (DB Browser for SQLite with an unsaved edit, a sqlite3 shell after BEGIN) held SIP 5 s per statement.
 * The store worker's own commits (CDR rows, bindings) take a few ms and keep their 5 s wait off the loop.
 */
export const LOOP_BUSY_TIMEOUT_MS = 5;

/** Makes the loop's connection give up on a lock at once (SQLITE_BUSY), after the start's statements. */
export function failFastOnTheLoop(db: Database): void {
  db.pragma(`busy_timeout = ${LOOP_BUSY_TIMEOUT_MS}`);
}

/** SQLite's error for a lock another connection holds (busy timeout over). */
export const isDatabaseLocked = (err: unknown): boolean => {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
};

export interface OpenOptions {
  /**
   * Brings a database of an older schema up to this build's (the default). False for tools that work
   * beside a running server (`users import`): that server may be an older IMS Lab, which the upgrade
   * would lock out of its own folder, and which would go on writing rows of the old form. A new file
   * is migrated all the same (no IMS Lab has used it).
   */
  upgrade?: boolean;
  /**
   * Told of an upgrade, a line before each migration and one after it with its time (a large CDR table
   * takes a while: 24 s for 700 MB); its lines should be written at once, the loop being held meanwhile.
   */
  log?: Log;
}

/** An upgrade's lines, and what follows a migration beyond its SQL. */
function upgradeWatch(db: Database, log: Log): UpgradeWatch {
  const file = db.name;
  return {
    starting: (m, from) => log.info(`upgrading ${file} from schema ${from} to ${m.version}: ${m.name}`),
    finished: (m, ms) => {
      // The bindings stored before: their AOR as registered is unknown, not the canonical AOR (bindings.ts).
      if (m.version === REGISTERED_AOR_SCHEMA) markRegisteredAorUnknown(db);
      log.info(`upgraded ${file} to schema ${m.version} (${m.name}) in ${elapsedText(ms)}`);
    },
  };
}

/** The schema each database opened here had before its migrations (0: a new one). */
const foundAtOpen = new WeakMap<Database, number>();

/**
 * The schema `db` had when openDatabase() opened it, before this start's migrations: what the IMS Lab
 * that used the folder before knew and wrote (0 for a new database, or one not opened by openDatabase).
 */
export const schemaFoundAtOpen = (db: Database): number => foundAtOpen.get(db) ?? 0;

/**
 * Opens (creating when needed) <dataDir>/ims-lab.db and migrates it. WAL lets readers run beside the
 * single writer; synchronous=NORMAL is durable across application crashes in WAL mode and only risks
 * the last transactions on power loss, which a lab appliance accepts for its write rate.
 * Throws MigrationError (and closes the file) for a database written by a newer IMS Lab, and for one of
 * an older schema when `upgrade` is false.
 */
/** The size a WAL file is cut back to when it starts again (bytes; SQLite's journal_size_limit). */
export const WAL_SIZE_LIMIT = 64 * 1024 * 1024;

export function openDatabase(dataDir: string, options: OpenOptions = {}): Database {
  // The data directory also holds secret.key: keep it private to the appliance's user.
  makeFolder(dataDir, 0o700);
  const file = join(dataDir, DATABASE_FILE);
  const usedElsewhere = options.upgrade !== false && openElsewhere(file);
  const db = new BetterSqlite3(privateFile(file), sqliteOptions());
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // A WAL that a burst of commits made large is cut back when it starts again (store-worker.ts).
    db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
    if (options.upgrade === false) refuseOlderSchema(db);
    else if (usedElsewhere) refuseUpgradeInUse(db);
    const found = schemaVersion(db);
    copyBeforeRewrite(db, options.log ?? SILENT_LOG);
    migrate(db, MIGRATIONS, upgradeWatch(db, options.log ?? SILENT_LOG));
    foundAtOpen.set(db, found);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/**
 * Whether another process has the database open: an older IMS Lab still running on the folder (those
 * before ims-lab.lock, folder-lock.ts, held none), which would go on writing rows of its own form into
 * the upgraded tables. In WAL mode a connection that has read holds a SHARED lock on the file while it
 * is open, so an EXCLUSIVE one is refused (SQLITE_BUSY, at once: no busy timeout) while another has it.
 * Other faults are left for the open to report.
 */
function openElsewhere(file: string): boolean {
  if (!existsSync(file)) return false;
  let probe: Database | undefined;
  try {
    probe = new BetterSqlite3(file, sqliteOptions({ timeout: 0, fileMustExist: true }));
    probe.pragma('locking_mode = EXCLUSIVE');
    probe.exec('BEGIN EXCLUSIVE');
    probe.exec('ROLLBACK');
    return false;
  } catch (err) {
    return (err as { code?: string }).code === 'SQLITE_BUSY';
  } finally {
    probe?.close();
  }
}

/** A database of an older schema that another process has open: not upgraded under it. */
function refuseUpgradeInUse(db: Database): void {
  const version = schemaVersion(db);
  if (version === 0 || version >= MIGRATIONS.length) return;
  throw new MigrationError(
    `database ${db.name} (schema ${version}) is open in another program, an older IMS Lab still running on ` +
      `this data folder perhaps: it is not upgraded under it (that one would go on writing rows of the old ` +
      `form); stop it, then start this IMS Lab again`,
  );
}

/** A database an older IMS Lab wrote, which only the server upgrades (OpenOptions.upgrade). */
function refuseOlderSchema(db: Database): void {
  const version = schemaVersion(db);
  const current = MIGRATIONS.length;
  if (version === 0 || version >= current) return;
  throw new MigrationError(
    `database ${db.name} has schema version ${version}, older than this IMS Lab's (${current}), and is left ` +
      'as it is: start this IMS Lab on the data folder once first (it upgrades the database; stop an older ' +
      'IMS Lab still running on it before), then run this again',
  );
}

/**
 * Lets SQLite refresh its planner statistics, then closes (which checkpoints the WAL). The statistics are
 * a nicety: a database they cannot be read from (damaged, database-damage.ts) is closed all the same.
 */
export function closeDatabase(db: Database): void {
  if (!db.open) return;
  try {
    db.pragma('optimize');
  } catch {
    // closed below; what is wrong with the file was said where it was found
  } finally {
    db.close();
  }
}
