// A server bound to one address (SIP_HOST=127.0.0.2) opens its TCP connections from that address, as its
// Via and Record-Route name it: they left from 127.0.0.1 (the system's choice), and a peer that trusts or
// filters by source (Kamailio's permissions, a trunk's ACL) saw a stranger. Real loopback sockets.
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TcpListener } from '../../../../core/sip/transport/tcp';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const c of closers.splice(0)) c();
});

function listenOn(server: Server, host: string): Promise<number> {
  return new Promise((ok) => server.listen(0, host, () => ok((server.address() as { port: number }).port)));
}

async function sourceOfConnection(bindHost: string): Promise<string> {
  const tcp = new TcpListener(() => undefined, { maxMessageSize: 65535 });
  await tcp.listen(bindHost, 0);
  closers.push(() => void tcp.close());
  const sources: string[] = [];
  const peer = createServer((s: Socket) => sources.push(s.remoteAddress ?? ''));
  const port = await listenOn(peer, '127.0.0.1');
  closers.push(() => peer.close());
  tcp.send(Buffer.from('OPTIONS sip:x@127.0.0.1 SIP/2.0\r\n\r\n'), '127.0.0.1', port, {
    transportError: () => sources.push('error'),
  });
  for (let i = 0; i < 80 && sources.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
  return sources[0] ?? 'nothing';
}

describe('outgoing TCP connections', () => {
  it('leave from the address SIP_HOST names', async () => {
    expect(await sourceOfConnection('127.0.0.2')).toBe('127.0.0.2');
  });

  it('from the system’s choice when SIP_HOST is any address', async () => {
    expect(await sourceOfConnection('0.0.0.0')).toBe('127.0.0.1');
  });
});
