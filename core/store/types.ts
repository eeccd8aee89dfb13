// The store interface the rest of the appliance uses. The SQLite implementation lives beside it; a
// PostgreSQL adapter for a shared deployment would implement the same interfaces (DESIGN.md, Beyond
// one machine).
import type { DigestAlgorithm } from '../sip/auth/ha1';

export type UserStatus = 'ACTIVE' | 'INACTIVE' | 'SUSPENDED';
export const USER_STATUSES: readonly UserStatus[] = ['ACTIVE', 'INACTIVE', 'SUSPENDED'];
export type ServiceType = 'BASIC' | 'PREMIUM' | 'VIP' | 'ENTERPRISE';
export const SERVICE_TYPES: readonly ServiceType[] = ['BASIC', 'PREMIUM', 'VIP', 'ENTERPRISE'];

/** A subscriber as operators see it (the original's users.json fields, without the password). */
export interface User {
  username: string;
  displayName: string;
  phone: string;
  email: string;
  status: UserStatus;
  serviceType: ServiceType;
  /** ISO 8601 with offset, e.g. 2026-11-24T09:30:00.000+08:00 (the original had local time, no zone). */
  createTime: string;
  updateTime: string;
}

/** What digest authentication needs, read on every authenticated request. */
export interface Credentials {
  username: string;
  status: UserStatus;
  /** The realm the HA1 values were computed for. */
  realm: string;
  ha1: Readonly<Record<DigestAlgorithm, string>>;
}

export interface NewUser {
  username: string;
  password: string;
  displayName?: string;
  phone?: string;
  email?: string;
  status?: UserStatus;
  serviceType?: ServiceType;
}

export type UserChanges = Partial<Omit<NewUser, 'username'>>;

export interface UserQuery {
  /** Case-insensitive substring of username, display name, phone or email. */
  search?: string;
  status?: UserStatus;
  /** Exact username prefix, e.g. "10" for 1000-1099. */
  prefix?: string;
  /**
   * Only usernames after this one (in the listing's order): the next page of a listing read page by page
   * while users change, where an offset would skip or repeat one; its total counts the others as well.
   */
  after?: string;
  offset?: number;
  /** Default 50, at most 1000. */
  limit?: number;
}

export interface UserPage {
  users: User[];
  total: number;
  offset: number;
  limit: number;
}

export interface ImportResult {
  added: number;
  updated: number;
  /** What was accepted differently from how the file wrote it (e.g. a service type kept as given). */
  notes?: string[];
}

/** A failed store operation: which field (or import entry) was wrong and why. Nothing was changed. */
export class StoreError extends Error {
  constructor(
    readonly code: 'invalid' | 'exists' | 'not-found' | 'import' | 'changed',
    message: string,
    /** The field at fault (username, password, status...), when there is one. */
    readonly field?: string,
    /** For imports: the entry at fault (its key in users.json, or its CSV line number). */
    readonly entry?: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

export interface UserStore {
  get(username: string): User | undefined;
  /** The hot path of digest auth: one indexed lookup, no full-table work. */
  credentials(username: string): Credentials | undefined;
  /** Whether an account has this name (or is the user of user@realm), its secrets unread. */
  exists(username: string): boolean;
  list(query?: UserQuery): UserPage;
  count(): number;
  /** Throws StoreError('exists' | 'invalid'). */
  add(user: NewUser): User;
  /**
   * Throws StoreError('not-found' | 'invalid'). A new password re-derives the HA1 values. With
   * `ifUpdated` (the Updated time the change was based on), throws StoreError('changed') and changes
   * nothing when the user was updated since (update-time.ts): another operator's change is not
   * overwritten unseen.
   */
  update(username: string, changes: UserChanges, ifUpdated?: string): User;
  remove(username: string): boolean;
  /** The realm the HA1 values are computed for; changing it re-derives every user's HA1 values. */
  readonly realm: string;
  setRealm(realm: string): number;
  /**
   * Derives the HA1 values for a realm across turns of the event loop, for setRealm(realm) called right
   * after (in the turn the promise resolves) to write without deriving them itself.
   */
  prepareRealm(realm: string): Promise<void>;
  /**
   * Imports the original's data/users.json ({ "<username>": { password, display_name, ... } }).
   * All or nothing: a bad entry throws StoreError('import') naming the entry and field.
   * mode 'add' refuses existing usernames; 'upsert' updates them.
   */
  importOriginal(json: string, mode?: 'add' | 'upsert'): ImportResult;
  /**
   * The same, without stalling the event loop for a large file: the per-user work (sealing passwords,
   * HA1 values) is done in chunks between which other events run; the rows are then staged a chunk a
   * step and put into users by one transaction, in the store's worker while it runs
   * (users-import-write.ts). All or nothing as importOriginal.
   */
  importOriginalAsync(json: string, mode?: 'add' | 'upsert'): Promise<ImportResult>;
  /**
   * Every user as the original's data/users.json ({ "<username>": { password, display_name, ... } },
   * passwords in clear, indent 2, in username order), read and made in parts between which other events
   * run, handed to `into` (which writes them to a file as they come); IMP USER takes it back. Resolves
   * with what `into` answered and the users exported; rejects with the failure to read a user, if there
   * was one, else with into's.
   */
  exportOriginalAsync<T>(
    into: (parts: AsyncIterable<Uint8Array>) => Promise<T>,
  ): Promise<{ result: T; count: number }>;
  /**
   * Creates 1001/1001, 1002/1002, 1003/1003 on a database's first start when the table is empty (never
   * again, once every user was removed); returns how many were created.
   */
  seedDefaults(): number;
  /** A data folder's first start: no user yet, and the default users never created. */
  readonly isNew: boolean;
}

// Bindings are the registrar's type (core/sip/registrar/binding.ts); the store persists them as they are.
export type {
  Binding,
  BindingPersistence as BindingStore,
  BindingTransport as Transport,
} from '../sip/registrar/binding';
