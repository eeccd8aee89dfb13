// A WebSocket peer that drips a message (RFC 7118 over RFC 6455), over real loopback sockets: a message
// begun must arrive whole within messageTimeoutMs (SIP.MESSAGE_TIMEOUT) of the last whole one, as on
// TCP and TLS (tcp-slow-peers.test.ts). Before, each dripped byte reset the idle timer: a frame announced
// 1000 bytes long and sent a byte every 5 s held its connection for ever. A busy peer whose frames are
// split across reads, one that only pings, and frames sent with the upgrade itself are not closed.
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WsListener } from '../../../../core/sip/transport/ws';

let listener: WsListener | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await listener?.close();
  listener = undefined;
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A client frame (masked with a zero key, so the payload reads as sent). */
function frame(opcode: number, payload: Buffer | string, fin = true): Buffer {
  const p = Buffer.from(payload);
  const len =
    p.length < 126
      ? Buffer.from([0x80 | p.length])
      : Buffer.from([0x80 | 126, p.length >> 8, p.length & 0xff]);
  return Buffer.concat([Buffer.from([(fin ? 0x80 : 0) | opcode]), len, Buffer.alloc(4), p]);
}

const UPGRADE =
  'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: sip\r\n\r\n';

const OPTIONS =
  'OPTIONS sip:a@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/WS x.invalid;branch=z9hG4bK-s\r\n' +
  'Max-Forwards: 70\r\nFrom: <sip:b@127.0.0.1>;tag=1\r\nTo: <sip:a@127.0.0.1>\r\nCall-ID: slow\r\n' +
  'CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n';

interface RawPeer {
  socket: Socket;
  closed: () => boolean;
  /** Everything read after the 101. */
  read: () => Buffer;
}

/** Waits (at most 3 s) for the peer's connection to close. */
async function closing(peer: RawPeer): Promise<boolean> {
  for (let i = 0; i < 60 && !peer.closed(); i++) await sleep(50);
  return peer.closed();
}

/** A Close frame from the server with status 1008 (RFC 6455 §5.5.1, §7.4.1). */
const CLOSE_1008 = Buffer.from([0x88, 0x11, 0x03, 0xf0, ...Buffer.from('message timeout')]);

/** A raw WebSocket client: upgraded (101 read), `first` sent with the upgrade request itself. */
async function open(port: number, first: Buffer = Buffer.alloc(0)): Promise<RawPeer> {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  socket.on('error', () => undefined);
  let closed = false;
  socket.once('close', () => (closed = true));
  const after: Buffer[] = [];
  await new Promise<void>((ok) => socket.once('connect', () => ok()));
  socket.write(Buffer.concat([Buffer.from(UPGRADE), first]));
  await new Promise<void>((ok, fail) => {
    let got = '';
    const read = (d: Buffer): void => {
      got += d.toString('latin1');
      if (!got.includes('\r\n\r\n')) return;
      socket.off('data', read);
      socket.on('data', (d: Buffer) => after.push(d));
      if (got.startsWith('HTTP/1.1 101')) ok();
      else fail(new Error(got));
    };
    socket.on('data', read);
  });
  return { socket, closed: () => closed, read: () => Buffer.concat(after) };
}

function slowListener(frames: Buffer[]): WsListener {
  return new WsListener((data) => frames.push(data), {
    maxConnections: 10,
    idleTimeoutMs: 60_000,
    handshakeTimeoutMs: 2000,
    maxMessageSize: 65_535,
    messageTimeoutMs: 300,
    origins: [],
  });
}

describe('WebSocket peers that hold connections', () => {
  it('a frame dripped byte by byte is closed after messageTimeoutMs; a busy split stream is not', async () => {
    const frames: Buffer[] = [];
    listener = slowListener(frames);
    const port = await listener.listen('127.0.0.1', 0);
    const slow = await open(port);
    const busy = await open(port);
    const pinger = await open(port);
    // The slow one announces a 1000-byte text frame and sends a byte every 100 ms; the busy one sends
    // whole messages in pieces that end mid-frame every time; the third only pings.
    slow.socket.write(Buffer.concat([Buffer.from([0x81, 0x80 | 126, 0x03, 0xe8]), Buffer.alloc(4)]));
    const stream = Buffer.concat(Array.from({ length: 20 }, () => frame(0x1, OPTIONS)));
    const piece = 170; // shorter than a frame: every read ends in the middle of one
    for (let i = 0; i < 10; i++) {
      if (!slow.closed()) slow.socket.write('A');
      busy.socket.write(stream.subarray(i * piece, (i + 1) * piece));
      pinger.socket.write(frame(0x9, 'p'));
      await sleep(100);
    }
    busy.socket.write(stream.subarray(10 * piece));
    await sleep(100);
    expect(await closing(slow)).toBe(true);
    expect(slow.read()).toEqual(CLOSE_1008);
    expect(busy.closed()).toBe(false);
    expect(pinger.closed()).toBe(false);
    expect(frames.map((f) => f.toString())).toEqual(Array.from({ length: 20 }, () => OPTIONS));
  });

  it('a fragmented message kept open with Pings between its frames is closed', async () => {
    listener = slowListener([]);
    const port = await listener.listen('127.0.0.1', 0);
    const peer = await open(port);
    peer.socket.write(frame(0x1, 'OPTIONS ', false));
    for (let i = 0; i < 10 && !peer.closed(); i++) {
      peer.socket.write(frame(0x9, 'p'));
      await sleep(100);
    }
    expect(await closing(peer)).toBe(true);
    expect(peer.read().subarray(-CLOSE_1008.length)).toEqual(CLOSE_1008);
  });

  it('frames sent with the upgrade are read in step (a whole message is not taken for a partial one)', async () => {
    const frames: Buffer[] = [];
    listener = slowListener(frames);
    const port = await listener.listen('127.0.0.1', 0);
    const peer = await open(port, frame(0x1, OPTIONS));
    await sleep(600);
    expect(peer.closed()).toBe(false);
    expect(frames.map((f) => f.toString())).toEqual([OPTIONS]);
  });
});
