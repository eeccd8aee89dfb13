// The Huawei form's commas without its colon (`MOD USER USERNAME=1001 PASSWORD=newpw,STATUS=INACTIVE`):
// the rest of the line became one value, answered RETCODE 0, masked when it was a password. Refused now,
// naming the parameter and how to write it; a quoted value keeps its comma, and both forms still work.
import { describe, expect, it } from 'vitest';
import { RETCODE } from '../../../core/mml/command';
import { zhMessage } from '../../../core/mml/lang';
import { openLab, run, useLabs } from './lab';
import type { Lab } from './lab';

useLabs();

function labWith1001(): Lab {
  const lab = openLab();
  lab.users.add({ username: '1001', password: 'old', displayName: 'Alice', phone: '555' });
  return lab;
}

describe('a value that runs on into ",NAME=" of the same command', () => {
  it('MOD USER PASSWORD=newpw,STATUS=INACTIVE is refused, the password and status unchanged, no secret told', async () => {
    const lab = labWith1001();
    const before = lab.users.credentials('1001');
    const r = await run(lab, 'MOD USER USERNAME=1001 PASSWORD=newpw,STATUS=INACTIVE');
    expect(r.retcode).toBe(RETCODE.PARAMETER_ERROR);
    expect(r.message).toMatch(/^Parameter PASSWORD: the value goes on with ",STATUS="/);
    expect(r.message).toContain('MOD USER PASSWORD=… STATUS=…');
    expect(r.message).toContain('MOD USER: PASSWORD=…, STATUS=…');
    expect(r.message).toContain('PASSWORD="…"');
    expect(r.message).not.toContain('newpw');
    expect(r.command).toBe('MOD USER USERNAME=1001 PASSWORD=*****');
    expect(lab.users.credentials('1001')).toEqual(before);
    expect(lab.users.get('1001')!.status).toBe('ACTIVE');
  });

  it.each([
    ['MOD USER USERNAME=1001 DISPLAYNAME=abc,PHONE=123', 'DISPLAYNAME', 'PHONE'],
    ['mod user username=1001 name=abc,phone=123', 'NAME', 'PHONE'],
    ['ADD USER USERNAME=9100 PASSWORD=pw,DISPLAYNAME=Bob', 'PASSWORD', 'DISPLAYNAME'],
    ['SET CFG KEY=TRACE.HEP_AUTH_KEY VALUE=k1,KEY=LOG.LEVEL', 'VALUE', 'KEY'],
    ['DSP USER USERNAME=1001,LIMIT=5', 'USERNAME', 'LIMIT'],
  ])('%s → RETCODE 3 naming %s and %s', async (text, param, next) => {
    const lab = labWith1001();
    const key = lab.settings.get('TRACE.HEP_AUTH_KEY');
    const r = await run(lab, text);
    expect(r.retcode).toBe(RETCODE.PARAMETER_ERROR);
    expect(r.message.startsWith(`Parameter ${param}: the value goes on with ",${next}="`)).toBe(true);
    expect(lab.users.get('9100')).toBeUndefined();
    expect(lab.users.get('1001')).toMatchObject({ displayName: 'Alice', phone: '555' });
    expect(lab.settings.get('TRACE.HEP_AUTH_KEY')).toBe(key);
  });

  it('says it in Chinese too', async () => {
    const lab = labWith1001();
    const [r] = await lab.engine.execute('MOD USER USERNAME=1001 PHONE=1,STATUS=INACTIVE', 'tester', {
      lang: 'zh',
    });
    expect(r!.message).toBe(
      zhMessage(
        'Parameter PHONE: the value goes on with ",STATUS=", a parameter of MOD USER: separate parameters with spaces (MOD USER PHONE=… STATUS=…), or write the Huawei form (MOD USER: PHONE=…, STATUS=…); quote the value if the comma is part of it (PHONE="…")',
      ),
    );
    expect(r!.message).toMatch(/^参数 PHONE 错误: 值中接着出现了 ",STATUS="/);
  });

  it('keeps what was accepted: a quoted value, the Huawei form, a comma before a name no parameter has, a list', async () => {
    const lab = labWith1001();
    expect((await run(lab, 'MOD USER USERNAME=1001 DISPLAYNAME="abc,PHONE=123"')).retcode).toBe(0);
    expect(lab.users.get('1001')!.displayName).toBe('abc,PHONE=123');
    expect((await run(lab, 'MOD USER:USERNAME=1001,DISPLAYNAME=abc,PHONE=123;')).retcode).toBe(0);
    expect(lab.users.get('1001')).toMatchObject({ displayName: 'abc', phone: '123' });
    expect((await run(lab, 'MOD USER USERNAME=1001 DISPLAYNAME=a,b=c')).retcode).toBe(0);
    expect(lab.users.get('1001')!.displayName).toBe('a,b=c');
    expect((await run(lab, 'MOD USER USERNAME=1001 PASSWORD=ab,#cd')).retcode).toBe(0);
    const r = await run(lab, 'HELP CMD=MOD USER');
    expect(r.retcode).toBe(0);
  });
});
