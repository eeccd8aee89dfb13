// A registrar nobody guesses at: each authenticated REGISTER asks the lock-out twice and tells it of a
// success once. With no (source, user) pair failed, none of it makes or looks up a pair's key; once one
// has failed, the pair rules apply as ever.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Lockout } from '../../../../core/sip/auth/lockout';

const isPairKey = (key: unknown): boolean => typeof key === 'string' && key.includes('\u0000');

describe('the lock-out with no failures', () => {
  afterEach(() => vi.restoreAllMocks());

  it('answers and clears without a pair key, and still locks a pair after failures', () => {
    let now = 1_700_000_000_000;
    const lockout = new Lockout({ failures: 2, windowSeconds: 60, lockSeconds: 30 }, () => now);
    const get = vi.spyOn(Map.prototype, 'get');
    const remove = vi.spyOn(Map.prototype, 'delete');
    expect(lockout.lockedFor('192.0.2.1')).toBe(0);
    expect(lockout.lockedFor('192.0.2.1', '1001')).toBe(0);
    lockout.succeed('192.0.2.1', '1001');
    const keys = [...get.mock.calls, ...remove.mock.calls].map(([key]) => key);
    expect(keys.filter(isPairKey)).toEqual([]);
    vi.restoreAllMocks();

    lockout.fail('192.0.2.1', '1001');
    lockout.succeed('192.0.2.1', '1001'); // a success clears the pair's failures
    lockout.fail('192.0.2.1', '1001');
    expect(lockout.lockedFor('192.0.2.1', '1001')).toBe(0);
    expect(lockout.fail('192.0.2.1', '1001')).toBe('user');
    expect(lockout.lockedFor('192.0.2.1', '1001')).toBe(30);
    expect(lockout.lockedFor('192.0.2.1', '1002')).toBe(0);
    expect(lockout.lockedFor('192.0.2.1')).toBe(0);
    now += 30_000;
    expect(lockout.lockedFor('192.0.2.1', '1001')).toBe(0);
  });
});
