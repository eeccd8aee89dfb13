// The message tap on connections IMS Lab opens itself (TCP and TLS towards a callee): our end is the
// connection's ephemeral port, as a capture shows it, not the listener's port, both for the request
// sent and for the responses that come back over that connection.
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { CounterSet } from '../../../../core/observe/counters';
import type { TappedMessage } from '../../../../core/sip/transport/message-tap';
import { selfSignedCertificate } from '../../../../core/sip/transport/self-signed';
import { SipTransport } from '../../../../core/sip/transport/sip-transport';

const credentials = selfSignedCertificate(['127.0.0.1']);

const invite = (transport: string, port: number): string =>
  `INVITE sip:2001@127.0.0.1:${port} SIP/2.0\r\nVia: SIP/2.0/${transport} 127.0.0.1;branch=z9hG4bKout1\r\n` +
  `Max-Forwards: 70\r\nFrom: <sip:1001@ims.lab>;tag=a\r\nTo: <sip:2001@ims.lab>\r\nCall-ID: out-1\r\n` +
  `CSeq: 1 INVITE\r\nContact: <sip:1001@127.0.0.1>\r\nContent-Length: 0\r\n\r\n`;

const ringing = (transport: string): string =>
  `SIP/2.0 180 Ringing\r\nVia: SIP/2.0/${transport} 127.0.0.1;branch=z9hG4bKout1\r\n` +
  `From: <sip:1001@ims.lab>;tag=a\r\nTo: <sip:2001@ims.lab>;tag=b\r\nCall-ID: out-1\r\n` +
  `CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n`;

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** A callee that answers the first message with a 180 and tells the port the INVITE came from. */
async function callee(server: Server, transport: string): Promise<{ port: number; from: Promise<number> }> {
  let seen!: (port: number) => void;
  const from = new Promise<number>((r) => (seen = r));
  const sockets = new Set<Socket>();
  server.on(transport === 'TLS' ? 'secureConnection' : 'connection', (s: Socket) => {
    sockets.add(s);
    s.once('data', () => {
      seen(s.remotePort!);
      s.write(ringing(transport));
    });
  });
  const port = await new Promise<number>((r) =>
    server.listen(0, '127.0.0.1', () => r((server.address() as { port: number }).port)),
  );
  cleanup.push(() => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((r) => server.close(() => r()));
  });
  return { port, from };
}

async function started(): Promise<SipTransport> {
  const t = new SipTransport(
    { host: '127.0.0.1', port: 0, tcp: true, tls: { port: 0, credentials } },
    new CounterSet(),
  );
  t.attach({ onRequest: () => undefined, onResponse: () => undefined });
  await t.start();
  cleanup.push(() => t.stop());
  return t;
}

describe('the tap on a connection we open', () => {
  for (const transport of ['TCP', 'TLS'] as const) {
    it(`${transport}: the INVITE and the 180 name the connection's ephemeral port as ours`, async () => {
      const t = await started();
      const server = transport === 'TLS' ? createTlsServer(credentials) : createNetServer();
      const { port, from } = await callee(server, transport);
      const seen: string[] = [];
      t.tap.on((m: TappedMessage) =>
        seen.push(
          `${m.direction} ${m.transport} ${m.local.address}:${m.local.port} ${m.remote.address}:${m.remote.port}`,
        ),
      );
      t.send(Buffer.from(invite(transport, port)), { transport, address: '127.0.0.1', port }, 'INVITE');
      const ephemeral = await from;
      for (let i = 0; i < 40 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 25));
      const listener = transport === 'TLS' ? t.tlsPort : t.tcpPort;
      expect(ephemeral).not.toBe(listener);
      expect(seen).toEqual([
        `out ${transport} 127.0.0.1:${ephemeral} 127.0.0.1:${port}`,
        `in ${transport} 127.0.0.1:${ephemeral} 127.0.0.1:${port}`,
      ]);
    });
  }
});
