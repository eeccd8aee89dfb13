// A next hop that cannot be reached over TCP (RFC 3261 §18.4, §17.1.4): the connection is refused, the
// client transaction ends at once with a transport error, and the caller gets the proxy's own final
// answer (503 turned 500, §16.7 step 6) in well under a second instead of after Timer B (32 s).
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_BUILD } from '../../support/processes';
import { removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';
import { RegisteringUa, openUdp, parseResponse } from '../../support/sip-client';
import { targetOf, user, users } from './parties';
import { sendAuthenticated } from './raw-ua';

let server: LabServer;

/** A TCP port nobody listens on (bound, then released). */
async function closedTcpPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', () => ok()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((ok) => s.close(() => ok()));
  return port;
}

describe.skipIf(!HAS_BUILD)('proxy: transport errors towards the callee', () => {
  beforeAll(async () => {
    server = await startLabServer({ users: users(4801, 2) });
  });
  afterAll(async () => {
    if (server) {
      expect(await server.stop()).toBe(0);
      removeDataDir(server.dataDir);
    }
  });

  it('a contact whose TCP port refuses the connection: the caller gets 500 at once', async () => {
    const dead = await closedTcpPort();
    const phone = await openUdp(targetOf(server));
    const caller = await openUdp(targetOf(server));
    try {
      const reg = await new RegisteringUa(phone, user(4802)).register(
        [`<sip:4802@127.0.0.1:${dead};transport=tcp>`],
        300,
      );
      expect(reg.status).toBe(200);
      const started = Date.now();
      const sent = await sendAuthenticated(caller, user(4801), { method: 'INVITE', to: '4802' });
      let final;
      while (final === undefined && Date.now() - started < 5000) {
        for (const b of await caller.collect(100)) {
          const r = parseResponse(b);
          if (r.cseq.seq === sent.cseq && r.status >= 200) final = r;
        }
      }
      expect(final?.status).toBe(500);
      expect(final?.reasonText).toBe(`Server Internal Error (next hop unreachable: TCP 127.0.0.1:${dead})`);
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await phone.close();
      await caller.close();
    }
  });
});
