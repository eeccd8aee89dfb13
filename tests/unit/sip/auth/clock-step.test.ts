// Lock-outs and nonce ages across a wall-clock step (NTP, a VM resumed): measured on the steady clock.
// The wall clock alone is faked and stepped (vi.setSystemTime); the steady clock (performance.now) is
// faked too, so that the lock's two minutes pass without waiting. On the wall clock, a step back an hour
// locked SIP users out for an hour more (DSP LOCKOUT 3719 s, 403 Retry-After 3718).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DigestAuthenticator } from '../../../../core/sip/auth/authenticator';
import { NonceIssuer } from '../../../../core/sip/auth/nonces';

const HOUR = 3_600_000;
const step = (ms: number) => vi.setSystemTime(Date.now() + ms);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('a wall clock stepped', () => {
  it('back an hour leaves a SIP lock-out its 120 s, and it ends after them', () => {
    const auth = new DigestAuthenticator(
      {
        realm: 'lab',
        algorithms: ['MD5'],
        nonceLifetimeSeconds: 60,
        lockout: { failures: 3, windowSeconds: 60, lockSeconds: 120 },
      },
      { credentials: () => undefined },
    );
    for (let i = 0; i < 3; i++) auth.lockout.fail('192.0.2.9', '1003');
    step(-HOUR);
    expect(auth.lockout.locks()).toEqual([{ source: '192.0.2.9', user: '1003', secondsLeft: 120 }]);
    vi.advanceTimersByTime(120_001);
    expect(auth.lockout.lockedFor('192.0.2.9', '1003')).toBe(0);
  });

  it('forward a day lifts no lock-out', () => {
    const auth = new DigestAuthenticator(
      {
        realm: 'lab',
        algorithms: ['MD5'],
        nonceLifetimeSeconds: 60,
        lockout: { failures: 1, windowSeconds: 60, lockSeconds: 120 },
      },
      { credentials: () => undefined },
    );
    auth.lockout.fail('192.0.2.9', '1003');
    step(24 * HOUR);
    expect(auth.lockout.lockedFor('192.0.2.9', '1003')).toBe(120);
  });

  it("moves no nonce's age: stale after its lifetime across a step back, fresh across a step forward", () => {
    const issuer = new NonceIssuer(60);
    const before = issuer.issue('192.0.2.1');
    step(-HOUR);
    vi.advanceTimersByTime(61_000);
    expect(issuer.inspect(before, '192.0.2.1').check).toBe('stale');
    const current = issuer.issue('192.0.2.1');
    step(24 * HOUR);
    vi.advanceTimersByTime(1_000);
    expect(issuer.inspect(current, '192.0.2.1').check).toBe('valid');
  });
});
