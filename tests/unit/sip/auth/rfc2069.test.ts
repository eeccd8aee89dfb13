// Digest answers without qop (RFC 2069 form; RFC 3261 §22.4 backwards compatibility), as the original's
// test client and older phones send them: accepted when AUTH.RFC2069 allows (the appliance default),
// and then the nonce is good for one use only, so a replayed answer fails.
import { describe, expect, it } from 'vitest';
import {
  DigestAuthenticator,
  answerChallenge,
  digestResponse2069,
  ha1,
  parseAuthHeader,
  type AuthConfig,
} from '../../../../core/sip/auth/index';
import { DEFAULT_AUTH } from '../../../../core/sip/auth/authenticator';
import { digestHash } from '../../../../core/sip/auth/ha1';
import type { SipRequest } from '../../../../core/sip/message/index';
import { request } from '../../../support/sip-text';

const REALM = 'lab.example';
const URI = `sip:${REALM}`;

function setup(over: Partial<AuthConfig> = {}) {
  const h1 = ha1('MD5', '1001', REALM, 'secret1');
  return new DigestAuthenticator(
    {
      realm: REALM,
      algorithms: ['MD5'],
      nonceLifetimeSeconds: 60,
      lockout: { failures: 100, windowSeconds: 60, lockSeconds: 30 },
      rfc2069: true,
      ...over,
    },
    {
      credentials: (u: string) =>
        u === '1001' ? { status: 'ACTIVE', realm: REALM, ha1: { MD5: h1, 'SHA-256': '' } } : undefined,
    },
  );
}

function register(authorization: string): SipRequest {
  return request('REGISTER', { 'R-URI': URI, CSeq: '2 REGISTER', Authorization: authorization });
}

/** What the original's client sends: username, realm, nonce, uri, response; nothing else. */
function rfc2069Answer(auth: DigestAuthenticator, password = 'secret1', nonce?: string): string {
  const n = nonce ?? parseAuthHeader(auth.challenges('10.0.0.1')[0]!)!.params.get('nonce')!;
  const response = digestResponse2069('MD5', ha1('MD5', '1001', REALM, password), 'REGISTER', URI, n);
  return `Digest username="1001", realm="${REALM}", nonce="${n}", uri="${URI}", response="${response}", algorithm=MD5`;
}

describe('RFC 2069 digest (no qop)', () => {
  it('computes MD5(HA1:nonce:MD5(method:uri)) (RFC 2069 §2.1.1)', () => {
    const h1 = ha1('MD5', '1001', REALM, 'secret1');
    expect(digestResponse2069('MD5', h1, 'REGISTER', URI, 'abc')).toBe(
      digestHash('MD5', `${h1}:abc:${digestHash('MD5', `REGISTER:${URI}`)}`),
    );
  });

  it('is on by default and accepts the right password once per nonce; a replay fails', () => {
    expect(DEFAULT_AUTH.rfc2069).toBe(true);
    const auth = setup();
    const answer = rfc2069Answer(auth);
    expect(auth.check(register(answer), 'authorization', '10.0.0.1')).toEqual({
      kind: 'ok',
      username: '1001',
    });
    expect(auth.check(register(answer), 'authorization', '10.0.0.1').kind).toBe('challenge');
    // A fresh challenge works again.
    expect(auth.check(register(rfc2069Answer(auth)), 'authorization', '10.0.0.1').kind).toBe('ok');
  });

  it('a nonce spent without qop takes no qop answer afterwards, and the reverse', () => {
    const auth = setup();
    const challenge = auth.challenges('10.0.0.1');
    const nonce = parseAuthHeader(challenge[0]!)!.params.get('nonce')!;
    expect(
      auth.check(register(rfc2069Answer(auth, 'secret1', nonce)), 'authorization', '10.0.0.1').kind,
    ).toBe('ok');
    const withQop = answerChallenge(
      challenge,
      { username: '1001', password: 'secret1' },
      'REGISTER',
      URI,
      2,
    )!;
    expect(auth.check(register(withQop), 'authorization', '10.0.0.1').kind).toBe('challenge');

    const other = auth.challenges('10.0.0.1');
    const otherNonce = parseAuthHeader(other[0]!)!.params.get('nonce')!;
    const first = answerChallenge(other, { username: '1001', password: 'secret1' }, 'REGISTER', URI, 1)!;
    expect(auth.check(register(first), 'authorization', '10.0.0.1').kind).toBe('ok');
    expect(
      auth.check(register(rfc2069Answer(auth, 'secret1', otherNonce)), 'authorization', '10.0.0.1').kind,
    ).toBe('challenge');
  });

  it('refuses a wrong password, and any answer without qop when the setting is off', () => {
    const auth = setup();
    expect(auth.check(register(rfc2069Answer(auth, 'wrong')), 'authorization', '10.0.0.1').kind).toBe(
      'challenge',
    );
    const off = setup({ rfc2069: false });
    expect(off.check(register(rfc2069Answer(off)), 'authorization', '10.0.0.1').kind).toBe('challenge');
  });
});
