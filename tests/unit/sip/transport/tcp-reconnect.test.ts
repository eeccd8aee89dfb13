// RFC 3261 §18.2.2 over real loopback sockets: a response goes over the connection its request came on;
// once that has closed, over a new connection to the Via's sent-by (where the client listens).
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TcpListener } from '../../../../core/sip/transport/tcp';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const c of closers.splice(0)) c();
});

function listenOn(server: Server): Promise<number> {
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () => ok((server.address() as { port: number }).port)),
  );
}

describe('TcpListener.send with a way back', () => {
  it('opens a connection to sent-by when the request’s connection has closed', async () => {
    const tcp = new TcpListener(() => undefined, { maxMessageSize: 65535 });
    const port = await tcp.listen('127.0.0.1', 0);
    closers.push(() => void tcp.close());
    // The client listens on its Via port, and sends from another (ephemeral) one.
    const got: Buffer[] = [];
    const clientServer = createServer((s: Socket) => s.on('data', (d) => got.push(d)));
    const sentBy = await listenOn(clientServer);
    closers.push(() => clientServer.close());
    const out = connect(port, '127.0.0.1');
    await new Promise<void>((ok) => out.once('connect', () => ok()));
    const ephemeral = out.localPort!;
    out.write('\r\n\r\n'); // a keep-alive: the listener now holds this connection
    await new Promise((r) => setTimeout(r, 50));
    out.destroy();
    await new Promise((r) => setTimeout(r, 50));
    const failures: string[] = [];
    tcp.send(
      Buffer.from('SIP/2.0 200 OK\r\n\r\n'),
      '127.0.0.1',
      ephemeral,
      {
        transportError: () => failures.push('error'),
      },
      { address: '127.0.0.1', port: sentBy },
    );
    for (let i = 0; i < 40 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(Buffer.concat(got).toString()).toBe('SIP/2.0 200 OK\r\n\r\n');
    expect(failures).toEqual([]);
  });
});
