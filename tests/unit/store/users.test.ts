import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ha1 } from '../../../core/sip/auth/ha1';
import { closeDatabase } from '../../../core/store/database';
import { StoreError } from '../../../core/store/types';
import type { NewUser, UserChanges } from '../../../core/store/types';
import { openUsers, snapshot, useDataDirs } from './data-dir';

useDataDirs();

const ISO_WITH_OFFSET = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/;

function storeError(fn: () => unknown): StoreError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StoreError) return err;
    throw err;
  }
  throw new Error('expected a StoreError');
}

describe('SqliteUserStore: add, get, update, remove', () => {
  it('adds a user with the defaults and reads it back', () => {
    const { users } = openUsers();
    const added = users.add({ username: '1001', password: '1001' });
    expect(added).toEqual({
      username: '1001',
      displayName: '用户1001',
      phone: '',
      email: '',
      status: 'ACTIVE',
      serviceType: 'BASIC',
      createTime: expect.stringMatching(ISO_WITH_OFFSET),
      updateTime: added.createTime,
    });
    expect(users.get('1001')).toEqual(added);
    expect(users.get('1002')).toBeUndefined();
    expect(users.count()).toBe(1);
    expect(Object.keys(added)).not.toContain('password');
  });

  it('keeps every given field', () => {
    const { users } = openUsers();
    const user: NewUser = {
      username: 'alice.smith+lab_1-a',
      password: 'p',
      displayName: 'Alice 测试',
      phone: '+86 (10) 1234-5678*#',
      email: 'alice@example.com',
      status: 'SUSPENDED',
      serviceType: 'ENTERPRISE',
    };
    const added = users.add(user);
    const { password: _password, ...visible } = user;
    expect(added).toMatchObject(visible);
    expect(users.get(user.username)).toEqual(added);
  });

  it('refuses a duplicate username', () => {
    const { users, db } = openUsers();
    users.add({ username: '1001', password: 'a' });
    const before = snapshot(db);
    const err = storeError(() => users.add({ username: '1001', password: 'b' }));
    expect(err.code).toBe('exists');
    expect(err.field).toBe('username');
    expect(err.message).toMatch(/1001 already exists/);
    expect(snapshot(db)).toEqual(before);
  });

  const tooLong = (n: number): string => 'x'.repeat(n);
  it.each<[string, Partial<NewUser>, string, RegExp]>([
    ['empty username', { username: '' }, 'username', /1\.\.64 characters/],
    ['65-char username', { username: tooLong(65) }, 'username', /1\.\.64/],
    ['username with @', { username: 'a@b' }, 'username', /A-Z a-z 0-9/],
    ['username with space', { username: 'a b' }, 'username', /A-Z/],
    ['username with non-ASCII', { username: '用户' }, 'username', /A-Z/],
    ['empty password', { password: '' }, 'password', /1\.\.128/],
    ['129-char password', { password: tooLong(129) }, 'password', /1\.\.128/],
    ['bad status', { status: 'banana' as never }, 'status', /ACTIVE, INACTIVE, SUSPENDED, got "banana"/],
    ['lower-case status', { status: 'active' as never }, 'status', /one of/],
    ['bad service type', { serviceType: 'GOLD' as never }, 'serviceType', /BASIC, PREMIUM, VIP, ENTERPRISE/],
    ['bad email', { email: 'not-an-address' }, 'email', /name@example\.com/],
    ['email with space', { email: 'a b@example.com' }, 'email', /email/],
    ['bad phone', { phone: '12a34' }, 'phone', /0-9/],
    ['33-char phone', { phone: '1'.repeat(33) }, 'phone', /1\.\.32/],
    ['129-char display name', { displayName: tooLong(129) }, 'displayName', /at most 128/],
    ['display name with a newline', { displayName: 'a\nb' }, 'displayName', /control/],
    ['non-string phone', { phone: 12345 as never }, 'phone', /must be a string/],
  ])('refuses a %s, naming the field', (_what, fields, field, message) => {
    const { users, db } = openUsers();
    const err = storeError(() => users.add({ username: '1001', password: 'pw', ...fields }));
    expect(err.code).toBe('invalid');
    expect(err.field).toBe(field);
    expect(err.message).toMatch(new RegExp(`^${field}: `));
    expect(err.message).toMatch(message);
    expect(snapshot(db)).toEqual([]);
  });

  it('accepts the edges of each rule', () => {
    const { users } = openUsers();
    users.add({ username: 'a'.repeat(64), password: '密'.repeat(128), displayName: '名'.repeat(128) });
    users.add({ username: 'b', password: 'x', phone: '9'.repeat(32), email: 'root@localhost' });
    users.add({ username: 'c', password: 'x', displayName: '' });
    expect(users.count()).toBe(3);
    expect(users.get('c')?.displayName).toBe('');
  });

  it('never echoes a refused password', () => {
    const { users } = openUsers();
    const err = storeError(() => users.add({ username: '1001', password: 'Sup3r-Secret'.repeat(20) }));
    expect(err.message).not.toContain('Sup3r');
  });

  it('updates the given fields only and stamps update_time', async () => {
    const { users } = openUsers();
    const added = users.add({ username: '1001', password: 'pw', phone: '123' });
    await new Promise((r) => setTimeout(r, 5));
    const updated = users.update('1001', { displayName: '新名字', status: 'INACTIVE', serviceType: 'VIP' });
    expect(updated).toEqual({
      ...added,
      displayName: '新名字',
      status: 'INACTIVE',
      serviceType: 'VIP',
      updateTime: expect.stringMatching(ISO_WITH_OFFSET),
    });
    expect(updated.updateTime).not.toBe(added.updateTime);
    expect(updated.createTime).toBe(added.createTime);
    expect(users.get('1001')).toEqual(updated);
    expect(users.update('1001', { phone: '' }).phone).toBe('');
  });

  it('leaves a user untouched when no change is given', () => {
    const { users } = openUsers();
    const added = users.add({ username: '1001', password: 'pw' });
    expect(users.update('1001', {})).toEqual(added);
    expect(users.update('1001', { email: undefined })).toEqual(added);
  });

  it.each<[UserChanges, string]>([
    [{ password: '' }, 'password'],
    [{ status: 'DELETED' as never }, 'status'],
    [{ serviceType: 'basic' as never }, 'serviceType'],
    [{ email: '@' }, 'email'],
    [{ phone: 'x' }, 'phone'],
    [{ displayName: 'y'.repeat(200) }, 'displayName'],
  ])('refuses an update %j, naming %s and changing nothing', (changes, field) => {
    const { users, db } = openUsers();
    users.add({ username: '1001', password: 'pw' });
    const before = snapshot(db);
    const err = storeError(() => users.update('1001', changes));
    expect([err.code, err.field]).toEqual(['invalid', field]);
    expect(snapshot(db)).toEqual(before);
  });

  it('reports an update of a missing user', () => {
    const { users } = openUsers();
    const err = storeError(() => users.update('9999', { phone: '1' }));
    expect([err.code, err.field]).toEqual(['not-found', 'username']);
    expect(err.message).toMatch(/9999 does not exist/);
  });

  it('removes a user once', () => {
    const { users } = openUsers();
    users.add({ username: '1001', password: 'pw' });
    expect(users.remove('1001')).toBe(true);
    expect(users.remove('1001')).toBe(false);
    expect(users.get('1001')).toBeUndefined();
    expect(users.credentials('1001')).toBeUndefined();
    expect(users.count()).toBe(0);
  });
});

describe('SqliteUserStore: credentials', () => {
  it('gives the HA1 values for both algorithms and the realm', () => {
    const { users } = openUsers(undefined, { realm: 'ims.lab' });
    users.add({ username: '1001', password: 'pa:ss 密码', status: 'INACTIVE' });
    expect(users.credentials('1001')).toEqual({
      username: '1001',
      status: 'INACTIVE',
      realm: 'ims.lab',
      ha1: {
        MD5: ha1('MD5', '1001', 'ims.lab', 'pa:ss 密码'),
        'SHA-256': ha1('SHA-256', '1001', 'ims.lab', 'pa:ss 密码'),
      },
    });
    expect(users.credentials('nobody')).toBeUndefined();
  });

  it('changes them when the password changes, and only then', () => {
    const { users } = openUsers();
    users.add({ username: '1001', password: 'old' });
    const before = users.credentials('1001');
    users.update('1001', { phone: '5' });
    expect(users.credentials('1001')).toEqual(before);
    users.update('1001', { password: 'new' });
    expect(users.credentials('1001')?.ha1).toEqual({
      MD5: ha1('MD5', '1001', 'sip.local', 'new'),
      'SHA-256': ha1('SHA-256', '1001', 'sip.local', 'new'),
    });
  });

  it("keeps them in memory, and sees another process's change within a second (users_version)", () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const { users, dir } = openUsers();
      users.add({ username: '1001', password: 'old' });
      expect(users.credentials('1001')?.ha1.MD5).toBe(ha1('MD5', '1001', 'sip.local', 'old'));
      expect(users.credentials('1002')).toBeUndefined(); // not there yet: remembered as absent
      // A second connection to the same file, as `users import` beside a running server.
      const other = openUsers(dir).users;
      other.update('1001', { password: 'new' });
      other.add({ username: '1002', password: 'two' });
      expect(users.credentials('1001')?.ha1.MD5).toBe(ha1('MD5', '1001', 'sip.local', 'old')); // cached
      expect(users.credentials('1002')).toBeUndefined();
      vi.advanceTimersByTime(1000);
      expect(users.credentials('1001')?.ha1.MD5).toBe(ha1('MD5', '1001', 'sip.local', 'new'));
      expect(users.credentials('1002')?.ha1.MD5).toBe(ha1('MD5', '1002', 'sip.local', 'two'));
      // This store's own change is seen at once.
      users.remove('1002');
      expect(users.credentials('1002')).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it("keeps them across other connections' commits to other tables (the store worker's CDR rows)", () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const { users, dir } = openUsers();
      users.add({ username: '1001', password: 'old' });
      const cached = users.credentials('1001');
      const other = openUsers(dir).db;
      const write = other.prepare(
        "INSERT INTO settings (key, value) VALUES ('x', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      );
      for (let i = 0; i < 3; i++) {
        write.run(String(i));
        vi.advanceTimersByTime(1000);
        expect(users.credentials('1001')).toBe(cached); // the same object: not read again
      }
      other.prepare("UPDATE users SET phone = '5' WHERE username = '1001'").run();
      vi.advanceTimersByTime(1000);
      expect(users.credentials('1001')).not.toBe(cached); // a change to users: read again
    } finally {
      vi.useRealTimers();
    }
  });

  it('never writes a password in clear', () => {
    const { users, db, dir } = openUsers();
    const password = 'Zebra-Quartz-7731-unmistakable';
    users.add({ username: '1001', password });
    users.add({ username: '1002', password: 'other' });
    users.update('1002', { password });
    closeDatabase(db);
    const needles = [Buffer.from(password, 'utf8'), Buffer.from(password, 'utf16le')];
    const files = readdirSync(dir);
    expect(files).toContain('ims-lab.db');
    for (const file of files) {
      const bytes = readFileSync(join(dir, file));
      for (const needle of needles) expect(bytes.includes(needle), `${file} holds the password`).toBe(false);
    }
  });
});

describe('SqliteUserStore: seedDefaults', () => {
  it('creates 1001..1003 once, only in an empty table', () => {
    const { users } = openUsers();
    expect(users.seedDefaults()).toBe(3);
    expect(users.seedDefaults()).toBe(0);
    expect(users.list().users.map((u) => [u.username, u.displayName, u.status, u.serviceType])).toEqual([
      ['1001', '用户1001', 'ACTIVE', 'BASIC'],
      ['1002', '用户1002', 'ACTIVE', 'BASIC'],
      ['1003', '用户1003', 'ACTIVE', 'BASIC'],
    ]);
    expect(users.credentials('1002')?.ha1.MD5).toBe(ha1('MD5', '1002', 'sip.local', '1002'));
  });

  it('creates them once per database: removed, they do not come back at the next start', () => {
    const { users } = openUsers();
    expect(users.seedDefaults()).toBe(3);
    for (const u of ['1001', '1002', '1003']) users.remove(u);
    expect(users.count()).toBe(0);
    expect(users.seedDefaults()).toBe(0);
    expect(users.count()).toBe(0);
  });

  it('creates nothing when any user exists', () => {
    const { users } = openUsers();
    users.add({ username: 'x', password: 'y' });
    expect(users.seedDefaults()).toBe(0);
    expect(users.count()).toBe(1);
  });
});

describe('SqliteUserStore.credentials: the copy kept for auth', () => {
  it('follows every change made through the store at once', () => {
    const { users } = openUsers();
    users.add({ username: '3001', password: 'old' });
    expect(users.credentials('3001')?.ha1.MD5).toBe(ha1('MD5', '3001', 'sip.local', 'old'));
    users.update('3001', { password: 'new', status: 'SUSPENDED' });
    expect(users.credentials('3001')).toMatchObject({
      status: 'SUSPENDED',
      ha1: { MD5: ha1('MD5', '3001', 'sip.local', 'new') },
    });
    users.setRealm('lab.example');
    expect(users.credentials('3001')?.ha1.MD5).toBe(ha1('MD5', '3001', 'lab.example', 'new'));
    users.remove('3001');
    expect(users.credentials('3001')).toBeUndefined();
    users.importOriginal(JSON.stringify({ '3001': { password: 'again' } }));
    expect(users.credentials('3001')?.ha1.MD5).toBe(ha1('MD5', '3001', 'lab.example', 'again'));
  });
});

describe('SqliteUserStore.exists: what a target lookup asks', () => {
  it('knows an account by its name or user@realm without opening its password', () => {
    const { db, users } = openUsers();
    users.add({ username: '3001', password: 'pw' });
    // A password no key opens: reading it would throw, so exists() cannot have read it.
    db.prepare("UPDATE users SET password_enc = 'x' WHERE username = '3001'").run();
    expect(() => users.credentials('3001@a.example')).toThrow();
    expect([users.exists('3001'), users.exists('3001@b.example'), users.exists('3099@b.example')]).toEqual([
      true,
      true,
      false,
    ]);
    expect([users.exists('@b.example'), users.exists('3001@')]).toEqual([false, false]);
  });
});
