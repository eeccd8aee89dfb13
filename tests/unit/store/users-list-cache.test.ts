// The users listing keeps the pages it read until the users change (user-listing.ts): every open
// console's Users view asks for the same page after each change, and twenty of them reading a 1,000-user
// page each held SIP for half a second. A change by this store, or by another connection to the same file
// (`users import` beside the server), is seen at the next read.
import { describe, expect, it, vi } from 'vitest';
import { open, openUsers, useDataDirs } from './data-dir';

useDataDirs();

function importUsers(n: number): string {
  const file: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) file[`${2000 + i}`] = { password: `pw${i}`, display_name: `User ${i}` };
  return JSON.stringify(file);
}

describe('users listing pages', () => {
  it('reads a page once while nothing changes, for any number of readers', () => {
    const { users, db } = openUsers();
    users.importOriginal(importUsers(1200));
    const probe = db.prepare('SELECT 1');
    const all = vi.spyOn(Object.getPrototypeOf(probe) as { all: () => unknown[] }, 'all');
    const first = users.list({ offset: 0, limit: 1000 });
    for (let i = 0; i < 19; i++) expect(users.list({ offset: 0, limit: 1000 })).toEqual(first);
    expect(all).toHaveBeenCalledTimes(1);
    // Another page, or another filter, is its own read.
    users.list({ offset: 1000, limit: 1000 });
    users.list({ offset: 0, limit: 1000, search: 'User 1' });
    expect(all).toHaveBeenCalledTimes(3);
    all.mockRestore();
  });

  it('reads afresh after a change by this store or by another connection', () => {
    const { users, db, dir } = openUsers();
    users.importOriginal(importUsers(3));
    expect(users.list().users.map((u) => u.displayName)).toEqual(['User 0', 'User 1', 'User 2']);
    users.update('2001', { displayName: 'Renamed' });
    expect(users.list().users.map((u) => u.displayName)).toEqual(['User 0', 'Renamed', 'User 2']);
    users.remove('2000');
    expect(users.list()).toMatchObject({ total: 2 });
    // A write by another process's connection (its triggers bump the same counter).
    const other = open(dir);
    other.prepare("UPDATE users SET display_name = 'Theirs' WHERE username = '2002'").run();
    expect(users.list().users.map((u) => u.displayName)).toEqual(['Renamed', 'Theirs']);
    expect(db.open).toBe(true);
  });

  it('gives each reader its own copy: changing one does not change the next', () => {
    const { users } = openUsers();
    users.importOriginal(importUsers(2));
    const page = users.list();
    page.users[0]!.displayName = 'changed by a caller';
    page.users.pop();
    expect(users.list().users.map((u) => u.displayName)).toEqual(['User 0', 'User 1']);
  });
});
