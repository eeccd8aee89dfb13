// Password guessing is slowed to nothing (core/sip/auth/lockout.ts): with AUTH.LOCKOUT_FAILURES 3, the
// third wrong answer for one user name from one address locks that pair out: 403 with Retry-After, and
// even the right password is refused from there while the lock lasts; another user behind the same
// address, and the same user from another address, are not affected. Its own server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_BUILD } from '../../support/processes';
import { removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';
import { RegisteringUa, contactOf, listedContacts, openUdp, type SipChannel } from '../../support/sip-client';

const dave = { username: '8001', password: 'pw-8001' };
const erin = { username: '8002', password: 'pw-8002' };
const config = { 'AUTH.LOCKOUT_FAILURES': 3, 'AUTH.LOCKOUT_WINDOW': 60, 'AUTH.LOCKOUT_SECONDS': 90 };

describe.skipIf(!HAS_BUILD)('registrar lockout after repeated failures', () => {
  let server: LabServer;
  let ch: SipChannel;

  beforeAll(async () => {
    server = await startLabServer({ users: [dave, erin], config });
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
});
