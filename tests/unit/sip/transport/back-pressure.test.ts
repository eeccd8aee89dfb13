// A TCP peer that sends and never reads (back-pressure.ts), over real loopback sockets. RFC 5626 §4.4.1's
// pings get a pong per read, not one each; and once what IMS Lab owes a peer passes PAUSE_READING_AT,
// nothing more is read from it until that drains: the peer's own sends wait in the kernel. One connection
// sending double CRLFs without reading the pongs grew the heap by a gigabyte in 20 s and then ended the
// process. When the peer reads again, every message it sent is answered: nothing is lost.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { TcpListener } from '../../../../core/sip/transport/tcp';
import { WsListener } from '../../../../core/sip/transport/ws';
import type { Peer } from '../../../../core/sip/transport/peer';
import { useTcpPeers } from '../../../support/tcp-peers';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const c of closers.splice(0)) c();
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const client = useTcpPeers();

/** Waits until `value()` stops changing for `quietMs` (at most `maxMs`), and returns it. */
async function settled(value: () => number, quietMs = 300, maxMs = 10_000): Promise<number> {
  let last = value();
  let quietSince = Date.now();
  const end = Date.now() + maxMs;
  while (Date.now() < end) {
    await sleep(50);
    const v = value();
    if (v !== last) {
      last = v;
      quietSince = Date.now();
    } else if (Date.now() - quietSince >= quietMs) break;
  }
  return last;
}

const OPTIONS =
  'OPTIONS sip:a@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5062;branch=z9hG4bK-bp\r\n' +
  'Max-Forwards: 70\r\nFrom: <sip:b@127.0.0.1>;tag=1\r\nTo: <sip:a@127.0.0.1>\r\nCall-ID: bp\r\n' +
  'CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n';

describe('a TCP peer that does not read', () => {
  it('gets one pong for the pings of a read, and one for a lone ping', async () => {
    const tcp = new TcpListener(() => undefined);
    const port = await tcp.listen('127.0.0.1', 0);
    closers.push(() => void tcp.close());
    const c = await client(port);
    let got = 0;
    c.on('data', (d) => (got += d.length));
    c.write('\r\n\r\n');
    expect(await settled(() => got)).toBe(2);
    c.write('\r\n\r\n'.repeat(10_000));
    const pongs = (await settled(() => got)) / 2 - 1;
    expect(pongs).toBeGreaterThanOrEqual(1);
    expect(pongs).toBeLessThan(100); // a read holds many; without the rule, 10,000
  });

  it('is read no further while 1 MB of answers waits for it, and gets every answer once it reads', async () => {
    const reply = Buffer.alloc(2048, 'x');
    let answered = 0;
    const tcp: TcpListener = new TcpListener((item, source: Peer) => {
      if (item.kind !== 'message') return;
      answered++;
      tcp.send(reply, source.address, source.port);
    });
    const port = await tcp.listen('127.0.0.1', 0);
    closers.push(() => void tcp.close());
    const c = await client(port);
    c.pause(); // reads nothing
    const count = 40_000; // 10 MB of requests, 80 MB of answers
    const batch = OPTIONS.repeat(1_000);
    for (let i = 0; i < count / 1_000; i++) c.write(batch);
    const whilePaused = await settled(() => answered);
    // The server stopped reading once it owed 1 MB (plus what the kernel's buffers hold): the rest of
    // the requests wait on the peer's side.
    expect(whilePaused).toBeLessThan(count / 2);
    expect(c.writableLength).toBeGreaterThan(0);
    let received = 0;
    c.on('data', (d) => (received += d.length));
    c.resume();
    expect(await settled(() => received, 500, 30_000)).toBe(count * reply.length);
    expect(answered).toBe(count);
  });
});

describe('a WebSocket peer that does not read (RFC 7118)', () => {
  it('is read no further while 1 MB of answers waits for it, and gets every answer once it reads', async () => {
    const reply = Buffer.alloc(2048, 'x');
    let answered = 0;
    const ws: WsListener = new WsListener(
      (_frame, source) => {
        answered++;
        ws.send(reply, source.address, source.port);
      },
      {
        maxConnections: 10,
        idleTimeoutMs: 60_000,
        handshakeTimeoutMs: 2000,
        maxMessageSize: 65_535,
        origins: [],
      },
    );
    const port = await ws.listen('127.0.0.1', 0);
    closers.push(() => void ws.close());
    const c = new WebSocket(`ws://127.0.0.1:${port}`, 'sip');
    closers.push(() => c.terminate());
    await new Promise<void>((resolve, reject) => {
      c.once('open', () => resolve());
      c.once('error', reject);
    });
    let received = 0;
    c.on('message', (d: Buffer) => (received += d.length));
    c.pause(); // reads nothing
    const count = 40_000;
    for (let i = 0; i < count; i++) c.send(OPTIONS);
    const whilePaused = await settled(() => answered);
    expect(whilePaused).toBeLessThan(count / 2);
    c.resume();
    expect(await settled(() => received, 500, 30_000)).toBe(count * reply.length);
    expect(answered).toBe(count);
  });
});
