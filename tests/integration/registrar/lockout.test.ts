// Password guessing is slowed to nothing (core/sip/auth/lockout.ts): with AUTH.LOCKOUT_FAILURES 3, the
// third wrong answer from one address locks it out: 403 with Retry-After, and even the right password
// is refused while the lock lasts. Its own server: the lock covers 127.0.0.1, where every test runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_BUILD } from '../../support/processes';
import { removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';
import { RegisteringUa, contactOf, listedContacts, openUdp, type SipChannel } from '../../support/sip-client';

const dave = { username: '8001', password: 'pw-8001' };
const config = { 'AUTH.LOCKOUT_FAILURES': 3, 'AUTH.LOCKOUT_WINDOW': 60, 'AUTH.LOCKOUT_SECONDS': 90 };

describe.skipIf(!HAS_BUILD)('registrar lockout after repeated failures', () => {
  let server: LabServer;
  let ch: SipChannel;

  beforeAll(async () => {
    server = await startLabServer({ users: [dave], config });
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
    // No challenge any more: the source is refused whatever it sends.
    const refused = await owner.send({ contacts: [contact], expires: 600 });
    expect(refused.status).toBe(403);
    expect(Number(refused.header('retry-after'))).toBeGreaterThan(80);
    expect(refused.contacts).toHaveLength(0);
    expect(listedContacts(refused)).toEqual([]);
  });
});
