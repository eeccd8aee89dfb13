// The Trace view's live list follows what the trace holds: against the built server with a ring of 20
// messages and trace.db off, a console subscribed to the trace topic hears each dialog the ring lets go,
// marked gone, after the updates that listed it (OPTIONS over a raw UDP socket, two messages a dialog).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_BUILD } from '../../support/processes';
import { consoleUrl, removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';
import { Console, login } from '../../support/console-client';
import { openUdp, requestBytes } from '../../support/sip-client';

const PASSWORD = 'trace-gone-test';

describe.skipIf(!HAS_BUILD)('the trace topic tells of dialogs the ring lets go', () => {
  let server: LabServer;

  beforeAll(async () => {
    server = await startLabServer({
      config: { 'TRACE.RING_MESSAGES': 20 },
      env: { IMS_ADMIN_PASSWORD: PASSWORD },
    });
  });

  afterAll(async () => {
    if (server === undefined) return;
    await server.stop();
    removeDataDir(server.dataDir);
  });

  it('30 OPTIONS dialogs through a ring of 20 messages: the first 20 are told gone, the last 10 are not', async () => {
    const base = await consoleUrl(server);
    const c = await Console.open(base, await login(base, PASSWORD));
    expect(await c.request({ op: 'subscribe', topics: ['trace'] })).toMatchObject({ ok: true });
    const ch = await openUdp({ host: server.host, port: server.udpPort });
    try {
      for (let n = 0; n < 30; n++) {
        ch.send(requestBytes(ch, { method: 'OPTIONS', user: 'probe', callId: `gone-${n}@test`, cseq: 1 }));
        await ch.next(3000); // its 200: the dialog has both its messages
      }
      const goneIds = async (): Promise<string[]> => {
        for (const until = Date.now() + 5000; Date.now() < until;) {
          const ids = c.events
            .filter((e) => e.topic === 'trace' && e.data.gone === true)
            .map((e) => e.data.callId);
          if (ids.length >= 20) return ids as string[];
          await new Promise((r) => setTimeout(r, 50));
        }
        return [];
      };
      const gone = await goneIds();
      expect(new Set(gone)).toEqual(new Set(Array.from({ length: 20 }, (_, n) => `gone-${n}@test`)));
      const listed = c.events
        .filter((e) => e.topic === 'trace' && e.data.gone !== true)
        .map((e) => e.data.callId);
      expect(listed).toContain('gone-29@test');
    } finally {
      await ch.close();
      c.ws.close();
    }
  });
});
