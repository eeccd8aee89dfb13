// SHA-256 digest (RFC 8760) end to end: the built headless server with AUTH.ALGORITHMS "SHA-256,MD5"
// offers two challenges, SHA-256 first, and accepts an answer computed by IMS Lab's own client code
// (answerChallenge from core/sip/auth/digest.ts) over a raw UDP socket. SIPp 3.6 has no SHA-256.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAuthHeader } from '../../../core/sip/auth/auth-params';
import { HAS_BUILD } from '../../support/processes';
import { removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';
import { RegisteringUa, contactOf, listedContacts, openUdp, type SipChannel } from '../../support/sip-client';

const alice = { username: '6001', password: 'sha-pw-6001' };
const bob = { username: '6002', password: 'sha-pw-6002' };

describe.skipIf(!HAS_BUILD)('registrar with AUTH.ALGORITHMS "SHA-256,MD5"', () => {
  let server: LabServer;
  let ch: SipChannel;

  beforeAll(async () => {
    server = await startLabServer({ users: [alice, bob], config: { 'AUTH.ALGORITHMS': 'SHA-256,MD5' } });
    ch = await openUdp({ host: server.host, port: server.udpPort });
  });

  afterAll(async () => {
    await ch?.close();
    if (server === undefined) return;
    expect(await server.stop()).toBe(0);
    removeDataDir(server.dataDir);
  });

  it('the 401 carries two WWW-Authenticate headers, SHA-256 first, sharing one nonce', async () => {
    const res = await new RegisteringUa(ch, alice).send({ contacts: [contactOf(ch, '6001')], expires: 300 });
    expect(res.status).toBe(401);
    const challenges = res.headerValues('www-authenticate');
    expect(challenges).toHaveLength(2);
    const parsed = challenges.map((v) => parseAuthHeader(v)!);
    expect(parsed.map((h) => h.scheme)).toEqual(['Digest', 'Digest']);
    expect(parsed.map((h) => h.params.get('algorithm'))).toEqual(['SHA-256', 'MD5']);
    for (const h of parsed) {
      expect(h.params.get('realm')).toBe('ims.lab');
      expect(h.params.get('qop')).toBe('auth');
    }
    expect(parsed[0]!.params.get('nonce')).toBeTruthy();
    expect(parsed[1]!.params.get('nonce')).toBe(parsed[0]!.params.get('nonce'));
  });

  it('REGISTER answered with SHA-256 by answerChallenge gets 200 listing the contact', async () => {
    const ua = new RegisteringUa(ch, alice);
    const res = await ua.register([contactOf(ch, '6001')], 300);
    const sent = parseAuthHeader(ua.lastAuthorization!)!;
    expect(sent.params.get('algorithm')).toBe('SHA-256');
    expect(sent.params.get('response')).toMatch(/^[0-9a-f]{64}$/);
    expect(res.status, res.toString()).toBe(200);
    expect(listedContacts(res)).toEqual([{ uri: `sip:6001@127.0.0.1:${ch.localPort}`, expires: 300 }]);
  });

  it('the MD5 challenge offered second is still honoured', async () => {
    const md5Only = (cs: string[]): string[] => cs.filter((c) => /algorithm=MD5\b/.test(c));
    const ua = new RegisteringUa(ch, bob, md5Only);
    const res = await ua.register([contactOf(ch, '6002')], 300);
    expect(parseAuthHeader(ua.lastAuthorization!)!.params.get('algorithm')).toBe('MD5');
    expect(res.status, res.toString()).toBe(200);
  });

  it('a SHA-256 answer with the wrong password gets 401 again and binds nothing', async () => {
    const ua = new RegisteringUa(ch, { username: '6002', password: 'wrong' });
    const res = await ua.register([`<sip:6002-evil@127.0.0.1:${ch.localPort}>`], 300);
    expect(parseAuthHeader(ua.lastAuthorization!)!.params.get('algorithm')).toBe('SHA-256');
    expect(res.status).toBe(401);
    expect(res.headerValues('www-authenticate')).toHaveLength(2);
    const listed = listedContacts(await new RegisteringUa(ch, bob).fetch());
    expect(listed.map((c) => c.uri)).toEqual([`sip:6002@127.0.0.1:${ch.localPort}`]);
  });
});
