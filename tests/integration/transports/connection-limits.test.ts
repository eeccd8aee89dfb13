// Connection limits and handshake/idle timeouts (RFC 5626 §4.4 keeps connections; a lab appliance must
// still not run out of descriptors): against a server allowing 16 connections per listener and 2 s for
// a TLS handshake or WebSocket upgrade (1 s idle for TCP), 150 connections that never complete a
// handshake (half of them send a partial one) are opened to each of TCP, TLS and WSS. The server's own
// descriptor count (/proc/<pid>/fd) never grows by more than the limit (plus a little for its
// database and console), every connection beyond the limit is closed at once, the rest when their
// timeout passes, and a real client then registers over TLS as if nothing happened. Bounded: 450
// connections in all, each wait capped.
import { existsSync, readdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_BUILD } from '../../support/processes';
import { removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';
import { RegisteringUa } from '../../support/sip-client';
import { openTls } from '../../support/secure-channels';
import { user, users } from '../proxy/parties';
import { eventually, listenerPorts, type ListenerPorts } from './listeners';

const LIMIT = 16;
const FLOOD = 150;
/** Descriptors the server may open meanwhile for other reasons (database journal, log file). */
const SLACK = 6;

const fds = (pid: number): number => readdirSync(`/proc/${pid}/fd`).length;

describe.skipIf(!HAS_BUILD || !existsSync('/proc/self/fd'))('transports: connection limits', () => {
  let server: LabServer;
  let ports: ListenerPorts;

  beforeAll(async () => {
    server = await startLabServer({
      users: users(4801, 1),
      config: {
        'SIP.TCP_MAX_CONNECTIONS': LIMIT,
        'SIP.TLS_MAX_CONNECTIONS': LIMIT,
        'SIP.WS_MAX_CONNECTIONS': LIMIT,
        'SIP.HANDSHAKE_TIMEOUT': 2,
        'SIP.TCP_IDLE_TIMEOUT': 1,
      },
    });
    ports = await listenerPorts(server);
  });

  afterAll(async () => {
    if (server !== undefined) {
      expect(await server.stop()).toBe(0);
      removeDataDir(server.dataDir);
    }
  });

  for (const transport of ['TCP', 'TLS', 'WSS'] as const) {
    it(`${FLOOD} never-finished handshakes on ${transport} hold at most ${LIMIT} descriptors, then none`, async () => {
      const port = transport === 'TCP' ? ports.tcp : transport === 'TLS' ? ports.tls : ports.wss;
      const base = fds(server.pid);
      let peak = base;
      let closed = 0;
      const sockets: Socket[] = [];
      for (let i = 0; i < FLOOD; i++) {
        const s = connect({ host: '127.0.0.1', port });
        s.on('error', () => undefined);
        s.once('close', () => closed++);
        // Half-open in the TLS sense: the first bytes of a ClientHello (or of an HTTP request), never the rest.
        if (i % 2 === 1)
          s.once('connect', () =>
            s.write(transport === 'WSS' ? Buffer.from([0x16, 0x03, 0x01]) : 'GET / HTTP/1.1\r\n'),
          );
        sockets.push(s);
        peak = Math.max(peak, fds(server.pid));
      }
      // Beyond the limit, connections are closed as they arrive.
      await eventually(
        'the connections beyond the limit closed',
        () => {
          peak = Math.max(peak, fds(server.pid));
          return closed;
        },
        (n) => n >= FLOOD - LIMIT,
        10_000,
      );
      expect(peak - base, `peak ${peak}, base ${base}`).toBeLessThanOrEqual(LIMIT + SLACK);
      // The rest when the handshake (idle, for TCP) timeout passes.
      await eventually(
        'every connection closed',
        () => closed,
        (n) => n === FLOOD,
        15_000,
      );
      await eventually(
        'the descriptors released',
        () => fds(server.pid),
        (n) => n <= base + 2,
        5000,
      );
      for (const s of sockets) s.destroy();

      // The service is intact: a real client registers over TLS.
      const ch = await openTls({ host: '127.0.0.1', port: ports.tls });
      try {
        const res = await new RegisteringUa(ch, user(4801)).register(
          [`<sip:4801@${ch.localHost}:${ch.localPort};transport=tls>`],
          0,
        );
        expect(res.status, res.toString()).toBe(200);
      } finally {
        await ch.close();
      }
    });
  }
});
