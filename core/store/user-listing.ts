// Paging through subscribers (DSP USER and the users dashboard): SQL LIMIT/OFFSET over the primary key
// order (or after a username: a listing read page by page while users change), a filtered COUNT(*) for
// the total, never the whole table in memory. Each combination of
// filters has its own statement, prepared once, so every query is a plain indexed plan. The last pages
// read are kept until the users change (the users_version counter, bumped by any connection's write): a
// change makes every open console's Users view ask for the same page at once, and twenty of them reading
// a 1,000-user page each held SIP for half a second.
import type { Database, Statement } from 'better-sqlite3';
import { StoreError, USER_STATUSES } from './types';
import type { UserPage, UserQuery, UserStatus } from './types';
import { USER_COLUMNS, toUser } from './user-row';
import type { UserRow } from './user-row';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

/** A LIKE pattern matching `text` literally anywhere (with ESCAPE '\'). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Above every username that starts with a prefix: SQLite compares TEXT bytewise (BINARY collation), and
 * U+10FFFF encodes to the greatest UTF-8 sequence, so [prefix, prefix + U+10FFFF) is the prefix range and
 * the primary-key index serves it.
 */
const PREFIX_END = '\u{10FFFF}';

interface Params {
  search?: string;
  status?: string;
  prefix?: string;
  prefixEnd?: string;
  after?: string;
}

interface Shape {
  page: Statement<[Params & { limit: number; offset: number }], UserRow>;
  count: Statement<[Params], number>;
}

function where(search: boolean, status: boolean, prefix: boolean, after: boolean): string {
  const terms: string[] = [];
  // LIKE is case-insensitive for ASCII letters (SQLite's default; case_sensitive_like is never set).
  if (search) {
    terms.push(
      "(username LIKE @search ESCAPE '\\' OR display_name LIKE @search ESCAPE '\\' " +
        "OR phone LIKE @search ESCAPE '\\' OR email LIKE @search ESCAPE '\\')",
    );
  }
  if (status) terms.push('status = @status');
  if (prefix) terms.push('username >= @prefix AND username < @prefixEnd');
  if (after) terms.push('username > @after');
  return terms.length === 0 ? '' : `WHERE ${terms.join(' AND ')}`;
}

function integer(field: 'offset' | 'limit', value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new StoreError('invalid', `${field}: must be a whole number ≥ 0, got ${String(value)}`, field);
  }
  return value;
}

function text(field: 'search' | 'prefix' | 'after', value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new StoreError('invalid', `${field}: must be a string`, field);
  return value;
}

/** Pages kept while the users do not change (a 1,000-user page is about 200 KB of objects). */
const CACHED_PAGES = 8;

export class UserListing {
  readonly #shapes: Shape[] = [];
  readonly #version: Statement<[], number>;
  /** Pages read at #cachedAt's users_version, by their query, oldest first. */
  readonly #cache = new Map<string, UserPage>();
  #cachedAt = -1;

  constructor(db: Database) {
    this.#version = db.prepare<[], number>('SELECT n FROM users_version').pluck();
    for (let bits = 0; bits < 16; bits++) {
      const w = where((bits & 1) !== 0, (bits & 2) !== 0, (bits & 4) !== 0, (bits & 8) !== 0);
      this.#shapes.push({
        page: db.prepare(
          `SELECT ${USER_COLUMNS} FROM users ${w} ORDER BY username LIMIT @limit OFFSET @offset`,
        ),
        count: db.prepare<[Params], number>(`SELECT COUNT(*) FROM users ${w}`).pluck(),
      });
    }
  }

  list(query: UserQuery = {}): UserPage {
    const offset = integer('offset', query.offset, 0);
    const limit = Math.min(integer('limit', query.limit, DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE);
    const search = text('search', query.search);
    const prefix = text('prefix', query.prefix);
    const after = text('after', query.after);
    const status = query.status;
    if (status !== undefined && !USER_STATUSES.includes(status as UserStatus)) {
      throw new StoreError(
        'invalid',
        `status: must be one of ${USER_STATUSES.join(', ')}, got "${status}"`,
        'status',
      );
    }

    const params: Params = {};
    let bits = 0;
    if (search !== undefined) {
      params.search = containsPattern(search);
      bits |= 1;
    }
    if (status !== undefined) {
      params.status = status;
      bits |= 2;
    }
    if (prefix !== undefined) {
      params.prefix = prefix;
      params.prefixEnd = prefix + PREFIX_END;
      bits |= 4;
    }
    const key = JSON.stringify([bits, params, after, limit, offset]);
    const version = this.#version.get() ?? 0;
    if (version !== this.#cachedAt) {
      this.#cache.clear();
      this.#cachedAt = version;
    }
    const kept = this.#cache.get(key);
    // A copy of the page and its rows: a caller may change what it is given.
    if (kept !== undefined) return { ...kept, users: kept.users.map((u) => ({ ...u })) };
    // The total is the whole listing's, pages after a username included.
    const total = this.#shapes[bits]!.count.get(params) ?? 0;
    if (after !== undefined) bits |= 8;
    const shape = this.#shapes[bits]!;
    const paged = { ...params, ...(after === undefined ? {} : { after }), limit, offset };
    const users = limit === 0 ? [] : shape.page.all(paged).map(toUser);
    const page = { users, total, offset, limit };
    this.#cache.set(key, { ...page, users: users.map((u) => ({ ...u })) });
    if (this.#cache.size > CACHED_PAGES) this.#cache.delete(this.#cache.keys().next().value!);
    return page;
  }
}
