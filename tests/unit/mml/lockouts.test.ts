// RMV LOCKOUT's parameters: SOURCE is an address as DSP LOCKOUT lists it, so a mistyped one is a
// parameter error naming SOURCE, not "no lockout recorded" (RETCODE 3, not 5).
import { describe, expect, it } from 'vitest';
import { RETCODE } from '../../../core/mml/command';
import { openLab, run, useLabs } from './lab';

useLabs();

function lockoutLab() {
  const lab = openLab();
  const lifted: { source?: string; user?: string }[] = [];
  lab.ctx.lockouts = {
    locks: () => [{ source: '192.0.2.7', user: undefined, secondsLeft: 90 }],
    lift: (which) => (lifted.push(which), which.source === '192.0.2.7' ? 1 : 0),
  };
  return { lab, lifted };
}

describe('RMV LOCKOUT', () => {
  it('lifts the lock of an address, IPv4 or IPv6', async () => {
    const { lab, lifted } = lockoutLab();
    expect((await run(lab, 'RMV LOCKOUT SOURCE=192.0.2.7')).retcode).toBe(RETCODE.OK);
    expect((await run(lab, 'RMV LOCKOUT SOURCE=2001:db8::7')).retcode).toBe(RETCODE.NOT_FOUND);
    expect(lifted.map((w) => w.source)).toEqual(['192.0.2.7', '2001:db8::7']);
  });

  it('takes an IPv6 /64 as DSP LOCKOUT lists it, and names the /64 it lifted', async () => {
    const { lab, lifted } = lockoutLab();
    lab.ctx.lockouts!.lift = (which) => (lifted.push(which), 1);
    expect((await run(lab, 'RMV LOCKOUT SOURCE="::/64" USERNAME=1003')).message).toBe(
      'Lifted the lockout of user 1003 from ::/64',
    );
    expect((await run(lab, 'RMV LOCKOUT SOURCE=::1')).message).toBe('Lifted the lockout of address ::/64');
    expect((await run(lab, 'RMV LOCKOUT SOURCE="2001:db8::/48"')).retcode).toBe(RETCODE.PARAMETER_ERROR);
    expect(lifted.map((w) => w.source)).toEqual(['::/64', '::1']);
  });

  it('takes CONFIRM=YES, as every other RMV command wants it, without needing it', async () => {
    const { lab, lifted } = lockoutLab();
    expect((await run(lab, 'RMV LOCKOUT: SOURCE="192.0.2.7", CONFIRM=YES;')).retcode).toBe(RETCODE.OK);
    expect((await run(lab, 'RMV LOCKOUT SOURCE=192.0.2.7 CONFIRM=NO')).retcode).toBe(RETCODE.PARAMETER_ERROR);
    expect(lifted).toHaveLength(1);
  });

  it('refuses a SOURCE that is no address, naming it', async () => {
    const { lab, lifted } = lockoutLab();
    const r = await run(lab, 'RMV LOCKOUT SOURCE=192.0.2.777');
    expect(r.retcode).toBe(RETCODE.PARAMETER_ERROR);
    expect(r.message).toMatch(/^Parameter SOURCE: /);
    expect(lifted).toEqual([]);
  });
});
