import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ha1Values } from '../../../core/sip/auth/ha1';
import { closeDatabase } from '../../../core/store/database';
import { PasswordCipher, SECRET_KEY_FILE, SecretError } from '../../../core/store/secret';
import { StoreError } from '../../../core/store/types';
import { SqliteUserStore } from '../../../core/store/users';
import { makeDataDir, open, openUsers, snapshot, useDataDirs } from './data-dir';

useDataDirs();

const expected = ha1Values;

describe('SqliteUserStore: realm', () => {
  it('uses the realm option for a fresh data dir', () => {
    const { users } = openUsers(undefined, { realm: 'first.realm' });
    expect(users.realm).toBe('first.realm');
    expect(users.startup).toEqual({ realm: 'first.realm', persisted: undefined, rederived: 0 });
  });

  it('re-derives every HA1 on setRealm, and the realm survives a restart', () => {
    const dir = makeDataDir();
    const { users, db } = openUsers(dir, { realm: 'sip.local' });
    users.add({ username: '1001', password: 'one' });
    users.add({ username: '1002', password: 'two' });
    expect(users.setRealm('lab.example')).toBe(2);
    expect(users.realm).toBe('lab.example');
    expect(users.credentials('1001')).toMatchObject({
      realm: 'lab.example',
      ha1: expected('1001', 'lab.example', 'one'),
    });
    expect(users.credentials('1002')?.ha1).toEqual(expected('1002', 'lab.example', 'two'));
    expect(users.setRealm('lab.example')).toBe(0);
    closeDatabase(db);

    // Same data dir, the same default realm option: the persisted realm wins.
    const again = new SqliteUserStore(open(dir), dir, { realm: 'sip.local' });
    expect(again.realm).toBe('lab.example');
    expect(again.startup).toEqual({ realm: 'lab.example', persisted: 'lab.example', rederived: 0 });
    expect(again.credentials('1002')?.ha1).toEqual(expected('1002', 'lab.example', 'two'));
  });

  it('re-derives at start when another realm is configured, and says so', () => {
    const dir = makeDataDir();
    const { users, db } = openUsers(dir, { realm: 'sip.local' });
    users.seedDefaults();
    closeDatabase(db);

    const moved = new SqliteUserStore(open(dir), dir, { realm: 'sip.local', configuredRealm: 'new.realm' });
    expect(moved.startup).toEqual({ realm: 'new.realm', persisted: 'sip.local', rederived: 3 });
    expect(moved.credentials('1003')).toMatchObject({
      realm: 'new.realm',
      ha1: expected('1003', 'new.realm', '1003'),
    });

    const same = new SqliteUserStore(open(dir), dir, { realm: 'sip.local', configuredRealm: 'new.realm' });
    expect(same.startup.rederived).toBe(0);
  });

  it('a configured realm wins over the persisted one an unsaved change left, and back again', () => {
    const dir = makeDataDir();
    const { users, db } = openUsers(dir, { realm: 'ims.lab', configuredRealm: 'ims.lab' });
    users.seedDefaults();
    users.setRealm('realm3.test'); // SET CFG without SAVE CFG
    closeDatabase(db);

    const back = new SqliteUserStore(open(dir), dir, { realm: 'ims.lab', configuredRealm: 'ims.lab' });
    expect(back.startup).toEqual({ realm: 'ims.lab', persisted: 'realm3.test', rederived: 3 });
    expect(back.credentials('1001')).toMatchObject({
      realm: 'ims.lab',
      ha1: expected('1001', 'ims.lab', '1001'),
    });
  });

  it('re-derives at start the rows whose HA1 values are for another realm than the one in force', () => {
    const dir = makeDataDir();
    const { users, db } = openUsers(dir, { realm: 'ims.lab' });
    users.seedDefaults();
    const old = expected('1002', 'old.realm', '1002');
    db.prepare(
      "UPDATE users SET ha1_md5 = ?, ha1_sha256 = ?, ha1_realm = 'old.realm' WHERE username = '1002'",
    ).run(old.MD5, old['SHA-256']);
    closeDatabase(db);

    const again = new SqliteUserStore(open(dir), dir, { realm: 'ims.lab', configuredRealm: 'ims.lab' });
    expect(again.startup).toEqual({ realm: 'ims.lab', persisted: 'ims.lab', rederived: 1 });
    expect(again.credentials('1002')).toMatchObject({
      realm: 'ims.lab',
      ha1: expected('1002', 'ims.lab', '1002'),
    });
    const plain = new SqliteUserStore(open(dir), dir, { realm: 'ims.lab' });
    expect(plain.startup.rederived).toBe(0);
  });

  it('prepareRealm derives across turns what setRealm then writes, users changed meanwhile derived again', async () => {
    const { users } = openUsers();
    const list = Array.from({ length: 500 }, (_, i) => ({
      username: String(100000 + i),
      password: `pw${i}`,
    }));
    users.importOriginal(JSON.stringify(list));
    const preparing = users.prepareRealm('r2');
    await new Promise((resolve) => setImmediate(resolve)); // the first users are prepared, the last not yet
    users.update('100000', { password: 'first-changed' });
    users.update('100499', { password: 'last-changed' });
    users.remove('100001');
    users.add({ username: '099999', password: 'late' });
    await preparing;
    expect(users.realm).toBe('sip.local');

    // Only the passwords of the users prepared before they changed, or added behind it, are opened again.
    const open = vi.spyOn(PasswordCipher.prototype, 'open');
    expect(users.setRealm('r2')).toBe(500);
    expect(open.mock.calls.map(([, username]) => username).sort()).toEqual(['099999', '100000']);
    open.mockRestore();
    const passwords = new Map(list.map((u) => [u.username, u.password]));
    passwords.set('100000', 'first-changed').set('100499', 'last-changed').set('099999', 'late');
    passwords.delete('100001');
    const wrong = [...passwords].filter(
      ([name, pw]) => users.credentials(name)?.ha1.MD5 !== expected(name, 'r2', pw).MD5,
    );
    expect(wrong).toEqual([]);
  });

  it('prepareRealm refuses what setRealm refuses, and changes nothing', async () => {
    const { users, db } = openUsers();
    users.seedDefaults();
    await expect(users.prepareRealm('a"b')).rejects.toThrow(StoreError);
    db.prepare("UPDATE users SET password_enc = ? WHERE username = '1003'").run(
      new PasswordCipher(Buffer.alloc(32, 1)).seal('1003', '1003'),
    );
    const before = snapshot(db);
    await expect(users.prepareRealm('other')).rejects.toThrow(SecretError);
    expect(snapshot(db)).toEqual(before);
    expect(users.realm).toBe('sip.local');
  });

  it('new users get HA1 values for the current realm', () => {
    const { users } = openUsers();
    users.setRealm('r2');
    users.add({ username: '1001', password: 'pw' });
    expect(users.credentials('1001')).toMatchObject({ realm: 'r2', ha1: expected('1001', 'r2', 'pw') });
  });

  it('a private identity user@realm has the HA1 over the whole username, for its user, and follows a new password and realm', () => {
    const { users } = openUsers(undefined, { realm: 'ims.lab' });
    users.add({ username: '1001', password: 'pw' });
    expect(users.credentials('1001@ims.lab')).toEqual({
      username: '1001',
      status: 'ACTIVE',
      realm: 'ims.lab',
      ha1: expected('1001@ims.lab', 'ims.lab', 'pw'),
    });
    users.update('1001', { password: 'new', status: 'SUSPENDED' });
    expect(users.credentials('1001@ims.lab')).toMatchObject({
      status: 'SUSPENDED',
      ha1: expected('1001@ims.lab', 'ims.lab', 'new'),
    });
    users.setRealm('r2');
    expect(users.credentials('1001@other.example')?.ha1).toEqual(expected('1001@other.example', 'r2', 'new'));
    for (const name of ['9999@ims.lab', '@ims.lab', '1001@', '@'])
      expect(users.credentials(name), name).toBeUndefined();
  });

  it.each(['', 'a"b', 'a\\b', 'tab\there', 'x'.repeat(129)])('refuses the realm %j', (realm) => {
    const { users } = openUsers();
    const err = (() => {
      try {
        users.setRealm(realm);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).field).toBe('realm');
    expect(users.realm).toBe('sip.local');
    expect(() => new SqliteUserStore(open(makeDataDir()), Buffer.alloc(32), { realm })).toThrow(/realm/);
  });

  it('refuses to open with a secret.key that does not decrypt the stored passwords (replaced), naming it', () => {
    const dir = makeDataDir();
    const { users, db } = openUsers(dir);
    users.seedDefaults();
    const before = snapshot(db);
    closeDatabase(db);
    writeFileSync(join(dir, SECRET_KEY_FILE), Buffer.alloc(32, 1));

    const reopened = open(dir);
    expect(() => new SqliteUserStore(reopened, dir, { realm: 'sip.local' })).toThrow(
      new RegExp(`^${join(dir, SECRET_KEY_FILE)} does not decrypt`),
    );
    expect(snapshot(reopened)).toEqual(before);
  });

  it('changes nothing when one password cannot be decrypted (a row sealed under another key)', () => {
    const dir = makeDataDir();
    const { users, db } = openUsers(dir);
    users.seedDefaults();
    const last = db.prepare('SELECT MAX(username) FROM users').pluck().get() as string;
    const foreign = new PasswordCipher(Buffer.alloc(32, 1)).seal('1234', last);
    db.prepare('UPDATE users SET password_enc = ? WHERE username = ?').run(foreign, last);
    const before = snapshot(db);

    expect(() => users.setRealm('other')).toThrow(SecretError);
    expect(users.realm).toBe('sip.local');
    expect(snapshot(db)).toEqual(before);
    expect(db.prepare("SELECT value FROM settings WHERE key = 'users.realm'").pluck().get()).toBe(
      'sip.local',
    );
  });
});
