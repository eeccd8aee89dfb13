// Numbered, ordered schema migrations, recorded in schema_migrations (version, name, applied_at).
// Adding one is appending { version: next, name, up } to MIGRATIONS; never edit one that has shipped.
// Each migration runs in its own IMMEDIATE transaction together with its schema_migrations row, so a
// failure leaves the database at the previous version; a new database's are all one transaction
// (createSchema). A database that has a version this build does
// not know (written by a newer IMS Lab) is refused rather than silently misread.
import type { Database, Statement } from 'better-sqlite3';
import { statfsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { sizeText } from '../observe/amounts';
import { localIsoTime } from './local-time';

export interface Migration {
  readonly version: number;
  /** A short snake_case name, recorded with the version. */
  readonly name: string;
  /** SQL to execute, or a function for migrations that need to move data. */
  readonly up: string | ((db: Database) => void);
  /**
   * It changes rows already stored, not only the schema: the database is copied before it runs
   * (upgrade-copy.ts), for the IMS Lab that wrote them to be given back.
   */
  readonly rewrites?: boolean;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'users_and_bindings',
    up: `
      -- Subscribers (the original's data/users.json). The password is kept only encrypted (secret.ts);
      -- digest auth reads the HA1 values, which are derived for ha1_realm (RFC 7616 §3.4.2).
      CREATE TABLE users (
        username     TEXT PRIMARY KEY NOT NULL,
        display_name TEXT NOT NULL,
        phone        TEXT NOT NULL DEFAULT '',
        email        TEXT NOT NULL DEFAULT '',
        status       TEXT NOT NULL,
        service_type TEXT NOT NULL,
        password_enc TEXT NOT NULL,
        ha1_md5      TEXT NOT NULL,
        ha1_sha256   TEXT NOT NULL,
        ha1_realm    TEXT NOT NULL,
        create_time  TEXT NOT NULL,
        update_time  TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX users_by_status ON users (status, username);

      -- The location service (RFC 3261 §10.3): one row per Contact of an address-of-record.
      CREATE TABLE bindings (
        aor            TEXT NOT NULL,
        contact        TEXT NOT NULL,
        contact_params TEXT NOT NULL,
        expires_at     INTEGER NOT NULL,
        q              REAL,
        call_id        TEXT NOT NULL,
        cseq           INTEGER NOT NULL,
        source_address TEXT NOT NULL,
        source_port    INTEGER NOT NULL,
        transport      TEXT NOT NULL,
        user_agent     TEXT NOT NULL,
        created_at     INTEGER NOT NULL,
        updated_at     INTEGER NOT NULL,
        PRIMARY KEY (aor, contact)
      ) WITHOUT ROWID;
      CREATE INDEX bindings_by_expiry ON bindings (expires_at);

      -- Small persistent settings of the store itself (e.g. the realm the HA1 values are for).
      CREATE TABLE settings (
        key   TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    name: 'cdr',
    up: `
      -- Call detail records (core/cdr/record.ts): the original's 34 CSV columns in their order
      -- (original-server.md §3.2), then IMS Lab's. Text is '' when empty, numbers NULL when they do not
      -- apply. Times as ms since the epoch are in started_at, ended_at and answered_at.
      CREATE TABLE cdr (
        record_id          TEXT PRIMARY KEY NOT NULL,
        record_type        TEXT NOT NULL,
        call_state         TEXT NOT NULL,
        date               TEXT NOT NULL,
        start_time         TEXT NOT NULL,
        end_time           TEXT NOT NULL,
        call_id            TEXT NOT NULL,
        caller_uri         TEXT NOT NULL,
        caller_number      TEXT NOT NULL,
        caller_ip          TEXT NOT NULL,
        caller_port        INTEGER,
        callee_uri         TEXT NOT NULL,
        callee_number      TEXT NOT NULL,
        callee_ip          TEXT NOT NULL,
        callee_port        INTEGER,
        duration           REAL,
        setup_time         INTEGER,
        status_code        INTEGER,
        status_text        TEXT NOT NULL,
        termination_reason TEXT NOT NULL,
        invite_time        TEXT NOT NULL,
        ringing_time       TEXT NOT NULL,
        answer_time        TEXT NOT NULL,
        bye_time           TEXT NOT NULL,
        call_type          TEXT NOT NULL,
        codec              TEXT NOT NULL,
        user_agent         TEXT NOT NULL,
        contact            TEXT NOT NULL,
        expires            INTEGER,
        message_body       TEXT NOT NULL,
        server_ip          TEXT NOT NULL,
        server_port        INTEGER,
        cseq               TEXT NOT NULL,
        extra_info         TEXT NOT NULL,
        started_at         INTEGER NOT NULL,
        ended_at           INTEGER NOT NULL,
        answered_at        INTEGER,
        pdd_ms             INTEGER,
        ring_ms            INTEGER,
        talk_ms            INTEGER,
        hangup_by          TEXT NOT NULL,
        media_direction    TEXT NOT NULL,
        callee_user_agent  TEXT NOT NULL,
        callee_contact     TEXT NOT NULL,
        request_uri        TEXT NOT NULL,
        transport          TEXT NOT NULL,
        content_type       TEXT NOT NULL,
        sip_call_id        TEXT NOT NULL
      );
      -- Listing is newest first by (started_at, record_id), filtered by date, type, caller or callee.
      CREATE INDEX cdr_by_time ON cdr (started_at, record_id);
      CREATE INDEX cdr_by_date ON cdr (date, started_at, record_id);
      CREATE INDEX cdr_by_type ON cdr (record_type, started_at, record_id);
      CREATE INDEX cdr_by_caller ON cdr (caller_number, started_at, record_id);
      CREATE INDEX cdr_by_callee ON cdr (callee_number, started_at, record_id);
      CREATE INDEX cdr_by_call_id ON cdr (sip_call_id);
    `,
  },
  {
    version: 3,
    name: 'mml_history',
    up: `
      -- Every MML statement run (core/mml/history.ts): who, when (ms since the epoch), the command with
      -- secret values masked, its return code and message. The rowid orders it; old rows are pruned.
      CREATE TABLE mml_history (
        id      INTEGER PRIMARY KEY,
        at      INTEGER NOT NULL,
        who     TEXT NOT NULL,
        command TEXT NOT NULL,
        retcode INTEGER NOT NULL,
        message TEXT NOT NULL
      );
      CREATE INDEX mml_history_by_who ON mml_history (who, id);
    `,
  },
  {
    version: 4,
    name: 'original_compat',
    rewrites: true,
    up: `
      -- The AOR as the phone registered it (To URI without parameters), beside the canonical one.
      ALTER TABLE bindings ADD COLUMN registered_aor TEXT;

      -- The original's 34 CDR columns hold the original's values again (core/cdr/record.ts): setup_time
      -- is text such as 0.50s, an unregistration is REGISTER/UNREGISTERED, IMS Lab's own reasons and
      -- the bare URIs move to their own columns.
      ALTER TABLE cdr ADD COLUMN setup_ms INTEGER;
      ALTER TABLE cdr ADD COLUMN end_reason TEXT NOT NULL DEFAULT '';
      ALTER TABLE cdr ADD COLUMN from_uri TEXT NOT NULL DEFAULT '';
      ALTER TABLE cdr ADD COLUMN to_uri TEXT NOT NULL DEFAULT '';
      ALTER TABLE cdr ADD COLUMN aor TEXT NOT NULL DEFAULT '';
      ALTER TABLE cdr ADD COLUMN caller_contact TEXT NOT NULL DEFAULT '';
      UPDATE cdr SET caller_contact = contact, contact = '' WHERE record_type = 'CALL';
      UPDATE cdr SET setup_ms = setup_time, setup_time = printf('%.2fs', setup_time / 1000.0)
        WHERE typeof(setup_time) = 'integer';
      UPDATE cdr SET setup_time = '' WHERE setup_time IS NULL;
      UPDATE cdr SET duration = NULL WHERE record_type = 'CALL' AND answered_at IS NULL;
      UPDATE cdr SET expires = NULL, server_ip = '', server_port = NULL WHERE record_type = 'UNREGISTER';
      UPDATE cdr SET from_uri = caller_uri, to_uri = callee_uri WHERE record_type <> 'REGISTER'
        AND record_type <> 'UNREGISTER';
      UPDATE cdr SET aor = caller_uri WHERE record_type IN ('REGISTER', 'UNREGISTER');
      UPDATE cdr SET end_reason = termination_reason WHERE termination_reason <> '';
      UPDATE cdr SET record_type = 'REGISTER', termination_reason = '' WHERE record_type = 'UNREGISTER';
      UPDATE cdr SET termination_reason = 'FORCED_TERMINATION_BY_MML'
        WHERE record_type = 'CALL' AND hangup_by = 'operator';
      UPDATE cdr SET termination_reason = 'Normal'
        WHERE record_type = 'CALL' AND call_state = 'ENDED' AND hangup_by IN ('timeout', 'system');
    `,
  },
  {
    version: 5,
    name: 'users_version',
    up: `
      -- A counter every change to users moves, for the credentials cache (core/store/users.ts) to see
      -- another process's changes: PRAGMA data_version moves with any commit to the file by another
      -- connection, and the store worker's connection commits CDR rows and bindings several times a
      -- second, which emptied the cache as often.
      CREATE TABLE users_version (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
      INSERT INTO users_version (id, n) VALUES (1, 0);
      CREATE TRIGGER users_inserted AFTER INSERT ON users BEGIN UPDATE users_version SET n = n + 1; END;
      CREATE TRIGGER users_updated AFTER UPDATE ON users BEGIN UPDATE users_version SET n = n + 1; END;
      CREATE TRIGGER users_deleted AFTER DELETE ON users BEGIN UPDATE users_version SET n = n + 1; END;
    `,
  },
  {
    version: 6,
    name: 'bindings_path',
    up: `
      -- RFC 3327 §5.3: the path vector stored with a binding, a JSON array of the REGISTER's Path values
      -- in order (['<sip:pcscf.ims.lab;lr>']); NULL when the REGISTER had none.
      ALTER TABLE bindings ADD COLUMN path TEXT;
    `,
  },
  {
    version: 7,
    name: 'bindings_sent_from_elsewhere',
    up: `
      -- RFC 3581 §4: 1 when the REGISTER's top Via named another address than its source (a NAT, even
      -- one inside LOCAL_NETWORK_CIDR), 0 when it named that address; NULL for older bindings.
      ALTER TABLE bindings ADD COLUMN sent_from_elsewhere INTEGER;
    `,
  },
  {
    version: 8,
    name: 'cdr_shutdown_reason',
    // Marked rewrites (the database is copied first, upgrade-copy.ts): it changes rows already stored (180,006
    // of 330,012 in one bench), and an older IMS Lab refuses the upgraded database, so its way back is the
    // copy; without one, an upgrade from schema 4-7 (or one cut short) left none.
    rewrites: true,
    up: `
      -- A call ended by the appliance stopping says FORCED_TERMINATION_BY_SHUTDOWN in termination_reason,
      -- as this build writes it (core/cdr/from-events.ts originalReason: end_reason 'System shutdown',
      -- hangup_by 'system'). Older rows had other spellings of it: migration 4 made a schema-3 row's
      -- "System shutdown" of an ENDED call "Normal" (its hangup_by 'system' taken for an ordinary end),
      -- left the FAILED ones' "System shutdown", and builds of schemas 4-7 before the forced-end rule wrote
      -- "Normal". end_reason (IMS Lab's own reason, migration 4 copied the old termination_reason into
      -- it) tells them from a call that ended normally, whose end_reason is never 'System shutdown'.
      -- One pass over the table (no index has end_reason; one built for this would cost more than the
      -- scan): 330,012 CDR rows (215 MB) took 3.9 s with 180,006 of them to change, 0.9 s with none.
      UPDATE cdr SET termination_reason = 'FORCED_TERMINATION_BY_SHUTDOWN'
        WHERE record_type = 'CALL' AND end_reason = 'System shutdown' AND hangup_by = 'system'
          AND termination_reason IN ('Normal', 'System shutdown');
    `,
  },
  {
    version: 9,
    name: 'cdr_live_calls',
    up: `
      -- The journal of calls in progress (core/cdr/live-calls.ts): a call up at a flush of the CDR recorder
      -- is here, its last snapshot (core/calls/call.ts Call, as JSON), until its CDR row is committed (in
      -- the same transaction). A start finds here the calls an unclean stop (kill -9, a power cut) cut, and
      -- writes their rows. A clean stop leaves it empty. The settings row cdr.alive_at (ms since the epoch)
      -- is the last moment the appliance was known to run while calls were here: their end.
      CREATE TABLE cdr_live_calls (
        id         TEXT PRIMARY KEY NOT NULL,
        started_at INTEGER NOT NULL,
        call       TEXT NOT NULL
      ) WITHOUT ROWID;
    `,
  },
];

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

interface AppliedRow {
  version: number;
  name: string;
}

/** Checks that a migration list is numbered 1, 2, 3... with unique names. */
function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new MigrationError(`migration "${m.name}" has version ${m.version}, expected ${i + 1}`);
    }
  });
}

/**
 * The newest migration recorded in the database; 0 for a database no IMS Lab has migrated yet (a new
 * file). Reads only: nothing is created.
 */
export function schemaVersion(db: Database): number {
  const table = db
    .prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  if (table === undefined) return 0;
  const max = db.prepare<[], { v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations').get();
  return max?.v ?? 0;
}

/** Told of each migration run on a database that had a schema already (an upgrade; a new file's are not). */
export interface UpgradeWatch {
  starting(migration: Migration, from: number): void;
  finished(migration: Migration, ms: number): void;
}

/**
 * Brings the database up to the newest migration. Returns the versions applied now (empty when the
 * schema was already current). Throws MigrationError for a database from a newer IMS Lab, or one whose
 * recorded migrations do not match this build's, or for a migration that failed (naming the file; a
 * full disk with the room it needs).
 */
export function migrate(
  db: Database,
  migrations: readonly Migration[] = MIGRATIONS,
  watch?: UpgradeWatch,
): number[] {
  checkOrder(migrations);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const readApplied = db.prepare<[], AppliedRow>(
    'SELECT version, name FROM schema_migrations ORDER BY version',
  );
  const record = db.prepare<[number, string, string]>(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );

  const applied = readApplied.all();
  const known = migrations.length;
  for (const row of applied) {
    if (row.version > known) {
      throw new MigrationError(
        `database ${db.name} has schema version ${row.version} ("${row.name}"), newer than this IMS Lab ` +
          `knows (${known}): use the IMS Lab version that wrote it, or another data directory`,
      );
    }
    const expected = migrations[row.version - 1];
    if (expected === undefined || expected.name !== row.name) {
      throw new MigrationError(
        `database ${db.name} records migration ${row.version} as "${row.name}", ` +
          `but this IMS Lab's migration ${row.version} is "${expected?.name ?? '?'}"`,
      );
    }
  }

  if (applied.length === 0) {
    const made = createSchema(db, migrations, readApplied, record);
    if (made !== undefined) return made;
  }
  const done = new Set(applied.map((row) => row.version));
  const now: number[] = [];
  let version = applied.at(-1)?.version ?? 0;
  const upgrade = version > 0 ? watch : undefined;
  for (const migration of migrations) {
    if (done.has(migration.version)) continue;
    upgrade?.starting(migration, version);
    const started = performance.now();
    const apply = db.transaction(() => {
      // Another process may have applied it between our read and this write lock.
      if (readApplied.all().some((row) => row.version === migration.version)) return false;
      if (typeof migration.up === 'string') db.exec(migration.up);
      else migration.up(db);
      record.run(migration.version, migration.name, localIsoTime());
      return true;
    });
    try {
      if (apply.immediate()) now.push(migration.version);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const of = db.memory ? '' : ` of ${db.name}`;
      throw new MigrationError(
        `migration ${migration.version} ("${migration.name}")${of} failed: ${reason}${roomNeeded(db, err)}`,
      );
    }
    upgrade?.finished(migration, performance.now() - started);
    version = migration.version;
  }
  return now;
}

/**
 * A new database's whole schema in one transaction: a start cut short (a disk almost full) leaves none of
 * it, and the next start makes it anew. Run one transaction a migration, it left a database at schema 2,
 * which the next start took for an older IMS Lab's (copied aside as ims-lab.db.before-v4, "upgraded").
 * Answers the versions applied, or undefined when another process began it meanwhile (migrated as usual).
 */
function createSchema(
  db: Database,
  migrations: readonly Migration[],
  readApplied: Statement<[], AppliedRow>,
  record: Statement<[number, string, string]>,
): number[] | undefined {
  let current: Migration | undefined;
  const all = db.transaction((): boolean => {
    if (readApplied.all().length > 0) return false;
    for (const migration of migrations) {
      current = migration;
      if (typeof migration.up === 'string') db.exec(migration.up);
      else migration.up(db);
      record.run(migration.version, migration.name, localIsoTime());
    }
    return true;
  });
  try {
    return all.immediate() ? migrations.map((m) => m.version) : undefined;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    const of = db.memory ? '' : ` of ${db.name}`;
    throw new MigrationError(
      `migration ${current?.version} ("${current?.name}")${of} failed: ${reason}${roomNeeded(db, err, true)}`,
    );
  }
}

/**
 * What a migration that found the disk full needs: about the database's size, for it may rewrite every
 * row (migration 4 does), each page written to the WAL before it goes back into the file.
 */
function roomNeeded(db: Database, err: unknown, isNew = false): string {
  if ((err as { code?: string }).code !== 'SQLITE_FULL' || db.memory) return '';
  try {
    // A new one: its size says nothing (a few pages); the disk's room does, a few MB needed.
    if (isNew) {
      const fs = statfsSync(dirname(db.name));
      return `; the disk holding it is full (${sizeText(fs.bavail * fs.bsize)} free): a new database needs a few MB (nothing of it was made)`;
    }
    return `; it needs about ${sizeText(statSync(db.name).size)} free beside it`;
  } catch {
    return '';
  }
}
