// The lock-out tables hold `maxSources` keys each (100,000 by default). Once full, a new key dropped the
// oldest one, locked or not: a flood of fresh (address, user name) pairs, or of fresh addresses, lifted
// the locks earlier guessers had earned. A full table now drops a key that is not locked; only when every
// key is locked does the lock nearest its end go (a fake clock).
import { describe, expect, it } from 'vitest';
import { Lockout } from '../../../../core/sip/auth/lockout';

const POLICY = { failures: 3, windowSeconds: 60, lockSeconds: 120, sourceFailures: 6, maxSources: 10 };

describe('a full lock-out table', () => {
  it('keeps a locked pair and a locked address through a flood of new keys', () => {
    let now = 1_700_000_000_000;
    const lockout = new Lockout(POLICY, () => now);
    for (let k = 0; k < 3; k++) lockout.fail('192.0.2.9', 'admin'); // the pair locked
    for (let k = 0; k < 3; k++) expect(lockout.fail('192.0.2.66', `u${k}`)).toBeUndefined();
    for (let k = 3; k < 6; k++) lockout.fail('192.0.2.66', `u${k}`); // the address locked (6 names)
    now += 1000;
    for (let i = 0; i < 1000; i++) lockout.fail(`198.51.${i >> 8}.${i & 255}`, `x${i}`);
    expect(lockout.tracked).toBe(20); // both tables full
    expect(lockout.lockedFor('192.0.2.9', 'admin')).toBe(119);
    expect(lockout.lockedFor('192.0.2.66')).toBe(119);
    expect(lockout.locks().map((l) => `${l.source} ${l.user ?? '*'}`)).toEqual([
      '192.0.2.66 *',
      '192.0.2.9 admin',
    ]);
  });

  it('drops a lock that is over first, and only when every key is locked the one nearest its end', () => {
    let now = 1_700_000_000_000;
    const lockout = new Lockout({ ...POLICY, failures: 1, sourceFailures: 0, maxSources: 3 }, () => now);
    lockout.fail('192.0.2.1', 'a');
    now += 1000;
    lockout.fail('192.0.2.2', 'b');
    now += 1000;
    lockout.fail('192.0.2.3', 'c');
    now += 1000;
    lockout.fail('192.0.2.4', 'd'); // every key locked: a's lock, the first to end, goes
    expect(lockout.locks().map((l) => l.user)).toEqual(['b', 'c', 'd']);
    now += 118_500; // b's lock is over, c's and d's are not
    lockout.fail('192.0.2.5', 'e');
    expect(lockout.locks().map((l) => l.user)).toEqual(['c', 'd', 'e']);
  });
});
