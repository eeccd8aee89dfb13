// IMP USER's write (users.ts importOriginalAsync), all or nothing without holding the event loop. The
// rows, sealed and hashed a chunk per turn, are staged STAGE_ROWS at a time in a TEMP table of the
// connection that writes them (the store's worker while it runs, else the loop's own), a turn between two
// chunks; then one transaction puts them into users with one statement (add) or two (upsert: UPDATE ...
// FROM, then INSERT ... SELECT of the others). In the worker that transaction runs off the loop. Until it
// commits nobody sees any of the rows (a TEMP table is its connection's alone); when it fails (a user added
// meanwhile in add mode, the worker stopping, a full disk) users is as it was. 50,000 new users written by
// 50,000 statements in one transaction on the loop held SIP 0.4-0.7 s here, ~2 s on a loaded server.
import type { Database, Statement } from 'better-sqlite3';
import type { WriteStep } from './store-worker';
import type { OriginalEntry } from './original-users';
import type { StoredUserRow } from './user-row';

/** Rows handed to the staging table per step (a few ms of work; one structured clone to the worker). */
export const STAGE_ROWS = 2000;

/**
 * Runs steps, each call one transaction, and answers the rows each step changed: the store's worker
 * (StoreWorker.write) or the loop's own connection (loopStepWriter).
 */
export interface StepWriter {
  /** False while it cannot take steps (the worker not running). */
  available(): boolean;
  write(steps: readonly WriteStep[]): Promise<readonly number[]>;
}

/** A StepWriter on the loop's own connection: the same statements, in a transaction of its thread. */
export function loopStepWriter(db: Database): StepWriter {
  const statements = new Map<string, Statement>();
  const run = db.transaction((steps: readonly WriteStep[]) =>
    steps.map((step) => {
      let s = statements.get(step.sql);
      if (s === undefined) statements.set(step.sql, (s = db.prepare(step.sql)));
      let n = 0;
      for (const row of step.rows) n += s.run(row).changes;
      return n;
    }),
  );
  return {
    available: () => true,
    write: (steps) => {
      try {
        return Promise.resolve(run.immediate(steps));
      } catch (err) {
        return Promise.reject(err as Error);
      }
    },
  };
}

const ROW_COLUMNS =
  'username, display_name, phone, email, status, service_type, create_time, update_time, ' +
  'password_enc, ha1_md5, ha1_sha256, ha1_realm';

/** The row as inserted, then what the entry gives (NULL: not given) for an update that keeps the rest. */
const STAGE_TABLE = `CREATE TEMP TABLE users_import (
  username TEXT PRIMARY KEY NOT NULL, display_name TEXT, phone TEXT, email TEXT, status TEXT,
  service_type TEXT, create_time TEXT, update_time TEXT, password_enc TEXT, ha1_md5 TEXT, ha1_sha256 TEXT,
  ha1_realm TEXT, given_display_name TEXT, given_phone TEXT, given_email TEXT, given_status TEXT,
  given_service_type TEXT, given_create_time TEXT, given_update_time TEXT
) WITHOUT ROWID`;
const DROP_STAGE = 'DROP TABLE IF EXISTS temp.users_import';
const STAGE = `INSERT INTO temp.users_import VALUES (${Array(19).fill('?').join(', ')})`;

/** Add mode: every staged row is new; one already there fails the statement, and so the transaction. */
const INSERT_ALL = `INSERT INTO main.users (${ROW_COLUMNS}) SELECT ${ROW_COLUMNS} FROM temp.users_import`;
/** Upsert mode, first: an existing user takes what its entry gives (password always), keeps the rest. */
const UPDATE_EXISTING = `UPDATE main.users SET
    display_name = coalesce(s.given_display_name, users.display_name),
    phone = coalesce(s.given_phone, users.phone),
    email = coalesce(s.given_email, users.email),
    status = coalesce(s.given_status, users.status),
    service_type = coalesce(s.given_service_type, users.service_type),
    create_time = coalesce(s.given_create_time, users.create_time),
    update_time = s.given_update_time,
    password_enc = s.password_enc, ha1_md5 = s.ha1_md5, ha1_sha256 = s.ha1_sha256, ha1_realm = s.ha1_realm
  FROM temp.users_import AS s WHERE users.username = s.username`;
/** Upsert mode, then: the others are added (those just updated are there: left alone). */
const INSERT_NEW = `INSERT INTO main.users (${ROW_COLUMNS})
  SELECT ${ROW_COLUMNS} FROM temp.users_import WHERE true ON CONFLICT (username) DO NOTHING`;

/** One entry of the import, its row ready (password sealed, HA1 values derived). */
export interface StagedUser {
  entry: OriginalEntry;
  row: StoredUserRow;
  /** update_time of an existing user the entry gives none for. */
  now: string;
}

function stagedValues({ entry: e, row, now }: StagedUser): (string | null)[] {
  return [
    row.username,
    row.display_name,
    row.phone,
    row.email,
    row.status,
    row.service_type,
    row.create_time,
    row.update_time,
    row.password_enc,
    row.ha1_md5,
    row.ha1_sha256,
    row.ha1_realm,
    e.displayName ?? null,
    e.phone ?? null,
    e.email ?? null,
    e.status ?? null,
    e.serviceType ?? null,
    e.createTime ?? null,
    e.updateTime ?? now,
  ];
}

const step = (sql: string, rows: WriteStep['rows'] = [[]]): WriteStep => ({ sql, rows });

/**
 * Stages the rows STAGE_ROWS a step, `between()` awaited between two steps (a turn of the event loop),
 * then writes them into users in one transaction; answers how many were added and updated. Rejects with
 * the error of the step that failed (the final one: SQLite's SQLITE_CONSTRAINT_PRIMARYKEY for a user
 * that exists in add mode), users unchanged. The staging table is dropped either way.
 */
export async function writeImportInSteps(
  writer: StepWriter,
  rows: readonly StagedUser[],
  mode: 'add' | 'upsert',
  between: () => Promise<void>,
): Promise<{ added: number; updated: number }> {
  await writer.write([step(DROP_STAGE), step(STAGE_TABLE)]);
  try {
    for (let i = 0; i < rows.length; i += STAGE_ROWS) {
      const values: (string | null)[][] = [];
      for (const r of rows.slice(i, i + STAGE_ROWS)) values.push(stagedValues(r));
      await writer.write([step(STAGE, values)]);
      await between();
    }
    if (mode === 'add') {
      const [added = 0] = await writer.write([step(INSERT_ALL)]);
      return { added, updated: 0 };
    }
    const [updated = 0, added = 0] = await writer.write([step(UPDATE_EXISTING), step(INSERT_NEW)]);
    return { added, updated };
  } finally {
    await writer.write([step(DROP_STAGE)]).catch(() => undefined);
  }
}
