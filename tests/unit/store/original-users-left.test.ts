// The original's users.json read again at a later start (it changed): every difference a user relies on is
// named with the command that applies it — a user missing, a password other than the database's (never
// shown), a status other than the database's (the original's way to lock someone out) — and nothing is
// applied. Only a password or status hand-edited into the file was neither applied nor named.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { originalUsersLeft } from '../../../core/store/original-users-left';
import { openUsers, useDataDirs } from './data-dir';

useDataDirs();

const entry = (password: string, status = 'ACTIVE'): object => ({ password, status });

describe("the original's users.json compared at a later start", () => {
  it('names a missing user, a changed password (not shown) and a changed status, each with its command', () => {
    const { dir, users } = openUsers();
    users.add({ username: '1001', password: '1234' });
    users.add({ username: '1002', password: '1234' });
    users.add({ username: '1003', password: '1234', status: 'INACTIVE' });
    const file = join(dir, 'users.json');
    writeFileSync(
      file,
      JSON.stringify({
        '1001': entry('n3wpass'),
        '1002': entry('1234', 'INACTIVE'),
        '1003': entry('1234', 'INACTIVE'),
        '1010': entry('1234'),
      }),
    );
    const line = originalUsersLeft(file, 'users.json', users)!;
    expect(line).toContain('users, passwords and statuses compared; other fields not');
    expect(line).toContain(
      '1 of its users are not in the database (1010): IMP USER FILE=users.json MODE=UPSERT',
    );
    expect(line).toContain(
      '1 have another password there (1001; not shown): MOD USER USERNAME=<user> PASSWORD=',
    );
    expect(line).toContain('1 have another status there: MOD USER USERNAME=1002 STATUS=INACTIVE');
    expect(line).not.toContain('n3wpass');
    expect(line).not.toMatch(/1003/); // the same in both
    expect(users.get('1002')!.status).toBe('ACTIVE'); // named, not applied
  });

  it('says nothing when the database has what the file says (its other fields are not compared)', () => {
    const { dir, users } = openUsers();
    users.add({ username: '1001', password: '1234', displayName: 'Alice' });
    const file = join(dir, 'users.json');
    writeFileSync(file, JSON.stringify({ '1001': { password: '1234', display_name: 'Bob' } }));
    expect(originalUsersLeft(file, 'users.json', users)).toBeUndefined();
  });
});
