// TCP peers of a listener under test, on loopback: each connected before it is handed back, its errors
// (a reset by the listener, as some tests want) swallowed, every one closed after each test.
import { connect, type Socket } from 'node:net';
import { afterEach } from 'vitest';

/** A function that connects a new peer to 127.0.0.1:port; the peers are destroyed after each test. */
export function useTcpPeers(): (port: number) => Promise<Socket> {
  const open: Socket[] = [];
  afterEach(() => {
    for (const s of open.splice(0)) s.destroy();
  });
  return async (port) => {
    const s = connect(port, '127.0.0.1');
    open.push(s);
    s.on('error', () => undefined);
    await new Promise<void>((ok) => s.once('connect', () => ok()));
    return s;
  };
}
