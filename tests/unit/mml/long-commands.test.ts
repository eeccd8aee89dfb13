// Operator commands over 20,000 users held the event loop for 0.6 s and more (SET CFG KEY=AUTH.REALM
// deriving every HA1, a 6,000-line script of MOD USER, DSP USER ALL): SIP waited, and phones over UDP
// retransmitted. Their work is now split across turns of the event loop. Measured here without a clock:
// a ticker counts the turns other events (a SIP datagram) get while the command runs.
import { describe, expect, it } from 'vitest';
import { ha1Values } from '../../../core/sip/auth/ha1';
import { turnsDuring } from '../../support/turns';
import { openLab, useLabs } from './lab';
import type { Lab } from './lab';

useLabs();

/** A lab with `n` users 100000.. (password pw<i>), the realm wired from AUTH.REALM as the appliance does. */
function labWith(n: number): { lab: Lab; list: { username: string; password: string }[] } {
  const lab = openLab();
  lab.settings.onChange((change) => {
    if (change.key === 'AUTH.REALM') lab.users.setRealm(String(change.value));
  });
  const list = Array.from({ length: n }, (_, i) => ({ username: String(100000 + i), password: `pw${i}` }));
  lab.users.importOriginal(JSON.stringify(list));
  return { lab, list };
}

describe('SET CFG KEY=AUTH.REALM with many users', () => {
  it('derives the HA1 values across turns of the event loop, and changes every one of them', async () => {
    const { lab, list } = labWith(1000);
    const { result, turns } = await turnsDuring(() =>
      lab.engine.execute('SET CFG KEY=AUTH.REALM VALUE=realm3.test', 'tester'),
    );
    expect(result.map((r) => r.retcode)).toEqual([0]);
    expect(turns).toBeGreaterThanOrEqual(5);
    expect(lab.users.realm).toBe('realm3.test');
    const wrong = list.filter(
      (u) =>
        lab.users.credentials(u.username)?.ha1.MD5 !== ha1Values(u.username, 'realm3.test', u.password).MD5,
    );
    expect(wrong).toEqual([]);
  });
});

describe('a script of many statements', () => {
  it('runs them across turns of the event loop, in order, each answered', async () => {
    const { lab, list } = labWith(300);
    const script = list.map((u, i) => `MOD USER USERNAME=${u.username} PHONE=${5550000 + i}`).join('\n');
    const { result, turns } = await turnsDuring(() => lab.engine.execute(script, 'tester'));
    expect(turns).toBeGreaterThanOrEqual(5);
    expect(result.map((r) => r.retcode)).toEqual(list.map(() => 0));
    expect(result.map((r) => r.command)).toEqual(script.split('\n'));
    expect(lab.users.get('100299')?.phone).toBe('5550299');
    expect(lab.history.recent(300).map((e) => e.command)).toEqual(script.split('\n'));
  });
});

describe('DSP USER ALL with many users', () => {
  it('reads them a page per turn of the event loop, each user once though others change meanwhile', async () => {
    const { lab, list } = labWith(2500);
    let changed = false;
    // Another operator, between two pages: removes a user of the first page, adds one before it.
    setImmediate(() => {
      lab.users.remove('100010');
      lab.users.add({ username: '100000a', password: 'pw' });
      changed = true;
    });
    const { result, turns } = await turnsDuring(() => lab.engine.execute('DSP USER ALL', 'tester'));
    expect(changed).toBe(true);
    expect(turns).toBeGreaterThanOrEqual(2);
    const names = result[0]!.tables[0]!.rows.map((row) => row[0] as string);
    expect(new Set(names).size).toBe(names.length);
    const unchanged = list.map((u) => u.username).filter((name) => name !== '100010');
    expect(unchanged.filter((name) => !names.includes(name))).toEqual([]);
    expect(names).toEqual([...names].sort());
  });
});
