import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ha1 } from '../../../core/sip/auth/ha1';
import { localIsoTime } from '../../../core/store/local-time';
import { StoreError } from '../../../core/store/types';
import type { SqliteUserStore } from '../../../core/store/users';
import { openUsers, snapshot, useDataDirs } from './data-dir';

useDataDirs();

/** A users.json like the original's seed (reference §4.1): 1001..1009 with password 1234, plus 0000. */
const FIXTURE = readFileSync(join(__dirname, 'fixtures', 'original-users.json'), 'utf8');
type Entries = Record<string, Record<string, unknown>>;
const fixture = (): Entries => JSON.parse(FIXTURE) as Entries;

/** EXP USER's text: the parts the export hands over, joined. */
function exportText(users: SqliteUserStore): Promise<{ result: string; count: number }> {
  return users.exportOriginalAsync(async (parts) => {
    const all: Uint8Array[] = [];
    for await (const part of parts) all.push(part);
    return Buffer.concat(all).toString('utf8');
  });
}

function importError(fn: () => unknown): StoreError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StoreError) return err;
    throw err;
  }
  throw new Error('expected a StoreError');
}

describe("SqliteUserStore.importOriginal: the original's users.json", () => {
  it('imports every entry with its fields and times', () => {
    const { users } = openUsers();
    expect(users.importOriginal(FIXTURE)).toEqual({ added: 10, updated: 0 });
    expect(users.count()).toBe(10);
    expect(users.get('1001')).toEqual({
      username: '1001',
      displayName: '测试用户1001',
      phone: '13800138001',
      email: 'user1001@example.com',
      status: 'ACTIVE',
      serviceType: 'BASIC',
      // Zone-less local times in the original, now with the local offset.
      createTime: localIsoTime(new Date(2025, 9, 21, 11, 23, 45, 123)),
      updateTime: localIsoTime(new Date(2025, 9, 27, 14, 23, 45)),
    });
    expect(users.get('1002')?.serviceType).toBe('PREMIUM');
    expect(users.get('1003')?.serviceType).toBe('VIP');
    expect(users.get('0000')?.displayName).toBe('外呼账号');
    for (const name of ['1001', '1005', '1009']) {
      expect(users.credentials(name)?.ha1.MD5).toBe(ha1('MD5', name, 'sip.local', '1234'));
    }
    expect(users.credentials('0000')?.ha1['SHA-256']).toBe(ha1('SHA-256', '0000', 'sip.local', '0000'));
  });

  it('fills absent optional fields with the defaults', () => {
    const { users } = openUsers();
    const before = localIsoTime(new Date(Date.now() - 1000));
    users.importOriginal(
      JSON.stringify({ '2001': { password: 'x' }, '2002': { password: 'y', display_name: null } }),
    );
    expect(users.get('2001')).toMatchObject({
      displayName: '用户2001',
      status: 'ACTIVE',
      serviceType: 'BASIC',
      phone: '',
    });
    expect(users.get('2002')?.displayName).toBe('用户2002');
    expect(Date.parse(users.get('2001')!.createTime)).toBeGreaterThanOrEqual(Date.parse(before));
  });

  it('takes a numeric password as its decimal text, as the original formatted it into the digest', () => {
    const { users } = openUsers();
    const text = '{"1009": {"password": 1234, "phone": 13800001234}, "1010": {"password": 0}}';
    expect(users.importOriginal(text).added).toBe(2);
    expect(users.credentials('1009')?.ha1.MD5).toBe(ha1('MD5', '1009', 'sip.local', '1234'));
    expect(users.credentials('1010')?.ha1.MD5).toBe(ha1('MD5', '1010', 'sip.local', '0'));
    expect(users.get('1009')?.phone).toBe('13800001234');
    // A number whose text may not be the file's (20 digits, a fraction, a sign) is named, not guessed.
    for (const n of ['12345678901234567890', '1.5', '-1']) {
      expect(importError(() => users.importOriginal(`{"2001": {"password": ${n}}}`)).message).toBe(
        'users.json: 1 bad entry:\nline 1, entry "2001", password: must be a string (a number is taken only as a whole number of up to 15 digits): quote it',
      );
    }
  });

  it('accepts a byte-order mark', () => {
    const { users } = openUsers();
    expect(users.importOriginal('\uFEFF{"1001": {"password": "1234"}}').added).toBe(1);
  });

  it('updates existing users in upsert mode, keeping what the entry does not say', () => {
    const { users } = openUsers();
    users.add({ username: '1001', password: 'old', phone: '555', email: 'keep@example.com' });
    const created = users.get('1001')!.createTime;
    const json = JSON.stringify({
      '1001': { password: 'new', display_name: '新的', status: 'SUSPENDED' },
      '1010': { password: 'ten' },
    });
    expect(users.importOriginal(json, 'upsert')).toEqual({ added: 1, updated: 1 });
    expect(users.get('1001')).toMatchObject({
      displayName: '新的',
      status: 'SUSPENDED',
      phone: '555',
      email: 'keep@example.com',
      createTime: created,
    });
    expect(users.credentials('1001')?.ha1.MD5).toBe(ha1('MD5', '1001', 'sip.local', 'new'));
    expect(users.get('1010')).toBeDefined();

    expect(users.importOriginal(FIXTURE, 'upsert')).toEqual({ added: 9, updated: 1 });
    expect(users.get('1001')?.createTime).toBe(localIsoTime(new Date(2025, 9, 21, 11, 23, 45, 123)));
  });

  it('refuses an unknown mode', () => {
    const { users } = openUsers();
    expect(importError(() => users.importOriginal(FIXTURE, 'merge' as never)).field).toBe('mode');
  });
});

describe('SqliteUserStore.importOriginal: all or nothing', () => {
  const cases: [string, (e: Entries) => string, string | undefined, string | undefined, RegExp][] = [
    ['malformed JSON', () => FIXTURE.slice(0, 200), undefined, undefined, /not valid JSON/],
    ['a bare string', () => '"users"', undefined, undefined, /JSON object keyed by username/],
    ['a list entry without password', () => '[{"username": "1001"}]', '1001', 'password', /is missing/],
    [
      'a username that differs from its key',
      (e) => {
        e['1007']!.username = '1008';
        return JSON.stringify(e);
      },
      '1007',
      'username',
      /is "1008" but the entry's key is "1007"/,
    ],
    [
      'a missing password',
      (e) => {
        delete e['1004']!.password;
        return JSON.stringify(e);
      },
      '1004',
      'password',
      /is missing/,
    ],
    [
      'a password neither text nor a whole number',
      (e) => {
        e['1004']!.password = true;
        return JSON.stringify(e);
      },
      '1004',
      'password',
      /must be a string/,
    ],
    [
      'a bad create_time',
      (e) => {
        e['1006']!.create_time = 'yesterday';
        return JSON.stringify(e);
      },
      '1006',
      'create_time',
      /ISO 8601/,
    ],
    [
      'an invalid username key',
      (e) => {
        e['bad user'] = { password: 'x' };
        return JSON.stringify(e);
      },
      'bad user',
      'username',
      /A-Z a-z 0-9/,
    ],
    [
      'an entry that is not an object',
      (e) => {
        (e as Record<string, unknown>)['1011'] = 'password';
        return JSON.stringify(e);
      },
      '1011',
      undefined,
      /must be an object/,
    ],
  ];

  it.each(cases)(
    'refuses %s, naming entry and field, changing nothing',
    (_what, make, entry, field, message) => {
      const { users, db } = openUsers();
      users.add({ username: '2000', password: 'kept' });
      const before = snapshot(db);
      const err = importError(() => users.importOriginal(make(fixture())));
      expect(err.code).toBe('import');
      expect(err.entry).toBe(entry);
      expect(err.field).toBe(field);
      expect(err.message).toMatch(message);
      expect(snapshot(db)).toEqual(before);
    },
  );

  it('lists every bad entry with its line, and imports none', () => {
    const { users, db } = openUsers();
    const before = snapshot(db);
    const text = [
      '{',
      '  "1001": { "password": "1234" },',
      '  "1002": { "password": true },',
      '  "1003": { "password": "1234",',
      '            "create_time": "yesterday" },',
      '  "1004": "1234"',
      '}',
    ].join('\n');
    const err = importError(() => users.importOriginal(text));
    expect(err.message.split('\n')).toEqual([
      'users.json: 3 bad entries:',
      'line 3, entry "1002", password: must be a string',
      'line 4, entry "1003", create_time: must be an ISO 8601 date-time like 2025-10-27T14:23:45, got "yesterday"',
      'line 6, entry "1004": must be an object of user fields, got text (4 characters)',
    ]);
    expect([err.entry, err.field]).toEqual(['1002', 'password']);
    expect(snapshot(db)).toEqual(before);
  });

  it('names the right line when names and numbers are mixed (JSON.parse puts integer-like keys first)', () => {
    const { users } = openUsers();
    const text = [
      '{',
      '  "alice": { "password": "a1" },',
      '  "bob": { "password": false },',
      '  "1001": { "password": [1234] },',
      '  "0007": { "password": {} },',
      '  "1001": { "password": true }',
      '}',
    ].join('\n');
    expect(importError(() => users.importOriginal(text)).message.split('\n')).toEqual([
      'users.json: 3 bad entries:',
      'line 3, entry "bob", password: must be a string',
      'line 5, entry "0007", password: must be a string',
      // A duplicate key: JSON.parse keeps the last one, and so does the line.
      'line 6, entry "1001", password: must be a string',
    ]);
  });

  it('takes the values the original let through: a free service type, any status (as INACTIVE), extra fields', () => {
    const { users } = openUsers();
    const e = fixture();
    e['1005']!.status = 'banana';
    e['1009']!.service_type = 'GOLD';
    e['1002']!.stauts = 'ACTIVE';
    const r = users.importOriginal(JSON.stringify(e));
    expect(r.added).toBe(10);
    expect(r.notes).toEqual([
      'service types IMS Lab does not define, kept as given: "GOLD"',
      'statuses other than ACTIVE, INACTIVE, SUSPENDED imported as INACTIVE (the original let only ACTIVE register): "banana"',
      'fields ignored: "stauts"',
    ]);
    expect(users.get('1009')!.serviceType).toBe('GOLD');
    expect(users.get('1005')!.status).toBe('INACTIVE');
  });

  it('takes an empty service_type as none given (BASIC; an existing user keeps theirs), counted in a note', () => {
    const { users } = openUsers();
    users.add({ username: '1003', password: 'mine', serviceType: 'VIP' });
    const e = fixture();
    for (const name of ['1001', '1002', '1003']) e[name]!.service_type = '';
    delete e['1004'];
    const r = users.importOriginal(JSON.stringify(e), 'upsert');
    expect(r).toMatchObject({ added: 8, updated: 1 });
    expect(r.notes).toEqual([
      "service_type empty, taken as not given (BASIC for a new user, an existing one's kept): 3 entries",
    ]);
    expect(users.get('1001')!.serviceType).toBe('BASIC');
    expect(users.get('1003')!.serviceType).toBe('VIP');
  });

  it('refuses a username that exists in add mode, after writing others, and rolls them back', () => {
    const { users, db } = openUsers();
    users.add({ username: '1008', password: 'mine', displayName: 'already here' });
    const before = snapshot(db);
    const err = importError(() => users.importOriginal(FIXTURE));
    expect([err.code, err.entry, err.field]).toEqual(['import', '1008', 'username']);
    expect(err.message).toMatch(/1008 already exists \(import in upsert mode/);
    expect(snapshot(db)).toEqual(before);
    expect(users.count()).toBe(1);
  });

  it('refuses a second add-mode import of the same file', () => {
    const { users, db } = openUsers();
    users.importOriginal(FIXTURE);
    const before = snapshot(db);
    expect(importError(() => users.importOriginal(FIXTURE)).entry).toBe('1001');
    expect(snapshot(db)).toEqual(before);
  });
});

describe('SqliteUserStore.importOriginal: a list of users (the SIPp bench kit form)', () => {
  it('imports [{ username, password }, ...]', () => {
    const { users } = openUsers();
    const list = [
      { username: '100000', password: 'p100000' },
      { username: '100001', password: 'p100001', display_name: 'Bench 1' },
    ];
    expect(users.importOriginal(JSON.stringify(list))).toEqual({ added: 2, updated: 0 });
    expect(users.get('100001')?.displayName).toBe('Bench 1');
    expect(users.credentials('100000')?.ha1.MD5).toBe(ha1('MD5', '100000', 'sip.local', 'p100000'));
  });

  it('names a user a list gives twice as such (not as one that exists), and imports nothing', () => {
    const { users } = openUsers();
    const list = [
      { username: '2005', password: 'a' },
      { username: '2005', password: 'b' },
    ];
    expect(importError(() => users.importOriginal(JSON.stringify(list))).message).toBe(
      'users.json: 1 bad entry:\nline 1, entry "2005", username: is given twice in the file',
    );
    expect(users.count()).toBe(0);
  });

  it('names the entry without a username and imports nothing', () => {
    const { users } = openUsers();
    const err = importError(() =>
      users.importOriginal(JSON.stringify([{ username: '100000', password: 'a' }, { password: 'b' }])),
    );
    expect(err.message).toBe(
      'users.json: 1 bad entry:\nline 1, entry "#2", username: is missing (a list entry must carry its username)',
    );
    expect(users.count()).toBe(0);
  });
});

describe('SqliteUserStore: IMP USER and EXP USER together (two consoles)', () => {
  /** 3,000 users u0000..u2999 with password `old`: an export reads them in 6 chunks, a turn apart. */
  function manyUsers() {
    const fixture = openUsers();
    const list = Array.from({ length: 3000 }, (_, i) => ({
      username: `u${String(i).padStart(4, '0')}`,
      password: 'old',
    }));
    fixture.users.importOriginal(JSON.stringify(list));
    return fixture;
  }
  /** The first and the last user's new passwords, by an import all or nothing. */
  const NEW = JSON.stringify({ u0000: { password: 'new' }, u2999: { password: 'new' } });
  const passwords = ({ result: json }: { result: string }): string[] => {
    const out = JSON.parse(json) as Record<string, { password: string }>;
    return [out.u0000!.password, out.u2999!.password];
  };

  it('export the users as before the import when asked first, never half of it', async () => {
    const { users } = manyUsers();
    // Asked in the same turn: the import's write landed between two of the export's chunks.
    const exporting = exportText(users);
    const importing = users.importOriginalAsync(NEW, 'upsert');
    expect(passwords(await exporting)).toEqual(['old', 'old']);
    expect(await importing).toEqual({ added: 0, updated: 2 });
    expect(passwords(await exportText(users))).toEqual(['new', 'new']);
  });

  it('export the users as after the import when asked after it', async () => {
    const { users } = manyUsers();
    const importing = users.importOriginalAsync(NEW, 'upsert');
    const exporting = exportText(users);
    expect(await importing).toEqual({ added: 0, updated: 2 });
    expect(passwords(await exporting)).toEqual(['new', 'new']);
  });
});

describe('SqliteUserStore.importOriginalAsync: the realm changed while it runs', () => {
  const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

  // IMP USER prepares its rows (HA1 values included) across turns of the event loop, and SET CFG
  // KEY=AUTH.REALM may run in between: rows prepared for the realm before were written as they were, and
  // their users got 401 for good.
  it.each(['add', 'upsert'] as const)(
    '%s: every user it writes has the HA1 values of the realm in force when it commits',
    async (mode) => {
      const { users } = openUsers();
      const list = Array.from({ length: 600 }, (_, i) => ({
        username: String(20000 + i),
        password: `p${i}`,
      }));
      if (mode === 'upsert')
        users.importOriginal(JSON.stringify(list.map((u) => ({ ...u, password: 'old' }))));
      let done = false;
      const importing = users.importOriginalAsync(JSON.stringify(list), mode).finally(() => (done = true));
      // Another operator changes the realm at every turn until the import is done.
      for (let n = 0; !done; n++) {
        await turn();
        if (!done) users.setRealm(`realm${n % 3}.test`);
      }
      expect(await importing).toEqual(
        mode === 'add' ? { added: 600, updated: 0 } : { added: 0, updated: 600 },
      );
      const realm = users.realm;
      expect(realm).not.toBe('sip.local');
      const wrong = list.filter(
        (u) => users.credentials(u.username)?.ha1.MD5 !== ha1('MD5', u.username, realm, u.password),
      );
      expect(wrong.map((u) => u.username)).toEqual([]);
      expect(users.credentials('20000')?.realm).toBe(realm);
    },
  );
});
