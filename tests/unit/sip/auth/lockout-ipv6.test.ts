// The SIP lock-out counts an IPv6 source by its /64, as the console's login does (failure-key.ts): one host
// holds a whole /64, and keyed by the full address a guesser had 2^64 fresh sources, each allowed its own
// failures. An IPv4-mapped address is its IPv4 address. DSP LOCKOUT lists the /64; RMV LOCKOUT with any
// address of it lifts it (a fake clock, fake users, IMS Lab's own digest client answering).
import { describe, expect, it } from 'vitest';
import { DigestAuthenticator, answerChallenge, ha1Values } from '../../../../core/sip/auth/index';
import { request } from '../../../support/sip-text';

const REALM = 'lab.example';
const USERS = {
  credentials: (username: string) =>
    username === '1001'
      ? { status: 'ACTIVE', realm: REALM, ha1: ha1Values('1001', REALM, 'secret1') }
      : undefined,
};

function setup() {
  const now = 1_700_000_000_000;
  const auth = new DigestAuthenticator(
    {
      realm: REALM,
      algorithms: ['MD5'],
      nonceLifetimeSeconds: 60,
      lockout: { failures: 3, windowSeconds: 60, lockSeconds: 30, sourceFailures: 5 },
    },
    USERS,
    undefined,
    () => now,
  );
  const seen: string[] = [];
  auth.watch = { locked: (s, u, scope) => seen.push(`${scope} ${s} ${u}`), refused: () => undefined };
  const guess = (user: string, password: string, source: string): string => {
    const authorization = answerChallenge(
      auth.challenges(source),
      { username: user, password },
      'REGISTER',
      `sip:${REALM}`,
    );
    const req = request('REGISTER', {
      'R-URI': `sip:${REALM}`,
      CSeq: '2 REGISTER',
      Authorization: authorization!,
    });
    return auth.check(req, 'authorization', source).kind;
  };
  return { auth, guess, seen };
}

describe('an IPv6 source in the SIP lock-out', () => {
  it('is its /64: guesses from many addresses of it lock the user name there, not elsewhere', () => {
    const { auth, guess, seen } = setup();
    expect(guess('1001', 'g0', '2001:db8:1:2::a')).toBe('challenge');
    expect(guess('1001', 'g1', '2001:DB8:1:2:ffff:ffff:ffff:b')).toBe('challenge');
    expect(guess('1001', 'g2', '2001:db8:1:2:0:0:0:c')).toBe('locked');
    expect(guess('1001', 'secret1', '2001:db8:1:2::99')).toBe('locked');
    expect(guess('1001', 'secret1', '2001:db8:1:3::a')).toBe('ok'); // another /64
    expect(seen).toEqual(['user 2001:db8:1:2::/64 1001']);
    expect(auth.lockout.locks().map((l) => `${l.source} ${l.user ?? '*'}`)).toEqual([
      '2001:db8:1:2::/64 1001',
    ]);
    // The pair's lock and the /64's count of failures across user names.
    expect(auth.lockout.lift({ source: '2001:db8:1:2::1234' })).toBe(2);
    expect(guess('1001', 'secret1', '2001:db8:1:2::a')).toBe('ok');
  });

  it('is lifted by RMV LOCKOUT with what DSP LOCKOUT lists (RFC 5952 form), any text of it, or an address in it', () => {
    const lifted = (source: string): number => {
      const { auth, guess } = setup();
      for (let i = 0; i < 4; i++) guess('1001', `g${i}`, '::1');
      expect(auth.lockout.locks().map((l) => l.source)).toEqual(['::/64']);
      return auth.lockout.lift({ source, user: '1001' });
    };
    for (const source of ['::/64', '0:0:0:0::/64', '0::/64', '::2']) expect(lifted(source), source).toBe(1);
    expect(lifted('2001:db8::/64')).toBe(0);
  });

  it('is its /64 for the whole-source lock too; an IPv4-mapped address is its IPv4 address', () => {
    const { guess } = setup();
    for (let i = 0; i < 4; i++) expect(guess(`u${i}`, 'x', `2001:db8:9:9::${i + 1}`)).toBe('challenge');
    expect(guess('u4', 'x', '2001:db8:9:9:1::5')).toBe('locked');
    expect(guess('1001', 'secret1', '2001:db8:9:9::77')).toBe('locked');
    for (let i = 0; i < 2; i++) guess('1001', `g${i}`, '::ffff:192.0.2.7');
    expect(guess('1001', 'g2', '192.0.2.7')).toBe('locked');
  });
});
