// Subscribers in SQLite: the UserStore the registrar's digest auth, MML (ADD/MOD/RMV/DSP USER) and the
// dashboards use. Passwords are sealed (secret.ts); auth reads the HA1 values derived for the current
// realm (RFC 7616 §3.4.2, RFC 8760), one primary-key lookup per request. Every statement is prepared
// once, and every multi-row change is one transaction: a failure changes nothing.
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { realmProblem } from '../config/setting-formats';
import { ha1Values } from '../sip/auth/ha1';
import { accountOf } from '../sip/auth/private-identity';
import { localIsoTime } from './local-time';
import { nextUpdateTime, updateTimeOf, type UpdateTime } from './update-time';
import { OneAtATime } from './one-at-a-time';
import { importError, originalEntry, readOriginalUsers, readOriginalUsersAsync } from './original-users';
import type { ImportProblem, OriginalEntry, OriginalUsersFile } from './original-users';
import { PasswordCipher, SECRET_KEY_FILE, SecretError, loadSecretKey } from './secret';
import { StoreError } from './types';
import type {
  Credentials,
  ImportResult,
  NewUser,
  ServiceType,
  User,
  UserChanges,
  UserPage,
  UserQuery,
  UserStatus,
  UserStore,
} from './types';
import {
  checkDisplayName,
  checkEmail,
  checkPassword,
  checkPhone,
  checkServiceType,
  checkStatus,
  checkUsername,
  defaultDisplayName,
} from './user-fields';
import type { FieldCheck } from './user-fields';
import { UserListing } from './user-listing';
import { toCredentials, toUser, USER_COLUMNS } from './user-row';
import type { CredentialsRow, StoredUserRow, UserRow } from './user-row';
import { nextTurn } from '../observe/next-turn';
import { loopStepWriter, writeImportInSteps } from './users-import-write';
import type { StepWriter } from './users-import-write';

/** The settings key under which the realm of the stored HA1 values is persisted. */
export const REALM_SETTING = 'users.realm';
/** When the default users were created (or found users there instead): they are created once only. */
const DEFAULTS_SETTING = 'users.defaults_created';

export interface UserStoreOptions {
  /** The realm for a data directory that has none persisted yet (a fresh installation). */
  realm: string;
  /**
   * The realm configured for this start (AUTH.REALM: config.json, the environment). It wins over the
   * persisted realm, which an unsaved SET CFG may have left: every HA1 not for it is re-derived at
   * construction; see SqliteUserStore.startup. Without it (a command beside a running server) the
   * persisted realm stays in force.
   */
  configuredRealm?: string;
  /**
   * Where IMP USER writes its rows while it is available: the store's worker (users-import-write.ts).
   * Without it, or while it is not running, on this connection, a step per turn all the same.
   */
  importWriter?: StepWriter;
}

/** What the constructor found and did about the realm. */
export interface RealmAtStart {
  /** The realm now in force. */
  realm: string;
  /** The realm persisted by an earlier run, undefined for a fresh data directory. */
  persisted: string | undefined;
  /** How many users' HA1 values were re-derived because the realm changed (0 normally). */
  rederived: number;
}

/** The realm's rule (setting-formats.ts, AUTH.REALM's too): config.json and SET CFG refuse what this does. */
export function checkRealm(v: unknown): string | undefined {
  return typeof v === 'string' ? realmProblem(v) : 'must be a string';
}

function need(field: string, check: FieldCheck, value: unknown): void {
  const problem = check(value);
  if (problem !== undefined) throw new StoreError('invalid', `${field}: ${problem}`, field);
}

/** Checks the fields a NewUser or UserChanges carries (undefined means "not given"). */
function checkFields(fields: UserChanges): void {
  if (fields.password !== undefined) need('password', checkPassword, fields.password);
  if (fields.displayName !== undefined) need('displayName', checkDisplayName, fields.displayName);
  if (fields.phone !== undefined) need('phone', checkPhone, fields.phone);
  if (fields.email !== undefined) need('email', checkEmail, fields.email);
  if (fields.status !== undefined) need('status', checkStatus, fields.status);
  if (fields.serviceType !== undefined) need('serviceType', checkServiceType, fields.serviceType);
}

const DEFAULT_USERS = ['1001', '1002', '1003'];

/**
 * Credentials are read on every authenticated request, so they are kept in memory. This store's own
 * changes drop the copy at once; a commit by another connection (`users import` beside a running server)
 * is noticed through the users_version counter (migration 5), read at most this often.
 */
const CREDENTIALS_CHECK_MS = 1000;
/** Users whose credentials are kept at most (the oldest read is dropped first): about 5 MB (measured). */
const MAX_CACHED_CREDENTIALS = 20_000;
/** user@realm names kept at most (a phone uses one; each read of a new one decrypts a password). */
const MAX_CACHED_IDENTITIES = 4096;

function checkMode(mode: string): void {
  if (mode !== 'add' && mode !== 'upsert') {
    throw new StoreError('invalid', `mode: must be add or upsert, got "${String(mode)}"`, 'mode');
  }
}

/** Users whose HA1 values prepareRealm derives per turn of the event loop (a few ms of work). */
const REALM_CHUNK = 100;
/** Entries prepared per turn of the event loop in importOriginalAsync. */
const IMPORT_CHUNK = 100;
/** Users read (and their passwords opened) per turn of the event loop by exportOriginalAsync. */
const EXPORT_CHUNK = 500;

/** Throws SecretError naming secret.key when the installation's key does not open a stored password. */
function checkKey(
  cipher: PasswordCipher,
  sample: { username: string; password_enc: string },
  dataDir?: string,
) {
  try {
    cipher.open(sample.password_enc, sample.username);
  } catch (err) {
    if (!(err instanceof SecretError) || dataDir === undefined) throw err;
    throw new SecretError(
      `${join(dataDir, SECRET_KEY_FILE)} does not decrypt the users' passwords stored in this database ` +
        `(${sample.username}'s, for one): put back the ${SECRET_KEY_FILE} that was beside this database`,
    );
  }
}

/** A user's HA1 values derived for a realm ahead of the change, with the sealed password they are from. */
interface PreparedHa1 {
  sealed: string;
  md5: string;
  sha256: string;
}

/** An import entry with its row ready to write (password sealed, HA1 values derived). */
interface ImportRow {
  entry: OriginalEntry;
  row: StoredUserRow;
  now: string;
  /** The entry's line in the file, for a message. */
  line: () => number;
}

export class SqliteUserStore implements UserStore {
  /** The realm decision taken at construction (the "init" result): log it when rederived > 0. */
  readonly startup: RealmAtStart;
  #realm: string;
  readonly #cipher: PasswordCipher;
  readonly #listing: UserListing;
  readonly #credentials = new Map<string, Credentials | undefined>();
  /** Credentials read as user@realm (private-identity.ts), apart: any change to a user drops them all. */
  readonly #identities = new Map<string, Credentials | undefined>();
  /** HA1 values prepareRealm derived, until setRealm writes them (or the turn of the event loop ends). */
  #prepared: { realm: string; ha1: Map<string, PreparedHa1> } | undefined;
  #credentialsCheckedAt = 0;
  #usersVersion = 0;
  readonly #getUsersVersion;

  readonly #getUser;
  readonly #getStored;
  readonly #storedAfter;
  readonly #getCredentials;
  readonly #getSealed;
  readonly #count;
  readonly #exists;
  readonly #insert;
  readonly #update;
  readonly #delete;
  readonly #staleRealm;
  readonly #staleRealmAfter;
  readonly #setHa1;
  readonly #setPreparedHa1;
  readonly #getSetting;
  readonly #putSetting;

  readonly #updateTx;
  readonly #realmTx;
  readonly #importTx;
  readonly #seedTx;
  readonly #toRealmTx;
  /**
   * IMP USER and EXP USER one at a time: an export reads a chunk of users a turn, and an import written
   * between two was exported half applied (9,996 users' old passwords, 10,004 new ones).
   */
  readonly #transfers = new OneAtATime();
  readonly #importWriter: StepWriter | undefined;
  readonly #loopWriter: StepWriter;

  /**
   * @param secret the data directory (its secret.key is read, or created on first use) or the 32-byte key
   * @throws StoreError('invalid', field 'realm') for an unusable realm; SecretError for a bad key file
   */
  constructor(db: Database, secret: string | Buffer, options: UserStoreOptions) {
    // A stored password, to check the key against: a key that does not open it stops the start here
    // rather than at the first realm change or export (EXP USER, SET CFG AUTH.REALM failed much later).
    const sample = db
      .prepare<[], { username: string; password_enc: string }>(
        "SELECT username, password_enc FROM users WHERE password_enc <> '' LIMIT 1",
      )
      .get();
    this.#cipher = new PasswordCipher(
      typeof secret === 'string' ? loadSecretKey(secret, sample !== undefined) : secret,
    );
    if (sample !== undefined) checkKey(this.#cipher, sample, typeof secret === 'string' ? secret : undefined);
    this.#listing = new UserListing(db);
    this.#importWriter = options.importWriter;
    this.#loopWriter = loopStepWriter(db);

    this.#getUser = db.prepare<[string], UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE username = ?`);
    this.#getStored = db.prepare<[string], StoredUserRow>('SELECT * FROM users WHERE username = ?');
    this.#storedAfter = db.prepare<[string, number], StoredUserRow>(
      'SELECT * FROM users WHERE username > ? ORDER BY username LIMIT ?',
    );
    this.#getCredentials = db.prepare<[string], CredentialsRow>(
      'SELECT username, status, ha1_realm, ha1_md5, ha1_sha256 FROM users WHERE username = ?',
    );
    this.#getSealed = db.prepare<[string], { username: string; status: string; password_enc: string }>(
      'SELECT username, status, password_enc FROM users WHERE username = ?',
    );
    this.#getUsersVersion = db.prepare<[], number>('SELECT n FROM users_version').pluck();
    this.#usersVersion = this.#getUsersVersion.get() ?? 0;
    this.#count = db.prepare<[], number>('SELECT COUNT(*) FROM users').pluck();
    this.#exists = db.prepare<[string], number>('SELECT 1 FROM users WHERE username = ?').pluck();
    this.#insert = db.prepare<[StoredUserRow]>(
      `INSERT INTO users (${USER_COLUMNS}, password_enc, ha1_md5, ha1_sha256, ha1_realm)
       VALUES (@username, @display_name, @phone, @email, @status, @service_type, @create_time, @update_time,
               @password_enc, @ha1_md5, @ha1_sha256, @ha1_realm)
       ON CONFLICT (username) DO NOTHING`,
    );
    this.#update = db.prepare<[StoredUserRow]>(
      `UPDATE users SET display_name = @display_name, phone = @phone, email = @email, status = @status,
         service_type = @service_type, create_time = @create_time, update_time = @update_time,
         password_enc = @password_enc, ha1_md5 = @ha1_md5, ha1_sha256 = @ha1_sha256, ha1_realm = @ha1_realm
       WHERE username = @username`,
    );
    this.#delete = db.prepare<[string]>('DELETE FROM users WHERE username = ?');
    this.#staleRealm = db.prepare<[string], { username: string; password_enc: string }>(
      'SELECT username, password_enc FROM users WHERE ha1_realm <> ?',
    );
    this.#staleRealmAfter = db.prepare<[string, string, number], { username: string; password_enc: string }>(
      'SELECT username, password_enc FROM users WHERE ha1_realm <> ? AND username > ? ORDER BY username LIMIT ?',
    );
    this.#setHa1 = db.prepare<[string, string, string, string]>(
      'UPDATE users SET ha1_md5 = ?, ha1_sha256 = ?, ha1_realm = ? WHERE username = ?',
    );
    // Only while the password is the one the values were derived from, and not yet for this realm.
    this.#setPreparedHa1 = db.prepare<[string, string, string, string, string, string]>(
      `UPDATE users SET ha1_md5 = ?, ha1_sha256 = ?, ha1_realm = ?
       WHERE username = ? AND password_enc = ? AND ha1_realm <> ?`,
    );
    this.#getSetting = db.prepare<[string], string>('SELECT value FROM settings WHERE key = ?').pluck();
    this.#putSetting = db.prepare<[string, string]>(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );

    this.#updateTx = db.transaction((username: string, changes: UserChanges, since?: UpdateTime) =>
      this.#applyChanges(username, changes, since),
    );
    this.#realmTx = db.transaction((realm: string) => this.#rederive(realm));
    this.#importTx = db.transaction((rows: ImportRow[], mode: 'add' | 'upsert') =>
      this.#writeImport(rows, mode),
    );
    this.#seedTx = db.transaction(() => this.#seed());
    this.#toRealmTx = db.transaction((stale: readonly ImportRow[], realm: string) => {
      for (const { entry: e, row } of stale) {
        const h = ha1Values(e.username, realm, e.password);
        this.#setPreparedHa1.run(h.MD5, h['SHA-256'], realm, e.username, row.password_enc, realm);
      }
    });

    need('realm', checkRealm, options.realm);
    if (options.configuredRealm !== undefined) need('realm', checkRealm, options.configuredRealm);
    const persisted = this.#getSetting.get(REALM_SETTING);
    const wanted = options.configuredRealm ?? persisted ?? options.realm;
    this.#realm = persisted ?? wanted;
    // The realm in force is the realm of every HA1: rows left with another (a realm change that raced an
    // import, an older IMS Lab's) are re-derived as well, or their users would get 401 for good.
    const stale = persisted !== wanted || this.#staleRealm.get(wanted) !== undefined;
    const rederived = stale ? this.setRealm(wanted) : 0;
    this.startup = { realm: wanted, persisted, rederived };
  }

  get realm(): string {
    return this.#realm;
  }

  get(username: string): User | undefined {
    const row = this.#getUser.get(username);
    return row && toUser(row);
  }

  /**
   * Read on every authenticated request, so kept in memory (see CREDENTIALS_CHECK_MS): every change made
   * through this store drops the copy at once; a change by another process is seen within a second.
   */
  credentials(username: string): Credentials | undefined {
    const now = Date.now();
    if (now - this.#credentialsCheckedAt >= CREDENTIALS_CHECK_MS) {
      this.#credentialsCheckedAt = now;
      // Moved by triggers on every change to users, by any connection (migration 5).
      const version = this.#getUsersVersion.get() ?? 0;
      if (version !== this.#usersVersion) {
        this.#usersVersion = version;
        this.#forgetAll();
      }
    }
    const cached = this.#credentials.get(username);
    if (cached !== undefined || this.#credentials.has(username)) return cached;
    const account = accountOf(username);
    if (account !== username) return account === undefined ? undefined : this.#identity(username, account);
    const row = this.#getCredentials.get(username);
    const value = row && toCredentials(row);
    if (this.#credentials.size >= MAX_CACHED_CREDENTIALS) {
      this.#credentials.delete(this.#credentials.keys().next().value as string);
    }
    this.#credentials.set(username, value);
    return value;
  }

  /**
   * Whether the name (or the account of a user@realm, private-identity.ts) is an account's: what a
   * target lookup needs, answered from the account's credentials as kept for auth, never by opening its
   * password. A user@realm never seen before costs the same for an account as for nobody: deriving its
   * HA1 values (#forIdentity) told an unauthenticated prober, by the time taken, which names exist.
   */
  exists(username: string): boolean {
    const account = accountOf(username);
    return account !== undefined && this.credentials(account) !== undefined;
  }

  /** Drops the cached credentials of a user, and every user@realm read (any of them may be its). */
  #forget(username: string): void {
    this.#credentials.delete(username);
    this.#identities.clear();
  }

  #forgetAll(): void {
    this.#credentials.clear();
    this.#identities.clear();
  }

  #identity(username: string, account: string): Credentials | undefined {
    const cached = this.#identities.get(username);
    if (cached !== undefined || this.#identities.has(username)) return cached;
    const value = this.#forIdentity(username, account);
    if (this.#identities.size >= MAX_CACHED_IDENTITIES) {
      this.#identities.delete(this.#identities.keys().next().value as string);
    }
    this.#identities.set(username, value);
    return value;
  }

  /**
   * user@realm (private-identity.ts): the account's credentials with HA1 values over the whole username,
   * derived from its password once (then cached in #identities).
   */
  #forIdentity(username: string, account: string): Credentials | undefined {
    const row = this.#getSealed.get(account);
    if (row === undefined) return undefined;
    const password = this.#cipher.open(row.password_enc, row.username);
    const realm = this.#realm;
    return {
      username: row.username,
      status: row.status as UserStatus,
      realm,
      ha1: ha1Values(username, realm, password),
    };
  }

  list(query?: UserQuery): UserPage {
    return this.#listing.list(query);
  }

  count(): number {
    return this.#count.get() ?? 0;
  }

  add(user: NewUser): User {
    need('username', checkUsername, user.username);
    if (user.password === undefined) throw new StoreError('invalid', 'password: is required', 'password');
    checkFields(user);
    const now = localIsoTime();
    const row = this.#row(user.username, user.password, {
      display_name: user.displayName ?? defaultDisplayName(user.username),
      phone: user.phone ?? '',
      email: user.email ?? '',
      status: user.status ?? 'ACTIVE',
      service_type: user.serviceType ?? 'BASIC',
      create_time: now,
      update_time: now,
    });
    if (this.#insert.run(row).changes === 0) {
      throw new StoreError('exists', `username: user ${user.username} already exists`, 'username');
    }
    this.#forget(user.username);
    return toUser(row);
  }

  update(username: string, changes: UserChanges, ifUpdated?: string): User {
    checkFields(changes);
    const since = ifUpdated === undefined ? undefined : updateTimeOf(ifUpdated);
    this.#forget(username);
    return this.#updateTx.immediate(username, changes, since);
  }

  remove(username: string): boolean {
    this.#forget(username);
    return this.#delete.run(username).changes > 0;
  }

  /**
   * Re-derives every HA1 for the new realm in one transaction and persists it; returns the users changed.
   * The values prepareRealm derived for this realm in this turn of the event loop are written as they are.
   */
  setRealm(realm: string): number {
    need('realm', checkRealm, realm);
    const changed = this.#realmTx.immediate(realm);
    this.#realm = realm;
    this.#forgetAll();
    return changed;
  }

  /**
   * Derives every user's HA1 values for `realm` a chunk per turn of the event loop, for a setRealm(realm)
   * right after it (SET CFG KEY=AUTH.REALM) to write in its transaction: derived there, 20,000 users held
   * the event loop 0.7 s, and phones retransmitted. A password the key does not open throws here, before
   * anything changed. A user added or changed meanwhile is derived by setRealm. The values are kept until
   * the end of the turn in which the promise resolves.
   */
  async prepareRealm(realm: string): Promise<void> {
    need('realm', checkRealm, realm);
    const ha1 = new Map<string, PreparedHa1>();
    for (let after = ''; ;) {
      const rows = this.#staleRealmAfter.all(realm, after, REALM_CHUNK);
      for (const { username, password_enc } of rows) {
        const h = ha1Values(username, realm, this.#cipher.open(password_enc, username));
        ha1.set(username, { sealed: password_enc, md5: h.MD5, sha256: h['SHA-256'] });
      }
      if (rows.length < REALM_CHUNK) break;
      after = rows.at(-1)!.username;
      await nextTurn();
    }
    const prepared = { realm, ha1 };
    this.#prepared = prepared;
    setImmediate(() => {
      if (this.#prepared === prepared) this.#prepared = undefined;
    });
  }

  /**
   * In 'upsert' mode an existing user takes the fields its entry has (password always) and keeps the
   * others; create_time is kept unless the entry has one.
   */
  importOriginal(json: string, mode: 'add' | 'upsert' = 'add'): ImportResult {
    checkMode(mode);
    const file = this.#checkImport(readOriginalUsers(json), mode); // all validated before any write
    const now = localIsoTime();
    const rows = file.entries.map((e) => this.#importRow(e, now, file.lineOf));
    return this.#finishImport(rows, mode, file.notes);
  }

  importOriginalAsync(json: string, mode: 'add' | 'upsert' = 'add'): Promise<ImportResult> {
    return this.#transfers.run(() => this.#importOriginalAsync(json, mode));
  }

  async #importOriginalAsync(json: string, mode: 'add' | 'upsert'): Promise<ImportResult> {
    checkMode(mode);
    // Every step that grows with the file runs in chunks with the event loop let in between (SIP goes
    // on), the write too (users-import-write.ts): staged a chunk a step, then put into users by one
    // transaction, in the store's worker while it runs, so that nothing changes unless everything does.
    const read = await readOriginalUsersAsync(json, nextTurn, IMPORT_CHUNK * 2);
    const file = await this.#checkImportAsync(read, mode);
    const now = localIsoTime();
    const rows: ImportRow[] = [];
    for (let i = 0; i < file.entries.length; i += IMPORT_CHUNK) {
      await nextTurn();
      for (const e of file.entries.slice(i, i + IMPORT_CHUNK))
        rows.push(this.#importRow(e, now, file.lineOf));
    }
    await nextTurn();
    const writer = this.#importWriter?.available() === true ? this.#importWriter : this.#loopWriter;
    let result: ImportResult;
    try {
      result = await writeImportInSteps(writer, rows, mode, nextTurn);
    } catch (err) {
      // A user added since the check (add mode): named as the check names it; nothing was written.
      if (mode === 'add' && (err as { code?: unknown }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
        await this.#checkImportAsync(file, mode);
      throw err;
    } finally {
      this.#forgetAll();
    }
    this.#toRealmNow(rows);
    this.#forgetAll();
    return file.notes.length > 0 ? { ...result, notes: file.notes } : result;
  }

  /**
   * Rows are prepared (and staged) across turns of the event loop: when SET CFG AUTH.REALM changed the
   * realm meanwhile (and re-derived the table before they were in it), their users get the HA1 values
   * of the realm now, unless their password changed since (MOD USER) or they have them already.
   */
  #toRealmNow(rows: readonly ImportRow[]): void {
    const realm = this.#realm;
    const stale = rows.filter((r) => r.row.ha1_realm !== realm);
    if (stale.length === 0) return;
    this.#toRealmTx.immediate(stale, realm);
  }

  exportOriginalAsync<T>(
    into: (parts: AsyncIterable<Uint8Array>) => Promise<T>,
  ): Promise<{ result: T; count: number }> {
    return this.#transfers.run(async () => {
      const counted = { count: 0, failure: undefined as { err: unknown } | undefined };
      try {
        const result = await into(this.#exportParts(counted));
        return { result, count: counted.count };
      } catch (err) {
        // A user that could not be read (a key that does not open its password) is the failure, not
        // what the writer made of it.
        throw counted.failure === undefined ? err : counted.failure.err;
      }
    });
  }

  /**
   * The text of JSON.stringify(every user, null, 2) and a newline, EXPORT_CHUNK users a part, a turn of
   * the event loop between two: 148,000 users stringified and written in one turn held SIP 0.4-1.1 s.
   * In username order.
   */
  async *#exportParts(counted: { count: number; failure: { err: unknown } | undefined }) {
    let first = true;
    try {
      for (let after = ''; ;) {
        const rows = this.#storedAfter.all(after, EXPORT_CHUNK);
        let text = '';
        for (const row of rows) {
          const entry = originalEntry(toUser(row), this.#cipher.open(row.password_enc, row.username));
          // '{\n  "<name>": {\n ...\n  }\n}': the member as the whole object's stringify indents it.
          text += (first ? '{\n' : ',\n') + JSON.stringify({ [row.username]: entry }, null, 2).slice(2, -2);
          first = false;
          counted.count++;
        }
        if (text !== '') yield Buffer.from(text);
        if (rows.length < EXPORT_CHUNK) break;
        after = rows.at(-1)!.username;
        await nextTurn();
      }
    } catch (err) {
      counted.failure = { err };
      throw err;
    }
    yield Buffer.from(first ? '{}\n' : '\n}\n');
  }

  /** In add mode, that no username exists; throws listing every problem of the file. */
  #checkImport(file: OriginalUsersFile, mode: 'add' | 'upsert'): OriginalUsersFile {
    const problems: ImportProblem[] = [...file.problems];
    if (mode === 'add') problems.push(...this.#existing(file, 0, file.entries.length));
    if (problems.length > 0) throw importError(problems.sort((a, b) => a.line - b.line));
    return file;
  }

  async #checkImportAsync(file: OriginalUsersFile, mode: 'add' | 'upsert'): Promise<OriginalUsersFile> {
    const problems: ImportProblem[] = [...file.problems];
    if (mode === 'add') {
      for (let i = 0; i < file.entries.length; i += IMPORT_CHUNK * 4) {
        await nextTurn();
        problems.push(...this.#existing(file, i, i + IMPORT_CHUNK * 4));
      }
    }
    if (problems.length > 0) throw importError(problems.sort((a, b) => a.line - b.line));
    return file;
  }

  /** Entries [from, to) whose username exists already, as problems. */
  #existing(file: OriginalUsersFile, from: number, to: number): ImportProblem[] {
    const out: ImportProblem[] = [];
    for (const e of file.entries.slice(from, to)) {
      if (this.#exists.get(e.username) !== undefined) {
        out.push({
          line: file.lineOf?.(e.index ?? 0) ?? 1,
          entry: e.username,
          field: 'username',
          problem: `user ${e.username} already exists (import in upsert mode to update it)`,
        });
      }
    }
    return out;
  }

  #finishImport(rows: ImportRow[], mode: 'add' | 'upsert', notes: string[]): ImportResult {
    const result = this.#importTx.immediate(rows, mode);
    this.#forgetAll();
    return notes.length > 0 ? { ...result, notes } : result;
  }

  seedDefaults(): number {
    this.#forgetAll();
    return this.#seedTx.immediate();
  }

  /** A data folder's first start: no user yet, and the default users never created. */
  get isNew(): boolean {
    return this.#getSetting.get(DEFAULTS_SETTING) === undefined && (this.#count.get() ?? 0) === 0;
  }

  /** Password-derived columns: the sealed password and the HA1 values for the current realm. */
  #secrets(username: string, password: string) {
    return { password_enc: this.#cipher.seal(password, username), ...this.#ha1Columns(username, password) };
  }

  #ha1Columns(username: string, password: string) {
    const h = ha1Values(username, this.#realm, password);
    return { ha1_md5: h.MD5, ha1_sha256: h['SHA-256'], ha1_realm: this.#realm };
  }

  #row(username: string, password: string, fields: Omit<UserRow, 'username'>): StoredUserRow {
    return { username, ...fields, ...this.#secrets(username, password) };
  }

  #applyChanges(username: string, changes: UserChanges, since?: UpdateTime): User {
    const old = this.#getStored.get(username);
    if (old === undefined)
      throw new StoreError('not-found', `username: user ${username} does not exist`, 'username');
    // Checked in the write transaction: no other connection's change can come between.
    if (since !== undefined && !since.matches(old.update_time)) {
      // A time to the second with the stored one within it: the second may hold more than one change.
      throw new StoreError(
        'changed',
        since.vague(old.update_time)
          ? `User ${username} was updated within the second ${since.text} (Updated ${old.update_time}), ` +
              `which may hold more than one change: nothing changed; read it again to the millisecond ` +
              `(DSP USER USERNAME=${username})`
          : `User ${username} was changed since ${since.text} (Updated ${old.update_time}): nothing changed; ` +
              `read it again (DSP USER USERNAME=${username})`,
        'ifUpdated',
      );
    }
    const given = Object.values(changes).some((v) => v !== undefined);
    if (!given) return toUser(old);
    const row: StoredUserRow = {
      ...old,
      display_name: changes.displayName ?? old.display_name,
      phone: changes.phone ?? old.phone,
      email: changes.email ?? old.email,
      status: changes.status ?? old.status,
      service_type: changes.serviceType ?? old.service_type,
      update_time: nextUpdateTime(old.update_time),
      ...(changes.password === undefined ? {} : this.#secrets(username, changes.password)),
    };
    this.#update.run(row);
    return toUser(row);
  }

  #rederive(realm: string): number {
    const prepared = this.#prepared?.realm === realm ? this.#prepared.ha1 : undefined;
    this.#prepared = undefined;
    let changed = 0;
    for (const [username, p] of prepared ?? []) {
      changed += this.#setPreparedHa1.run(p.md5, p.sha256, realm, username, p.sealed, realm).changes;
    }
    // Every user not prepared: all of them without prepareRealm, else those added or changed since.
    const stale = this.#staleRealm.all(realm);
    for (const { username, password_enc } of stale) {
      const h = ha1Values(username, realm, this.#cipher.open(password_enc, username));
      this.#setHa1.run(h.MD5, h['SHA-256'], realm, username);
    }
    this.#putSetting.run(REALM_SETTING, realm);
    return changed + stale.length;
  }

  /** The costly part of importing an entry (sealing, HA1s), done before the write transaction. */
  #importRow(e: OriginalEntry, now: string, lineOf?: (i: number) => number): ImportRow {
    return {
      entry: e,
      line: () => lineOf?.(e.index ?? 0) ?? 1,
      row: this.#row(e.username, e.password, {
        display_name: e.displayName ?? defaultDisplayName(e.username),
        phone: e.phone ?? '',
        email: e.email ?? '',
        status: e.status ?? 'ACTIVE',
        service_type: (e.serviceType ?? 'BASIC') as ServiceType,
        create_time: e.createTime ?? now,
        update_time: e.updateTime ?? e.createTime ?? now,
      }),
      now,
    };
  }

  /** Inside the transaction: inserts, or (upsert) updates keeping what the entry does not give. */
  #writeImport(rows: ImportRow[], mode: 'add' | 'upsert'): ImportResult {
    const result: ImportResult = { added: 0, updated: 0 };
    for (const { entry: e, row: prepared, now, line } of rows) {
      // Rows are prepared across turns of the event loop (importOriginalAsync): when the realm changed
      // meanwhile (SET CFG AUTH.REALM re-derived the table then), the HA1 values are for the realm now.
      const row =
        prepared.ha1_realm === this.#realm
          ? prepared
          : { ...prepared, ...this.#ha1Columns(e.username, e.password) };
      // Add mode checked beforehand that none exists: the insert alone, its conflict a late arrival.
      const old = mode === 'add' ? undefined : this.#getStored.get(e.username);
      if (old === undefined && this.#insert.run(row).changes === 1) {
        result.added++;
      } else if (mode === 'add' || old === undefined) {
        // Added by someone else since the check: the transaction is rolled back, nothing changes.
        throw importError([
          {
            line: line(),
            entry: e.username,
            field: 'username',
            problem: `user ${e.username} already exists (import in upsert mode to update it)`,
          },
        ]);
      } else {
        this.#update.run({
          ...row,
          display_name: e.displayName ?? old.display_name,
          phone: e.phone ?? old.phone,
          email: e.email ?? old.email,
          status: e.status ?? old.status,
          service_type: (e.serviceType ?? old.service_type) as ServiceType,
          create_time: e.createTime ?? old.create_time,
          update_time: e.updateTime ?? now,
        });
        result.updated++;
      }
    }
    return result;
  }

  #seed(): number {
    // Once per database: an operator who removed every user (weak passwords) does not get them back.
    if (this.#getSetting.get(DEFAULTS_SETTING) !== undefined) return 0;
    const now = localIsoTime();
    this.#putSetting.run(DEFAULTS_SETTING, now);
    if ((this.#count.get() ?? 0) > 0) return 0;
    for (const username of DEFAULT_USERS) {
      this.#insert.run(
        this.#row(username, username, {
          display_name: defaultDisplayName(username),
          phone: '',
          email: '',
          status: 'ACTIVE',
          service_type: 'BASIC',
          create_time: now,
          update_time: now,
        }),
      );
    }
    return DEFAULT_USERS.length;
  }
}
