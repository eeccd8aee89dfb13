// Who a failed TLS handshake came from, on a real TLS server on loopback: one refused for its bytes, and
// one whose client reset the connection at once, whose TLS socket has no peer address left by the time
// the server reports it (the log said "TLS handshake failed from : ECONNRESET").
import { connect, type Socket } from 'node:net';
import { createServer, type Server } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../../../../core/sip/transport/self-signed';
import { failedPeerAddress, keepPeerAddresses } from '../../../../core/sip/transport/tls-peer';

const credentials = selfSignedCertificate(['127.0.0.1']);
const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** A TLS server that reports each failed handshake's peer; a client that does `act` once connected. */
async function failure(act: (s: Socket) => void, keep: boolean): Promise<{ code: string; from: string }> {
  const tls = createServer({ cert: credentials.cert, key: credentials.key });
  servers.push(tls);
  if (keep) keepPeerAddresses(tls);
  const failed = new Promise<{ code: string; from: string }>((resolve) =>
    tls.on('tlsClientError', (err, socket) => {
      resolve({ code: (err as NodeJS.ErrnoException).code ?? err.message, from: failedPeerAddress(socket) });
      socket.destroy();
    }),
  );
  await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
  const port = (tls.address() as { port: number }).port;
  const client = connect(port, '127.0.0.1', () => act(client));
  client.on('error', () => undefined);
  return failed;
}

describe('failedPeerAddress', () => {
  it('names the peer of a handshake refused for its bytes', async () => {
    const r = await failure((s) => s.write('not TLS\r\n\r\n'), true);
    expect(r.from).toBe('127.0.0.1');
  });

  it('names the peer of a connection reset before any handshake, its address kept as it came in', async () => {
    const r = await failure((s) => s.resetAndDestroy(), true);
    expect(r).toEqual({ code: 'ECONNRESET', from: '127.0.0.1' });
    // Not kept, it is gone by then.
    expect((await failure((s) => s.resetAndDestroy(), false)).from).toBe('an address already gone');
  });
});
