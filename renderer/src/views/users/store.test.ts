import { describe, expect, it } from 'vitest';
import { emptyForm, faultField, formOf, userCommand } from './store';

const user = {
  username: '1001',
  displayName: 'Alice',
  phone: '',
  email: '',
  status: 'ACTIVE',
  serviceType: 'BASIC',
  createTime: '',
  updateTime: '2026-11-24T09:30:00.250+08:00',
};

describe('user commands', () => {
  it('ADD USER with the fields given', () => {
    const f = { ...emptyForm(), username: ' 2001 ', password: 'p w', displayName: 'Bob Smith' };
    expect(userCommand(f, null)).toBe(
      'ADD USER:USERNAME=2001,PASSWORD="p w",DISPLAYNAME="Bob Smith",STATUS=ACTIVE,SERVICE=BASIC',
    );
  });
  it('MOD USER with only what changed; nothing changed is no command', () => {
    expect(userCommand(formOf(user), user)).toBeNull();
    expect(userCommand({ ...formOf(user), status: 'SUSPENDED', password: 'x' }, user)).toBe(
      'MOD USER:USERNAME=1001,PASSWORD=x,STATUS=SUSPENDED,IF_UPDATED=2026-11-24T09:30:00.250+08:00',
    );
  });
});

describe('the field a refusal is about', () => {
  const refused = (retcode: number, message: string) => ({
    results: [{ retcode, message, tables: [] }],
    text: '',
  });
  it('the parameter named; none for the user changed since (its message names USERNAME= in DSP USER)', () => {
    expect(faultField(refused(3, 'Parameter EMAIL: must be an address'))).toBe('email');
    expect(
      faultField(
        refused(
          7,
          'User 3001 was changed since 2026-12-07T16:07:26.227+00:00 (Updated 2026-12-07T16:07:36.119+00:00): nothing changed; read it again (DSP USER USERNAME=3001)',
        ),
      ),
    ).toBeNull();
  });
});
