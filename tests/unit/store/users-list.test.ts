import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase } from '../../../core/store/database';
import type { Database } from '../../../core/store/database';
import { StoreError, USER_STATUSES } from '../../../core/store/types';
import type { UserQuery } from '../../../core/store/types';
import type { SqliteUserStore } from '../../../core/store/users';
import { openUsers } from './data-dir';

// One store of 2,500 users (imported in one transaction) shared by the read-only tests below.
const COUNT = 2500;
let users: SqliteUserStore;
let db: Database;
let dir: string;

function original(i: number): Record<string, unknown> {
  const name = String(i).padStart(4, '0');
  return {
    password: `pw${i}`,
    display_name: i % 10 === 0 ? `Alice ${name}` : `用户${name}`,
    phone: `138${name}`,
    email: i % 7 === 0 ? `user${name}@Example.COM` : '',
    status: USER_STATUSES[i % 3],
    service_type: 'BASIC',
  };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ims-lab-store-list-'));
  ({ users, db } = openUsers(dir));
  const file: Record<string, unknown> = {};
  for (let i = 0; i < COUNT; i++) file[`u${String(i).padStart(4, '0')}`] = original(i);
  // Literal % and _ in display names, with near-misses that a wildcard would also match.
  Object.assign(file, {
    pct: { password: 'x', display_name: 'rate 100% sure' },
    pctmiss: { password: 'x', display_name: 'rate 1000 sure' },
    under: { password: 'x', display_name: 'a_b' },
    undermiss: { password: 'x', display_name: 'axb' },
    slash: { password: 'x', display_name: 'back\\slash' },
  });
  expect(users.importOriginal(JSON.stringify(file))).toEqual({ added: COUNT + 5, updated: 0 });
});

afterAll(() => {
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

const names = (q: UserQuery): string[] => users.list(q).users.map((u) => u.username);

describe('SqliteUserStore.list', () => {
  it('pages after a username, with the filters and the whole listing as its total', () => {
    expect(names({ after: 'u0997', limit: 3 })).toEqual(['u0998', 'u0999', 'u1000']);
    const page = users.list({ status: 'SUSPENDED', prefix: 'u1', after: 'u1000', limit: 2 });
    expect(page.users.map((u) => u.username)).toEqual(['u1001', 'u1004']);
    expect(page.total).toBe(users.list({ status: 'SUSPENDED', prefix: 'u1' }).total);
    expect(names({ after: 'undermiss' })).toEqual([]);
  });

  it('pages through everyone in username order, with the total', () => {
    const seen: string[] = [];
    for (let offset = 0; ; offset += 1000) {
      const page = users.list({ offset, limit: 1000 });
      expect(page.total).toBe(COUNT + 5);
      expect([page.offset, page.limit]).toEqual([offset, 1000]);
      if (page.users.length === 0) break;
      seen.push(...page.users.map((u) => u.username));
    }
    expect(seen).toHaveLength(COUNT + 5);
    expect(seen).toEqual([...seen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('defaults to 50 per page and caps the limit at 1000', () => {
    const first = users.list();
    expect([first.users.length, first.offset, first.limit, first.total]).toEqual([50, 0, 50, COUNT + 5]);
    expect(first.users[0]?.username).toBe('pct');
    expect(users.list({ limit: 5000 }).limit).toBe(1000);
    expect(users.list({ limit: 5000 }).users).toHaveLength(1000);
    expect(users.list({ limit: 0 })).toEqual({ users: [], total: COUNT + 5, offset: 0, limit: 0 });
    expect(users.list({ offset: COUNT + 3, limit: 10 }).users).toHaveLength(2);
  });

  it('filters by username prefix, using the exact prefix', () => {
    const page = users.list({ prefix: 'u01', limit: 1000 });
    expect(page.total).toBe(100);
    expect(page.users[0]?.username).toBe('u0100');
    expect(page.users.at(-1)?.username).toBe('u0199');
    expect(users.list({ prefix: 'U01' }).total).toBe(0); // usernames are case-sensitive
    expect(users.list({ prefix: 'u2499' }).total).toBe(1);
    expect(users.list({ prefix: 'u%' }).total).toBe(0);
  });

  it('filters by status', () => {
    const totals = USER_STATUSES.map((status) => users.list({ status }).total);
    expect(totals).toEqual([834 + 5, 833, 833]); // the 5 extra users default to ACTIVE
    expect(users.list({ status: 'INACTIVE', limit: 3 }).users.map((u) => [u.username, u.status])).toEqual([
      ['u0001', 'INACTIVE'],
      ['u0004', 'INACTIVE'],
      ['u0007', 'INACTIVE'],
    ]);
  });

  it('searches username, display name, phone and email, ignoring case', () => {
    expect(users.list({ search: 'ALICE' }).total).toBe(250);
    expect(names({ search: 'alice 012' })).toEqual(['u0120']);
    expect(names({ search: '1380042' })).toEqual(['u0042']);
    expect(names({ search: 'user0014@example.com' })).toEqual(['u0014']);
    expect(names({ search: 'U2499' })).toEqual(['u2499']);
    expect(users.list({ search: '用户' }).total).toBe(COUNT - 250);
  });

  it('treats %, _ and \\ in a search literally', () => {
    expect(names({ search: '100%' })).toEqual(['pct']);
    expect(names({ search: '%' })).toEqual(['pct']);
    expect(names({ search: 'a_b' })).toEqual(['under']);
    expect(names({ search: '_' })).toEqual(['under']);
    expect(names({ search: 'k\\s' })).toEqual(['slash']);
  });

  it('combines filters', () => {
    const page = users.list({ search: 'alice', status: 'ACTIVE', prefix: 'u00', limit: 100 });
    // i in 0..99, i % 10 === 0 and i % 3 === 0: 0, 30, 60, 90
    expect(page.users.map((u) => u.username)).toEqual(['u0000', 'u0030', 'u0060', 'u0090']);
    expect(page.total).toBe(4);
  });

  it.each<[UserQuery, string]>([
    [{ offset: -1 }, 'offset'],
    [{ offset: 1.5 }, 'offset'],
    [{ limit: -5 }, 'limit'],
    [{ status: 'GONE' as never }, 'status'],
    [{ search: 5 as never }, 'search'],
  ])('refuses %j, naming %s', (query, field) => {
    let err: unknown;
    try {
      users.list(query);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).field).toBe(field);
  });
});
