// Password guessing is slowed to nothing (core/sip/auth/lockout.ts): with AUTH.LOCKOUT_FAILURES 3, the
// third wrong answer for one user name from one address locks that pair out: 403 with Retry-After, and
// even the right password is refused from there while the lock lasts; another user behind the same
// address, and the same user from another address, are not affected. A nonce is good only from the
// address it was given to: wrong passwords under another address's nonce (a forged UDP source) are not
// counted. Its own server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerChallenge } from '../../../core/sip/auth/digest';
import { HAS_BUILD } from '../../support/processes';
import { removeDataDir, runMml, startLabServer, type LabServer } from '../../support/lab-server';
import {
  RegisteringUa,
  contactOf,
  listedContacts,
  openUdp,
  requestBytes,
  requestUriOf,
  responseTo,
  type SipChannel,
} from '../../support/sip-client';

const dave = { username: '8001', password: 'pw-8001' };
const erin = { username: '8002', password: 'pw-8002' };
const config = { 'AUTH.LOCKOUT_FAILURES': 3, 'AUTH.LOCKOUT_WINDOW': 60, 'AUTH.LOCKOUT_SECONDS': 90 };
const ADMIN = 'lockout-admin';

describe.skipIf(!HAS_BUILD)('registrar lockout after repeated failures', () => {
  let server: LabServer;
  let ch: SipChannel;

  beforeAll(async () => {
    server = await startLabServer({
      users: [dave, erin],
      config,
      env: { IMS_ADMIN_PASSWORD: ADMIN, LOG_LEVEL: 'DEBUG' },
    });
    ch = await openUdp({ host: server.host, port: server.udpPort });
  });

  afterAll(async () => {
    await ch?.close();
    if (server === undefined) return;
    expect(await server.stop()).toBe(0);
    removeDataDir(server.dataDir);
  });

  it('the third wrong password gets 403 with Retry-After; then even the right one is refused', async () => {
    const guesser = new RegisteringUa(ch, { username: '8001', password: 'guess' });
    const contact = contactOf(ch, '8001');
    expect((await guesser.register([contact], 600)).status).toBe(401);
    expect((await guesser.register([contact], 600)).status).toBe(401);
    const locked = await guesser.register([contact], 600);
    expect(locked.status, locked.toString()).toBe(403);
    expect(locked.reasonText).toMatch(/too many failed attempts/);
    expect(Number(locked.header('retry-after'))).toBe(90);

    const owner = new RegisteringUa(ch, dave);
    // Still challenged (the lock says nothing before credentials name the user), then refused.
    const refused = await owner.register([contact], 600);
    expect(refused.status, refused.toString()).toBe(403);
    expect(Number(refused.header('retry-after'))).toBeGreaterThan(80);
    expect(refused.contacts).toHaveLength(0);
    expect(listedContacts(refused)).toEqual([]);

    // A neighbour behind the same address with the right password is not locked out.
    const neighbour = new RegisteringUa(ch, erin);
    expect((await neighbour.register([contactOf(ch, '8002')], 600)).status).toBe(200);

    // The same user from another address registers.
    const elsewhere = await openUdp({ host: server.host, port: server.udpPort }, '127.0.0.2');
    try {
      const moved = new RegisteringUa(elsewhere, dave);
      expect((await moved.register([contactOf(elsewhere, '8001')], 600)).status).toBe(200);
    } finally {
      await elsewhere.close();
    }
  });

  it('counts nothing under a nonce given to another address: a forged source locks no phone out (RFC 7616 §5.5)', async () => {
    // The attacker fetches a nonce from its own address (127.0.0.3), then sends wrong passwords from the
    // phone's (127.0.0.4, as a forged UDP source would): more than AUTH.LOCKOUT_FAILURES of them.
    const attacker = await openUdp({ host: server.host, port: server.udpPort }, '127.0.0.3');
    const phone = await openUdp({ host: server.host, port: server.udpPort }, '127.0.0.4');
    try {
      const asker = new RegisteringUa(attacker, { username: '8002', password: 'guess' });
      const challenge = await asker.send({ contacts: [contactOf(attacker, '8002')] });
      expect(challenge.status).toBe(401);
      const nonceOf = (values: string[]) => /nonce="([^"]+)"/.exec(values[0]!)![1];
      const theirs = challenge.headerValues('www-authenticate');
      const forged = new RegisteringUa(phone, { username: '8002', password: 'guess' });
      for (let nc = 1; nc <= 4; nc++) {
        const authorization = answerChallenge(theirs, forged.creds, 'REGISTER', requestUriOf(phone), nc);
        const cseq = ++forged.cseq;
        phone.send(
          requestBytes(phone, {
            user: '8002',
            callId: forged.callId,
            fromTag: forged.fromTag,
            cseq,
            contacts: [contactOf(phone, '8002')],
            authorization,
          }),
        );
        const answer = await responseTo(phone, cseq);
        // A fresh challenge for the phone's own address, not stale (its response was never checked).
        expect(answer.status, answer.toString()).toBe(401);
        expect(nonceOf(answer.headerValues('www-authenticate'))).not.toBe(nonceOf(theirs));
        expect(answer.toString()).not.toMatch(/stale=true/i);
      }
      await server.child.waitFor(
        /auth: challenged 8002 \(REGISTER\) from 127\.0\.0\.4:\d+ \(UDP\), Call-ID \S+: a nonce given to 127\.0\.0\.3, not to this address \(not checked, not counted\)/,
        5000,
      );
      const locks = await runMml(server, ADMIN, 'DSP LOCKOUT');
      const sources = locks.results[0]!.tables[0]!.rows.map((row) => row[0]);
      expect(sources).not.toContain('127.0.0.4');
      expect(server.child.output()).not.toMatch(/auth: failed for 8002/);
      // The phone itself, with its own nonce and the right password, registers.
      const owner = new RegisteringUa(phone, erin);
      expect((await owner.register([contactOf(phone, '8002')], 600)).status).toBe(200);
    } finally {
      await attacker.close();
      await phone.close();
    }
  });
});
