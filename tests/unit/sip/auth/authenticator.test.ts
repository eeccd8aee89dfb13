// Digest authentication (RFC 7616 / RFC 8760) against fake users and a fake clock, answered by IMS Lab's
// own digest client (answerChallenge), which is also how SHA-256 is tested end to end.
import { describe, expect, it } from 'vitest';
import {
  DigestAuthenticator,
  answerChallenge,
  digestResponse,
  ha1,
  ha1Values,
  parseAuthHeader,
  type AuthConfig,
} from '../../../../core/sip/auth/index';
import type { SipRequest } from '../../../../core/sip/message/index';
import { request } from '../../../support/sip-text';

const REALM = 'lab.example';

/** A challenge whose credentials were not checked (none, another realm's, a nonce not ours): no failure. */
const UNCHECKED = { kind: 'challenge', stale: false, unchecked: expect.any(String) as unknown };

function users(status: Record<string, string> = {}) {
  const passwords: Record<string, string> = { '1001': 'secret1', '1002': 'secret2' };
  return {
    // As the store (users.ts): user@realm is its user's account, the HA1 over the whole username.
    credentials(username: string) {
      const pw = passwords[username.split('@')[0]!];
      if (pw === undefined) return undefined;
      return {
        status: status[username] ?? 'ACTIVE',
        realm: REALM,
        ha1: ha1Values(username, REALM, pw),
      };
    },
  };
}

function setup(over: Partial<AuthConfig> = {}, status: Record<string, string> = {}) {
  let now = 1_700_000_000_000;
  const auth = new DigestAuthenticator(
    {
      realm: REALM,
      algorithms: ['MD5', 'SHA-256'],
      nonceLifetimeSeconds: 60,
      lockout: { failures: 3, windowSeconds: 60, lockSeconds: 30 },
      ...over,
    },
    users(status),
    undefined,
    () => now,
  );
  return { auth, advance: (ms: number) => (now += ms) };
}

function register(authorization?: string): SipRequest {
  return request('REGISTER', {
    'R-URI': `sip:${REALM}`,
    CSeq: '2 REGISTER',
    ...(authorization ? { Authorization: authorization } : {}),
  });
}

/** The source most tests send from: a nonce is good only from the address it was given to. */
const PHONE = '10.0.0.1';

/** `challenges`: those to answer, or the source to fetch new ones for (a nonce is bound to it). */
function answer(
  auth: DigestAuthenticator,
  user: string,
  password: string,
  nc = 1,
  challenges: string[] | string = PHONE,
): string {
  const asked = typeof challenges === 'string' ? auth.challenges(challenges) : challenges;
  return answerChallenge(asked, { username: user, password }, 'REGISTER', `sip:${REALM}`, nc)!;
}

const WRONG_PASSWORD = 'wrong password (the digest response does not match)';

describe('challenges', () => {
  it('offers one challenge per algorithm, preferred first, with qop=auth and one fresh nonce', () => {
    const { auth } = setup();
    const [md5, sha] = auth.challenges(PHONE).map((c) => parseAuthHeader(c)!);
    expect(md5!.params.get('algorithm')).toBe('MD5');
    expect(sha!.params.get('algorithm')).toBe('SHA-256');
    expect(md5!.params.get('qop')).toBe('auth');
    expect(md5!.params.get('realm')).toBe(REALM);
    expect(md5!.params.get('nonce')).toBe(sha!.params.get('nonce'));
    expect(auth.challenges(PHONE)[0]).not.toBe(auth.challenges(PHONE)[0]);
  });

  it('writes each challenge as before, stale=true last; a realm with a quote as a quoted-pair (§25.1)', () => {
    const { auth } = setup();
    const [md5, sha] = auth.challenges(PHONE, true);
    const nonce = parseAuthHeader(md5!)!.params.get('nonce')!;
    expect(md5).toBe(`Digest realm="${REALM}", nonce="${nonce}", algorithm=MD5, qop="auth", stale=true`);
    expect(sha).toBe(`Digest realm="${REALM}", nonce="${nonce}", algorithm=SHA-256, qop="auth", stale=true`);
    const quoting = setup({ realm: 'lab "b"' }).auth.challenges(PHONE);
    expect(quoting[0]).toMatch(/^Digest realm="lab \\"b\\"", nonce="[\w-]+", algorithm=MD5, qop="auth"$/);
  });
});

describe('checking credentials', () => {
  it('accepts MD5 and SHA-256 answers; a client picks the topmost algorithm it supports', () => {
    const { auth } = setup();
    const md5 = answer(auth, '1001', 'secret1');
    expect(md5).toContain('algorithm=MD5');
    expect(auth.check(register(md5), 'authorization', '10.0.0.1')).toEqual({ kind: 'ok', username: '1001' });
    const shaFirst = setup({ algorithms: ['SHA-256', 'MD5'] }).auth;
    const sha = answer(shaFirst, '1002', 'secret2');
    expect(sha).toContain('algorithm=SHA-256');
    expect(shaFirst.check(register(sha), 'authorization', '10.0.0.1')).toEqual({
      kind: 'ok',
      username: '1002',
    });
  });

  it('answers a wrong password and an unknown user exactly alike', () => {
    const { auth } = setup();
    const wrong = auth.check(register(answer(auth, '1001', 'guess')), 'authorization', '10.0.0.1');
    const unknown = auth.check(
      register(answer(auth, '9999', 'guess', 1, '10.0.0.2')),
      'authorization',
      '10.0.0.2',
    );
    expect(wrong).toEqual({ kind: 'challenge', stale: false, failed: true, cause: WRONG_PASSWORD });
    // Only the log's cause differs (the answer built from the outcome is the same: failure-cause-log).
    expect({ ...unknown, cause: WRONG_PASSWORD }).toEqual(wrong);
    expect(unknown).toMatchObject({ cause: 'no such user' });
  });

  it('challenges when there are no credentials, or only of an unknown scheme (RFC 4475 §3.3.7)', () => {
    const { auth } = setup();
    expect(auth.check(register(), 'authorization', '10.0.0.1')).toEqual(UNCHECKED);
    expect(
      auth.check(register('NoOneKnowsThisScheme opaque-data=here'), 'authorization', '10.0.0.1'),
    ).toEqual(UNCHECKED);
    // Another realm's credentials (a proxy further on, §22.3): the normal challenge, not a failure (the
    // proxy writes a FAILED row for failed ones only).
    const theirs = answer(auth, '1001', 'secret1').replace(`realm="${REALM}"`, 'realm="downstream.example"');
    expect(auth.check(register(theirs), 'authorization', '10.0.0.1')).toEqual(UNCHECKED);
  });

  it('refuses a replayed nonce-count and accepts a higher one with the same nonce', () => {
    const { auth } = setup();
    const challenges = auth.challenges(PHONE);
    const first = answer(auth, '1001', 'secret1', 1, challenges);
    expect(auth.check(register(first), 'authorization', '10.0.0.1').kind).toBe('ok');
    expect(auth.check(register(first), 'authorization', '10.0.0.1')).toEqual({
      kind: 'challenge',
      stale: false,
      failed: true,
      cause: 'nonce count not above the last one (a replay?)',
    });
    expect(
      auth.check(register(answer(auth, '1001', 'secret1', 2, challenges)), 'authorization', '10.0.0.1').kind,
    ).toBe('ok');
  });

  it('says stale=true only for an expired nonce with a right response', () => {
    const { auth, advance } = setup();
    const challenges = auth.challenges(PHONE);
    advance(61_000);
    expect(
      auth.check(register(answer(auth, '1001', 'secret1', 1, challenges)), 'authorization', '10.0.0.1'),
    ).toEqual({ kind: 'challenge', stale: true });
    expect(
      auth.check(register(answer(auth, '1001', 'bad', 1, challenges)), 'authorization', '10.0.0.1'),
    ).toEqual({ kind: 'challenge', stale: false, failed: true, cause: WRONG_PASSWORD });
  });

  it('refuses forged nonces, RFC 2069 answers without qop, and foreign uris', () => {
    const { auth } = setup();
    const good = answer(auth, '1001', 'secret1');
    const forged = good.replace(/nonce="([^"]+)"/, (_, n: string) => `nonce="${n.slice(0, -2)}AA"`);
    expect(auth.check(register(forged), 'authorization', '10.0.0.1')).toEqual(UNCHECKED);
    const nonce = parseAuthHeader(auth.challenges(PHONE)[0]!)!.params.get('nonce')!;
    const h1 = ha1('MD5', '1001', REALM, 'secret1');
    const rfc2069 = `Digest username="1001", realm="${REALM}", nonce="${nonce}", uri="sip:${REALM}", response="${digestResponse({ algorithm: 'MD5', ha1: h1, method: 'REGISTER', uri: `sip:${REALM}`, nonce, nc: '', cnonce: '' })}"`;
    expect(auth.check(register(rfc2069), 'authorization', '10.0.0.1').kind).toBe('challenge');
    const other = answerChallenge(
      auth.challenges(PHONE),
      { username: '1001', password: 'secret1' },
      'REGISTER',
      'sip:elsewhere.example',
    )!;
    expect(auth.check(register(other), 'authorization', '10.0.0.1')).toEqual({
      kind: 'bad-request',
      reason: 'Authorization uri does not match the Request-URI',
    });
    // No uri at all (RFC 7616 §3.4 requires it): the 400 says so, rather than "does not match".
    const noUri = good.replace(/uri="[^"]*",?\s*/, '');
    expect(noUri).not.toMatch(/uri=/);
    expect(auth.check(register(noUri), 'authorization', '10.0.0.1')).toEqual({
      kind: 'bad-request',
      reason: 'Authorization has no uri parameter',
    });
  });

  it("takes SIPp's digest uri for an IPv6 Request-URI, its host without brackets (sip:::1:5060)", () => {
    const { auth } = setup();
    const invite = (authorization: string, ruri: string) =>
      request('INVITE', { 'R-URI': ruri, CSeq: '2 INVITE', 'Proxy-Authorization': authorization });
    for (const [ruri, uri] of [
      ['sip:1002@[::1]:27400', 'sip:::1:27400'],
      ['sip:1002@[fd00:31::1]', 'sip:fd00:31::1:5060'],
      ['sip:1002@[fd00:31::1]', 'sip:FD00:31::1'],
    ] as const) {
      const creds = answerChallenge(
        auth.challenges('::1'),
        { username: '1001', password: 'secret1' },
        'INVITE',
        uri,
      )!;
      expect(auth.check(invite(creds, ruri), 'proxy-authorization', '::1'), uri).toEqual({
        kind: 'ok',
        username: '1001',
      });
    }
    // Another host or port, so spelled, is still another uri.
    const other = answerChallenge(
      auth.challenges('::1'),
      { username: '1001', password: 'secret1' },
      'INVITE',
      'sip:::2:27400',
    )!;
    expect(auth.check(invite(other, 'sip:1002@[::1]:27400'), 'proxy-authorization', '::1').kind).toBe(
      'bad-request',
    );
  });

  it('challenges baresip 1.x (libre < 2, which fails on an unknown algorithm) with MD5 alone', () => {
    const { auth } = setup({ algorithms: ['SHA-256', 'MD5'] });
    const algos = (ua?: string) =>
      auth.challenges(PHONE, false, ua).map((c) => /algorithm=([\w-]+)/.exec(c)![1]);
    expect(algos('baresip v1.0.0 (x86_64/linux)')).toEqual(['MD5']);
    expect(algos('baresip v3.10.1 (x86_64/linux)')).toEqual(['SHA-256', 'MD5']);
    expect(algos('Linphone/5.2')).toEqual(['SHA-256', 'MD5']);
    expect(algos(undefined)).toEqual(['SHA-256', 'MD5']);
  });

  it('challenges JsSIP (keeps only the last WWW-Authenticate, MD5 only) with MD5 alone', () => {
    const { auth } = setup({ algorithms: ['SHA-256', 'MD5'] });
    const algos = (ua?: string) =>
      auth.challenges(PHONE, false, ua).map((c) => /algorithm=([\w-]+)/.exec(c)![1]);
    expect(algos('JsSIP 3.13.8')).toEqual(['MD5']);
  });

  it('challenges SIP.js, and any client over a WebSocket whatever its User-Agent, with MD5 alone', () => {
    const { auth } = setup({ algorithms: ['SHA-256', 'MD5'] });
    const algos = (ua?: string, via?: string) =>
      auth.challenges(PHONE, false, ua, via).map((c) => /algorithm=([\w-]+)/.exec(c)![1]);
    expect(algos('SIP.js/0.21.1')).toEqual(['MD5']);
    expect(algos('AcmeWebPhone/2.1', 'WSS')).toEqual(['MD5']);
    expect(algos('AcmeWebPhone/2.1', 'WS')).toEqual(['MD5']);
    expect(algos('AcmeWebPhone/2.1', 'UDP')).toEqual(['SHA-256', 'MD5']);
    // Without MD5 configured there is nothing to fall back to.
    expect(
      setup({ algorithms: ['SHA-256'] }).auth.challenges(PHONE, false, 'SIP.js/0.21.1', 'WS'),
    ).toHaveLength(1);
  });

  it("accepts a digest-uri with the Request-URI's host and port but no user (SIPp's form)", () => {
    const { auth } = setup();
    const creds = answerChallenge(
      auth.challenges(PHONE),
      { username: '1001', password: 'secret1' },
      'INVITE',
      `sip:${REALM}`,
    )!;
    const withCreds = request('INVITE', { 'R-URI': `sip:1002@${REALM}`, 'Proxy-Authorization': creds });
    expect(auth.check(withCreds, 'proxy-authorization', '10.0.0.1')).toEqual({
      kind: 'ok',
      username: '1001',
    });
    const wrongUser = answerChallenge(
      auth.challenges(PHONE),
      { username: '1001', password: 'secret1' },
      'INVITE',
      `sip:1003@${REALM}`,
    )!;
    const mismatch = request('INVITE', { 'R-URI': `sip:1002@${REALM}`, 'Proxy-Authorization': wrongUser });
    expect(auth.check(mismatch, 'proxy-authorization', '10.0.0.1').kind).toBe('bad-request');
  });

  it("accepts a digest-uri naming this server itself (SIPp's -auth_uri default), no other mismatch", () => {
    const { auth } = setup();
    // This server: 127.0.0.1 and [::1] at port 23060 (ServedDomains.isMe in the appliance).
    auth.isServer = (host, port) => ['127.0.0.1', '[::1]'].includes(host) && port === 23060;
    const message = (uri: string, ruri = 'sip:1002@127.0.0.1', source = '127.0.0.1') =>
      request('MESSAGE', {
        'R-URI': ruri,
        CSeq: '2 MESSAGE',
        'Proxy-Authorization': answerChallenge(
          auth.challenges(source),
          { username: '1001', password: 'secret1' },
          'MESSAGE',
          uri,
        )!,
      });
    const ok = { kind: 'ok', username: '1001' };
    expect(auth.check(message('sip:127.0.0.1:23060'), 'proxy-authorization', '127.0.0.1')).toEqual(ok);
    expect(
      auth.check(message('sip:127.0.0.1:23060', 'sip:1003@ims.lab'), 'proxy-authorization', '127.0.0.1'),
    ).toEqual(ok);
    expect(
      auth.check(message('sip:::1:23060', 'sip:1002@[::1]', '::1'), 'proxy-authorization', '::1'),
    ).toEqual(ok);
    // Another port, another host, a user in the uri, another scheme: still not this request's uri.
    for (const uri of [
      'sip:127.0.0.1:5070',
      'sip:192.0.2.9:23060',
      'sip:1003@127.0.0.1:23060',
      'tel:1002',
      'sip:::2:23060',
    ])
      expect(auth.check(message(uri), 'proxy-authorization', '127.0.0.1'), uri).toEqual({
        kind: 'bad-request',
        reason: 'Authorization uri does not match the Request-URI',
      });
    // The nonce-count still stops a replay of credentials signed for the server's address.
    const first = message('sip:127.0.0.1:23060');
    expect(auth.check(first, 'proxy-authorization', '127.0.0.1')).toEqual(ok);
    expect(auth.check(first, 'proxy-authorization', '127.0.0.1').kind).toBe('challenge');
  });

  it('gives 403 only with the right password of a disabled account', () => {
    const { auth } = setup({}, { '1001': 'SUSPENDED' });
    expect(auth.check(register(answer(auth, '1001', 'secret1')), 'authorization', '10.0.0.1')).toEqual({
      kind: 'forbidden',
      reason: 'Account SUSPENDED',
    });
    expect(auth.check(register(answer(auth, '1001', 'nope')), 'authorization', '10.0.0.1').kind).toBe(
      'challenge',
    );
  });

  it('locks out a guessing source, even for a right guess, and lets it back after the lock', () => {
    const { auth, advance } = setup();
    for (let i = 0; i < 2; i++)
      expect(
        auth.check(register(answer(auth, '1001', `g${i}`, 1, '192.0.2.66')), 'authorization', '192.0.2.66')
          .kind,
      ).toBe('challenge');
    expect(
      auth.check(register(answer(auth, '1001', 'g2', 1, '192.0.2.66')), 'authorization', '192.0.2.66'),
    ).toEqual({
      kind: 'locked',
      retryAfter: 30,
    });
    expect(
      auth.check(register(answer(auth, '1001', 'secret1', 1, '192.0.2.66')), 'authorization', '192.0.2.66')
        .kind,
    ).toBe('locked');
    expect(
      auth.check(register(answer(auth, '1001', 'secret1', 1, '192.0.2.67')), 'authorization', '192.0.2.67')
        .kind,
    ).toBe('ok');
    advance(31_000);
    expect(
      auth.check(register(answer(auth, '1001', 'secret1', 1, '192.0.2.66')), 'authorization', '192.0.2.66')
        .kind,
    ).toBe('ok');
  });
});

describe('lockout per source and user name', () => {
  const guess = (auth: DigestAuthenticator, user: string, password: string, source: string) =>
    auth.check(register(answer(auth, user, password, 1, source)), 'authorization', source);
  /** A guess signed with nonce-count `nc` of the given challenges, sent from `source`. */
  const guessUnder = (
    auth: DigestAuthenticator,
    challenges: string[],
    user: string,
    password: string,
    nc: number,
    source: string,
  ) => auth.check(register(answer(auth, user, password, nc, challenges)), 'authorization', source);

  it("does not lock a neighbour behind the same address out with another user's wrong passwords", () => {
    const { auth } = setup();
    for (let i = 0; i < 3; i++) guess(auth, '1001', `wrong${i}`, '192.0.2.80');
    expect(guess(auth, '1001', 'secret1', '192.0.2.80').kind).toBe('locked');
    expect(guess(auth, '1002', 'secret2', '192.0.2.80').kind).toBe('ok');
  });

  it('counts a private identity user@realm as its user: it logs in as the user, and its failures lock the user', () => {
    const { auth } = setup();
    expect(guess(auth, '1001@ims.lab', 'secret1', '192.0.2.84')).toEqual({ kind: 'ok', username: '1001' });
    // Three wrong guesses under three spellings of one account: the account is locked for that source.
    guess(auth, '1001@a.example', 'wrong0', '192.0.2.85');
    guess(auth, '1001@b.example', 'wrong1', '192.0.2.85');
    guess(auth, '1001', 'wrong2', '192.0.2.85');
    expect(guess(auth, '1001', 'secret1', '192.0.2.85').kind).toBe('locked');
    expect(guess(auth, '1002', 'secret2', '192.0.2.85').kind).toBe('ok');
  });

  it('locks a user name that does not exist exactly like one that does', () => {
    const { auth } = setup();
    // The log's cause aside (no such user / wrong password), which no answer carries.
    const answers = (user: string, source: string) =>
      [0, 1, 2, 3].map((i) => ({ ...guess(auth, user, `wrong${i}`, source), cause: undefined }));
    expect(answers('9999', '192.0.2.81')).toEqual(answers('1001', '192.0.2.82'));
    expect(answers('9999', '192.0.2.83').map((o) => o.kind)).toEqual([
      'challenge',
      'challenge',
      'locked',
      'locked',
    ]);
  });

  it('locks the whole source once it fails across many user names (password spraying)', () => {
    const { auth, advance } = setup({
      lockout: { failures: 3, windowSeconds: 60, lockSeconds: 30, sourceFailures: 5 },
    });
    const seen: string[] = [];
    auth.watch = {
      locked: (s, u, scope) => seen.push(`${scope} ${s} ${u}`),
      refused: () => seen.push('refused'),
    };
    for (let i = 0; i < 4; i++) expect(guess(auth, `u${i}`, 'x', '192.0.2.90').kind).toBe('challenge');
    expect(guess(auth, 'u4', 'x', '192.0.2.90').kind).toBe('locked');
    // Now even a request without credentials from that source is refused, and a right password too.
    expect(auth.check(register(), 'authorization', '192.0.2.90').kind).toBe('locked');
    expect(guess(auth, '1002', 'secret2', '192.0.2.90').kind).toBe('locked');
    expect(guess(auth, '1002', 'secret2', '192.0.2.91').kind).toBe('ok');
    expect(seen).toEqual(['source 192.0.2.90 u4', 'refused', 'refused']);
    expect(auth.lockout.locks()).toEqual([{ source: '192.0.2.90', user: undefined, secondsLeft: 30 }]);
    advance(31_000);
    expect(guess(auth, '1002', 'secret2', '192.0.2.90').kind).toBe('ok');
  });

  it("leaves the appliance's own user agent (its socket) alone: others' failures do not lock it out, its own do not count", () => {
    const { auth } = setup({
      lockout: { failures: 3, windowSeconds: 60, lockSeconds: 30, sourceFailures: 5 },
    });
    const dialer = { transport: 'UDP' as const, address: '192.0.2.96', port: 10000 };
    const beside = { ...dialer, port: 42914 }; // a SIPp run on the same host
    auth.ownAgent = (p) => p.transport === 'UDP' && p.address === dialer.address && p.port === dialer.port;
    const from = (user: string, password: string, source: typeof dialer) =>
      auth.check(register(answer(auth, user, password, 1, source.address)), 'authorization', source);
    for (let i = 0; i < 5; i++) from(`u${i}`, 'x', beside);
    expect(from('1002', 'secret2', beside).kind).toBe('locked');
    // The whole address is locked, but not the dialer's socket: checked, never refused.
    expect(auth.check(register(), 'authorization', dialer)).toEqual(UNCHECKED);
    expect(from('1001', 'secret1', dialer)).toEqual({ kind: 'ok', username: '1001' });
    expect(from('1001', 'wrong', dialer)).toMatchObject({ kind: 'challenge', failed: true });
    // Its own failures lock nothing, for it or for the others on its address.
    for (let i = 0; i < 5; i++) from('1001', `wrong${i}`, dialer);
    expect(auth.lockout.locks()).toEqual([{ source: '192.0.2.96', user: undefined, secondsLeft: 30 }]);
    auth.lockout.lift({ source: '192.0.2.96' });
    for (let i = 0; i < 5; i++) from(`v${i}`, 'x', dialer);
    expect(from('1002', 'secret2', beside).kind).toBe('ok');
  });

  it("checks no credentials under another source's nonce: a forged source spends no one's lock-out", () => {
    const { auth } = setup();
    // The attacker's own nonce, with wrong passwords sent under the victim phone's address (forged UDP).
    const attackers = auth.challenges('203.0.113.9');
    for (let nc = 1; nc <= 5; nc++)
      expect(guessUnder(auth, attackers, '1001', `wrong${nc}`, nc, '192.0.2.70')).toEqual({
        kind: 'challenge',
        stale: false,
        unchecked: 'a nonce given to 203.0.113.9, not to this address (not checked, not counted)',
      });
    expect(auth.lockout.locks()).toEqual([]);
    expect(guess(auth, '1001', 'secret1', '192.0.2.70')).toEqual({ kind: 'ok', username: '1001' });
    // Nor does one nonce carry guesses from many forged sources, the right one included.
    const one = auth.challenges('203.0.113.9');
    for (let i = 1; i <= 60; i++)
      expect(guessUnder(auth, one, '1002', i === 58 ? 'secret2' : `g${i}`, i, `127.1.0.${i}`).kind).toBe(
        'challenge',
      );
  });

  it("lifts a lock on the operator's word (RMV LOCKOUT)", () => {
    const { auth } = setup();
    for (let i = 0; i < 3; i++) guess(auth, '1001', `wrong${i}`, '192.0.2.95');
    expect(auth.lockout.locks()).toEqual([{ source: '192.0.2.95', user: '1001', secondsLeft: 30 }]);
    expect(auth.lockout.lift({ user: '1002' })).toBe(0);
    expect(auth.lockout.lift({ source: '192.0.2.95', user: '1001' })).toBe(1);
    expect(guess(auth, '1001', 'secret1', '192.0.2.95').kind).toBe('ok');
  });
});
