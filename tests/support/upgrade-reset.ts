// A WebSocket upgrade whose client resets the connection (TCP RST: SO_LINGER 0, as a probe or a killed
// browser does) as soon as it has sent it: the server's answer, a refusal or a switch, meets a socket
// reset under it.
import { connect } from 'node:net';

/** Sends an upgrade to `path` on 127.0.0.1:port with `headers`, then resets; resolves once closed. */
export function resetAfterUpgrade(port: number, path: string, headers = ''): Promise<void> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1', () =>
      s.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n${headers}\r\n`,
        () => s.resetAndDestroy(),
      ),
    );
    s.on('error', () => undefined);
    s.on('close', () => resolve());
  });
}
