// The registrar's digest authentication seen from real clients (SIPp 3.6 and a raw UDP socket) against
// the built headless server with its default settings (AUTH.ALGORITHMS "MD5,SHA-256", REG.MIN_EXPIRES
// 60): the challenge, the 200 listing the binding, wrong passwords and unknown users answered alike,
// disabled accounts refused, 423 with Min-Expires, and OPTIONS to the server itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAuthHeader } from '../../../core/sip/auth/auth-params';
import type { SipResponse } from '../../../core/sip/message/index';
import { HAS_BUILD } from '../../support/processes';
import { removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';
import { HAS_SIPP, runSipp } from '../../support/sipp';
import {
  RegisteringUa,
  contactOf,
  listedContacts,
  openUdp,
  requestBytes,
  responseTo,
  type SipChannel,
} from '../../support/sip-client';

const USERS = [
  { username: '2001', password: 'pw-2001' },
  { username: '2002', password: 'pw-2002', status: 'INACTIVE' as const },
  { username: '2003', password: 'pw-2003', status: 'SUSPENDED' as const },
  { username: '2004', password: 'pw-2004' },
  { username: '2005', password: 'pw-2005' },
  { username: '2006', password: 'pw-2006' },
  { username: '2007', password: 'pw-2007' },
  { username: '2008', password: 'pw-2008' },
  { username: '2009', password: 'pw-2009' },
  { username: '2010', password: 'pw-2010' },
  { username: '2011', password: 'pw-2011' },
];

/** What a scanner could compare between two answers: everything but the per-request values. */
function shape(res: SipResponse): unknown {
  return {
    status: res.status,
    reason: res.reasonText,
    headers: res.fields.map((f) => f.name),
    challenges: res
      .headerValues('www-authenticate')
      .map((v) => v.replace(/nonce="[^"]*"/, 'nonce="…"').replace(/opaque="[^"]*"/, 'opaque="…"')),
    bodyLength: res.body.length,
  };
}

function challengeParams(res: SipResponse): Map<string, string>[] {
  return res.headerValues('www-authenticate').map((v) => {
    const h = parseAuthHeader(v);
    expect(h, `WWW-Authenticate does not parse: ${v}`).toBeDefined();
    expect(h!.scheme).toBe('Digest');
    return h!.params;
  });
}

describe.skipIf(!HAS_BUILD || !HAS_SIPP)('registrar authentication (default settings)', () => {
  let server: LabServer;
  let target: { host: string; port: number };

  beforeAll(async () => {
    server = await startLabServer({ users: USERS });
    target = { host: server.host, port: server.udpPort };
  });

  afterAll(async () => {
    if (server === undefined) return;
    expect(await server.stop()).toBe(0);
    removeDataDir(server.dataDir);
  });

  it('REGISTER with MD5 digest: 401 with realm, nonce, qop=auth and MD5 offered first, then 200 listing the Contact', async () => {
    const r = await runSipp({
      scenario: 'register_auth.xml',
      target,
      users: [{ username: '2001', password: 'pw-2001' }],
      keys: { expires: 120 },
    });
    expect(r.code, r.describe()).toBe(0);
    expect(r.successful, r.describe()).toBe(1);
    expect(r.responses.map((m) => m.status)).toEqual([401, 200]);

    const [challenge, ok] = r.responses as [SipResponse, SipResponse];
    expect(challenge.reasonText).toBe('Unauthorized');
    const offers = challengeParams(challenge);
    expect(offers.map((p) => p.get('algorithm'))).toEqual(['MD5', 'SHA-256']);
    for (const p of offers) {
      expect(p.get('realm')).toBe('ims.lab');
      expect(p.get('qop')).toBe('auth');
      expect(p.get('nonce')).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    }
    expect(offers[1]!.get('nonce'), 'one nonce shared by both challenges').toBe(offers[0]!.get('nonce'));
    expect(challenge.to.tag).toBeTruthy();
    // §18.2.1 / RFC 3581: the server stamped where the request came from.
    expect(challenge.topVia.received).toBe('127.0.0.1');
    expect(challenge.topVia.rport).toBe(r.localPort);

    // SIPp answered the MD5 challenge.
    const authorization = r.requests[1]!.header('authorization') ?? '';
    expect(parseAuthHeader(authorization)?.params.get('algorithm')).toBe('MD5');

    expect(ok.reasonText).toBe('OK');
    expect(listedContacts(ok)).toEqual([
      { uri: `sip:2001@127.0.0.1:${r.localPort};transport=UDP`, expires: 120 },
    ]);
    expect(ok.header('date')).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    expect(ok.callId).toBe(r.requests[1]!.callId);
    expect(ok.cseq.seq).toBe(2);
  });

  it('a wrong password and an unknown user get the same answer: 401 with a fresh challenge', async () => {
    const r = await runSipp({
      scenario: 'register_rejected.xml',
      target,
      users: [
        { username: '2004', password: 'not-the-password' },
        { username: '2999', password: 'pw-2999' },
      ],
      keys: { expires: 120 },
    });
    expect(r.code, r.describe()).toBe(0);
    expect(r.successful, r.describe()).toBe(2);

    const byCall = (user: string): SipResponse[] =>
      r.responses.filter((m) => m.from.uri.kind === 'sip' && m.from.uri.user === user);
    const [firstWrong, wrong] = byCall('2004') as [SipResponse, SipResponse];
    const [firstUnknown, unknown] = byCall('2999') as [SipResponse, SipResponse];
    expect([firstWrong.status, wrong.status, firstUnknown.status, unknown.status]).toEqual([
      401, 401, 401, 401,
    ]);
    // Not a 403 / 404 for the unknown user, nothing that tells the two apart.
    expect(shape(unknown)).toEqual(shape(wrong));
    // And a failed answer looks like the very first challenge.
    expect(shape(wrong)).toEqual(shape(firstWrong));
    // A fresh nonce each time.
    const nonceOf = (m: SipResponse): string | undefined => challengeParams(m)[0]!.get('nonce');
    expect(nonceOf(wrong)).not.toBe(nonceOf(firstWrong));
    expect(nonceOf(unknown)).not.toBe(nonceOf(firstUnknown));
  });

  it('INACTIVE and SUSPENDED accounts with the right password get 403', async () => {
    const r = await runSipp({
      scenario: 'register_forbidden.xml',
      target,
      users: [
        { username: '2002', password: 'pw-2002' },
        { username: '2003', password: 'pw-2003' },
      ],
      keys: { expires: 120 },
    });
    expect(r.code, r.describe()).toBe(0);
    expect(r.successful, r.describe()).toBe(2);
    const finals = r.responses.filter((m) => m.status !== 401);
    expect(finals.map((m) => [m.status, m.from.uri.kind === 'sip' ? m.from.uri.user : ''])).toEqual([
      [403, '2002'],
      [403, '2003'],
    ]);
    expect(finals[0]!.reasonText).toMatch(/INACTIVE/);
    expect(finals[1]!.reasonText).toMatch(/SUSPENDED/);
    expect(finals.every((m) => m.contacts.length === 0)).toBe(true);
  });

  it('Expires below REG.MIN_EXPIRES gets 423 with Min-Expires: 60; the retry with 60 gets 200', async () => {
    const r = await runSipp({
      scenario: 'register_too_brief.xml',
      target,
      users: [{ username: '2005', password: 'pw-2005' }],
      keys: { expires: 30 },
    });
    expect(r.code, r.describe()).toBe(0);
    expect(r.responses.map((m) => m.status)).toEqual([401, 423, 401, 200]);
    const tooBrief = r.responses[1]!;
    expect(tooBrief.reasonText).toBe('Interval Too Brief');
    expect(tooBrief.headerValues('min-expires')).toEqual(['60']);
    expect(tooBrief.contacts).toHaveLength(0);
    expect(r.requests[3]!.header('expires')).toBe('60');
    expect(listedContacts(r.responses[3]!)).toEqual([
      { uri: `sip:2005@127.0.0.1:${r.localPort};transport=UDP`, expires: 60 },
    ]);
  });

  describe('raw UDP', () => {
    let ch: SipChannel;
    beforeAll(async () => {
      ch = await openUdp(target);
    });
    afterAll(async () => {
      await ch?.close();
    });

    it('a contact parameter expires below the minimum is refused too, and nothing is bound', async () => {
      const ua = new RegisteringUa(ch, { username: '2006', password: 'pw-2006' });
      const res = await ua.register([contactOf(ch, '2006', ';expires=59')], 3600);
      expect(res.status).toBe(423);
      expect(res.header('min-expires')).toBe('60');
      expect(listedContacts(await ua.fetch())).toEqual([]);
    });

    it("credentials of one user cannot register another user's address-of-record: 403", async () => {
      const ua = new RegisteringUa(ch, { username: '2007', password: 'pw-2007' });
      const res = await ua.request({ user: '2008', contacts: [contactOf(ch, '2007')], expires: 300 });
      expect(res.status).toBe(403);
      expect(res.contacts).toHaveLength(0);
      expect(res.reasonText).toMatch(/address-of-record/);
      const owner = new RegisteringUa(ch, { username: '2008', password: 'pw-2008' });
      expect(listedContacts(await owner.fetch())).toEqual([]);
    });
    it('Expires above REG.MAX_EXPIRES (7200) is granted, capped at 7200', async () => {
      const ua = new RegisteringUa(ch, { username: '2009', password: 'pw-2009' });
      const res = await ua.register([contactOf(ch, '2009')], 100_000);
      expect(res.status, res.toString()).toBe(200);
      expect(listedContacts(res)).toEqual([{ uri: `sip:2009@127.0.0.1:${ch.localPort}`, expires: 7200 }]);
    });

    it('a replayed Authorization (same nonce and nonce-count, new transaction) gets 401 and binds nothing', async () => {
      const ua = new RegisteringUa(ch, { username: '2010', password: 'pw-2010' });
      const own = `sip:2010@127.0.0.1:${ch.localPort}`;
      expect((await ua.register([`<${own}>`], 600)).status).toBe(200);
      // An eavesdropper resends the captured credentials with its own Contact.
      ch.send(
        requestBytes(ch, {
          user: '2010',
          callId: ua.callId,
          cseq: ua.cseq + 10,
          contacts: ['<sip:2010@192.0.2.66:5060>'],
          expires: 600,
          authorization: ua.lastAuthorization,
        }),
      );
      const replayed = await responseTo(ch, ua.cseq + 10);
      expect(replayed.status).toBe(401);
      expect(listedContacts(await ua.fetch()).map((c) => c.uri)).toEqual([own]);
    });

    it('a private identity user@realm as the digest username (IMS phones, Kamailio ha1b) registers its user; a wrong password does not', async () => {
      // 3GPP TS 23.003 §13.3: the IMPI; the HA1 is over the username as sent (RFC 7616 §3.4.2).
      const own = `sip:2011@127.0.0.1:${ch.localPort}`;
      const impi = new RegisteringUa(ch, {
        username: '2011@ims.mnc001.mcc001.3gppnetwork.org',
        password: 'pw-2011',
      });
      const ok = await impi.register([`<${own}>`], 600, { user: '2011' });
      expect(ok.status, ok.toString()).toBe(200);
      expect(listedContacts(ok).map((c) => c.uri)).toEqual([own]);
      const wrong = new RegisteringUa(ch, { username: '2011@ims.lab', password: 'pw-2010' });
      expect((await wrong.register([`<${own}>`], 600, { user: '2011' })).status).toBe(401);
      // Nobody else's address-of-record with it.
      expect((await impi.register([`<${own}>`], 600, { user: '2010' })).status).toBe(403);
    });

    it('a REGISTER older than the binding (same Call-ID, lower CSeq) gets 500 and changes nothing (§10.3 step 7)', async () => {
      const ua = new RegisteringUa(ch, { username: '2010', password: 'pw-2010' });
      const own = `sip:2010@127.0.0.1:${ch.localPort}`;
      expect((await ua.register([`<${own}>`], 900)).status).toBe(200);
      ua.cseq = 0;
      const stale = await ua.register([`<${own}>`], 0);
      expect(stale.status).toBe(500);
      expect(stale.reasonText).toMatch(/CSeq/);
      ua.cseq = 100;
      expect(listedContacts(await ua.fetch())).toEqual([{ uri: own, expires: expect.any(Number) }]);
    });
  });

  it('OPTIONS to the server itself gets 200 with Allow, Accept and Supported, without a challenge', async () => {
    const r = await runSipp({ scenario: 'options.xml', target });
    expect(r.code, r.describe()).toBe(0);
    expect(r.responses.map((m) => m.status)).toEqual([200]);
    const ok = r.responses[0]!;
    expect(ok.has('www-authenticate')).toBe(false);
    const allow = ok.tokens('allow');
    for (const method of ['REGISTER', 'OPTIONS', 'INVITE', 'ACK', 'BYE', 'CANCEL'])
      expect(allow, `Allow: ${ok.header('allow')}`).toContain(method);
    expect(ok.header('accept')).toMatch(/application\/sdp/);
    expect(ok.has('supported')).toBe(true);
    expect(ok.tokens('supported')).toEqual(['path', 'gruu', 'outbound']);
  });

  it('OPTIONS to the server itself that Requires extensions gets 420 naming them all (§8.2.2.3, RFC 4475 bext01)', async () => {
    const ch = await openUdp(target);
    try {
      ch.send(
        requestBytes(ch, {
          method: 'OPTIONS',
          user: '2001',
          callId: `bext01-${Date.now()}`,
          cseq: 8,
          extra: [
            'Require: nothingSupportsThis, nothingSupportsThisEither',
            'Proxy-Require: noProxiesSupportThis',
          ],
        }),
      );
      const res = await responseTo(ch, 8);
      expect(res.status).toBe(420);
      expect(res.tokens('unsupported')).toEqual(['nothingSupportsThis', 'nothingSupportsThisEither']);
    } finally {
      await ch.close();
    }
  });
});
