// Bindings survive a restart: the location service writes them behind to SQLite and loads them at
// start. Registered with SIPp and a raw UDP socket, the server stopped with SIGTERM (exit 0) and started
// again on the same data folder; a fetch then lists the same bindings with their remaining time, and a
// binding that expired while the server was down is gone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_BUILD } from '../../support/processes';
import { removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';
import { HAS_SIPP, runSipp } from '../../support/sipp';
import { RegisteringUa, listedContacts, openUdp } from '../../support/sip-client';

const carol = { username: '5001', password: 'pw-5001' };
const config = { 'REG.MIN_EXPIRES': 1 };

describe.skipIf(!HAS_BUILD || !HAS_SIPP)('registrar bindings across a restart', () => {
  let server: LabServer;

  beforeAll(async () => {
    server = await startLabServer({ users: [carol], config });
  });

  afterAll(async () => {
    if (server === undefined) return;
    expect(await server.stop()).toBe(0);
    removeDataDir(server.dataDir);
  });

  it('SIGTERM, start again on the same data folder: the bindings are still there', async () => {
    // A short binding that will expire while the server is down.
    const ch = await openUdp({ host: server.host, port: server.udpPort });
    const shortContact = `sip:5001-short@127.0.0.1:${ch.localPort}`;
    const deskContact = `sip:5001-desk@127.0.0.1:${ch.localPort}`;
    let shortBoundAt: number;
    try {
      const ua = new RegisteringUa(ch, carol);
      const res = await ua.register([`<${shortContact}>;expires=1`, `<${deskContact}>;q=0.7`], 3600);
      shortBoundAt = Date.now();
      expect(res.status, res.toString()).toBe(200);
    } finally {
      await ch.close();
    }
    const sipp = await runSipp({
      scenario: 'register_auth.xml',
      target: { host: server.host, port: server.udpPort },
      users: [carol],
      keys: { expires: 3600 },
    });
    expect(sipp.code, sipp.describe()).toBe(0);
    const sippContact = `sip:5001@127.0.0.1:${sipp.localPort};transport=UDP`;
    expect(listedContacts(sipp.responses[1]!).map((c) => c.uri)).toContain(sippContact);

    const dataDir = server.dataDir;
    expect(await server.stop()).toBe(0);
    expect(server.child.output()).toMatch(/SIGTERM: stopped/);
    // Let the short binding expire while nothing runs.
    await new Promise((r) => setTimeout(r, Math.max(0, 1200 - (Date.now() - shortBoundAt))));

    server = await startLabServer({ dataDir });
    expect(server.bindingsLoaded, server.child.output()).toBe(2);

    const fetched = await runSipp({
      scenario: 'fetch.xml',
      target: { host: server.host, port: server.udpPort },
      users: [carol],
    });
    expect(fetched.code, fetched.describe()).toBe(0);
    const ok = fetched.responses[1]!;
    expect(ok.status).toBe(200);
    const listed = listedContacts(ok);
    expect(listed.map((c) => c.uri).sort()).toEqual([deskContact, sippContact].sort());
    for (const c of listed) {
      expect(c.expires).toBeGreaterThan(3590);
      expect(c.expires).toBeLessThanOrEqual(3600);
    }
    // The q value was stored with the binding.
    expect(ok.contacts.find((c) => c.uriText === deskContact)!.raw).toMatch(/;q=0\.7/);
  });
});
