import { describe, expect, it } from 'vitest';
import { emptyForm, formOf, userCommand } from './store';

const user = {
  username: '1001',
  displayName: 'Alice',
  phone: '',
  email: '',
  status: 'ACTIVE',
  serviceType: 'BASIC',
  createTime: '',
  updateTime: '',
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
      'MOD USER:USERNAME=1001,PASSWORD=x,STATUS=SUSPENDED',
    );
  });
});
