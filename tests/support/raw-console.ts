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

/** A client's text frame (RFC 6455 §5.2: FIN, masked with a zero key, which leaves the bytes as they are). */
export function textFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const n = payload.length;
  let length: Buffer;
  if (n < 126) length = Buffer.from([0x80 | n]);
  else if (n < 65536) length = Buffer.from([0x80 | 126, n >> 8, n & 0xff]);
  else {
    length = Buffer.alloc(9);
    length[0] = 0x80 | 127;
    length.writeBigUInt64BE(BigInt(n), 1);
  }
  return Buffer.concat([Buffer.from([0x81]), length, Buffer.alloc(4), payload]);
}

/**
 * Reads the server's frames (unmasked, RFC 6455 §5.2) from a raw console, resumed, until its close frame:
 * the text frames before it, and the close frame's code and reason (code 1005 when the socket ended
 * without one).
 */
export function readUntilClose(socket: Socket): Promise<{ texts: string[]; code: number; reason: string }> {
  return new Promise((resolve) => {
    let buffer = Buffer.alloc(0);
    const texts: string[] = [];
    const done = (code: number, reason: string): void => {
      socket.off('data', onData);
      resolve({ texts, code, reason });
    };
    const onData = (chunk: Buffer): void => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (buffer.length < 2) return;
        const opcode = buffer[0]! & 0x0f;
        let n = buffer[1]! & 0x7f;
        let at = 2;
        if (n === 126) {
          if (buffer.length < 4) return;
          n = buffer.readUInt16BE(2);
          at = 4;
        } else if (n === 127) {
          if (buffer.length < 10) return;
          n = Number(buffer.readBigUInt64BE(2));
          at = 10;
        }
        if (buffer.length < at + n) return;
        const payload = buffer.subarray(at, at + n);
        buffer = buffer.subarray(at + n);
        if (opcode === 0x1) texts.push(payload.toString('utf8'));
        if (opcode === 0x8) {
          done(n >= 2 ? payload.readUInt16BE(0) : 1005, payload.subarray(2).toString('utf8'));
          return;
        }
      }
    };
    socket.on('data', onData);
    socket.once('close', () => done(1005, ''));
    socket.resume();
  });
}
