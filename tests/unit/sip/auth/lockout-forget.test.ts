// The lock-out tables forget what says nothing any more (a fake clock): a source or (source, user) pair
// whose lock is over and whose failures have left the window goes at the next minute's scan, instead of
// staying until 100,000 addresses had failed (9 MB held for good after one sipvicious run). What still
// counts stays: a lock in force, failures inside the window.
import { describe, expect, it } from 'vitest';
import { Lockout } from '../../../../core/sip/auth/lockout';

describe('lock-out records', () => {
  it('are forgotten once their lock and window are over, not kept until 100,000 have failed', () => {
    let now = 1_700_000_000_000;
    const lockout = new Lockout(
      { failures: 3, windowSeconds: 60, lockSeconds: 120, sourceFailures: 10 },
      () => now,
    );
    for (let i = 0; i < 2000; i++) lockout.fail(`127.5.${i >> 8}.${i & 255}`, '1001');
    for (let k = 0; k < 3; k++) lockout.fail('192.0.2.9', 'admin'); // locked for 120 s
    expect(lockout.tracked).toBe(2 * 2001);
    now += 61_000; // past the window: only the lock still counts
    lockout.fail('198.51.100.1', '1002'); // a failure inside the next window
    expect(lockout.lockedFor('192.0.2.9', 'admin')).toBe(59);
    // The locked pair (its source never reached 10 failures: forgotten), the new failure's pair and source.
    expect(lockout.tracked).toBe(1 + 2);
    now += 61_000; // the lock is over too; the new failure's window as well
    expect(lockout.lockedFor('192.0.2.9', 'admin')).toBe(0);
    expect(lockout.tracked).toBe(0);
  });

  it('keep failures within the window: three in a row still lock, spread over the scan', () => {
    let now = 1_700_000_000_000;
    const lockout = new Lockout({ failures: 3, windowSeconds: 60, lockSeconds: 120 }, () => now);
    lockout.lockedFor('203.0.113.5'); // the first scan runs now
    lockout.fail('203.0.113.5', '1001');
    now += 40_000;
    lockout.fail('203.0.113.5', '1001');
    now += 19_000; // the scan after a minute keeps a record whose last failure is 19 s old
    expect(lockout.lockedFor('203.0.113.5', '1001')).toBe(0);
    expect(lockout.fail('203.0.113.5', '1001')).toBe('user');
  });
});
