// A console on the WebSocket written by hand (net, not ws), for tests of consoles that misbehave: it
// stops reading (a paused socket: a stopped browser or process).
import { connect, type Socket } from 'node:net';

/**
 * A console on /ws by hand (net, not ws): upgraded, then paused, so that it reads nothing the server
 * sends (a close frame, a ping, answers), as a stopped browser or process. It can still send; resume()
 * lets it read again.
 */
export async function rawConsole(port: number, token: string, host = '127.0.0.1'): Promise<Socket> {
  const socket = connect(port, host);
  socket.write(
    `GET /ws?token=${token} HTTP/1.1\r\nHost: ${host}:${port}\r\nUpgrade: websocket\r\n` +
      'Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  );
  await new Promise<void>((resolve, reject) => {
    let head = '';
    const onData = (chunk: Buffer): void => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      socket.pause();
      if (head.startsWith('HTTP/1.1 101 ')) resolve();
      else reject(new Error(`upgrade refused: ${head.split('\r\n')[0]}`));
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
  return socket;
}
