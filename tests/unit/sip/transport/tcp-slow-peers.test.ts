// Peers that hold TCP connections without using them (a slowloris), over real loopback sockets: a
// message begun must arrive whole within messageTimeoutMs of the last whole one, else the connection is
// closed (each dripped byte reset the idle timer, so it was held for ever); a busy stream whose reads
// end mid-message is not. And peers holding every accepted slot do not keep IMS Lab from opening its
// own connections (to a phone registered over TCP): those are counted apart.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TcpListener } from '../../../../core/sip/transport/tcp';
import { useTcpPeers } from '../../../support/tcp-peers';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const c of closers.splice(0)) c();
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// The listener closing a slow peer while it still writes resets it (ECONNRESET): what the test wants.
const client = useTcpPeers();

const OPTIONS =
  'OPTIONS sip:a@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5062;branch=z9hG4bK-s\r\n' +
  'Max-Forwards: 70\r\nFrom: <sip:b@127.0.0.1>;tag=1\r\nTo: <sip:a@127.0.0.1>\r\nCall-ID: slow\r\n' +
  'CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n';

describe('TCP peers that hold connections', () => {
  it('a message dripped byte by byte is closed after messageTimeoutMs; a busy split stream is not', async () => {
    const items: string[] = [];
    const tcp = new TcpListener((item) => items.push(item.kind), { messageTimeoutMs: 300 });
    const port = await tcp.listen('127.0.0.1', 0);
    closers.push(() => void tcp.close());
    const slow = await client(port);
    const busy = await client(port);
    let slowClosed = false;
    slow.once('close', () => (slowClosed = true));
    // 1 s: the slow one sends a byte every 100 ms (never a whole message); the busy one sends whole
    // messages in pieces that end mid-message every time.
    const text = OPTIONS.repeat(20);
    const piece = 170; // shorter than a message: every read ends in the middle of one
    for (let i = 0; i < 10; i++) {
      if (!slow.destroyed) slow.write(OPTIONS[i]!);
      busy.write(text.slice(i * piece, (i + 1) * piece));
      await sleep(100);
    }
    busy.write(text.slice(10 * piece));
    await sleep(100);
    expect(slowClosed).toBe(true);
    expect(busy.destroyed).toBe(false);
    expect(items.filter((k) => k === 'message')).toHaveLength(20);
  });

  it('a connection that sends nothing is closed after messageTimeoutMs; a CRLF keep-alive is something', async () => {
    const refused: string[] = [];
    const tcp = new TcpListener(() => undefined, { messageTimeoutMs: 300, idleTimeoutMs: 60_000 });
    tcp.onRefused = (address, why) => refused.push(`${address}: ${why}`);
    const port = await tcp.listen('127.0.0.1', 0);
    closers.push(() => void tcp.close());
    const silent = await client(port);
    const pinging = await client(port);
    const talking = await client(port);
    pinging.write('\r\n\r\n');
    talking.write(OPTIONS);
    let silentClosed = false;
    silent.once('close', () => (silentClosed = true));
    for (let i = 0; i < 40 && !silentClosed; i++) await sleep(25);
    expect(silentClosed).toBe(true);
    expect([pinging.destroyed, talking.destroyed]).toEqual([false, false]);
    expect(refused).toEqual(['127.0.0.1: sent nothing within 0.3 s (SIP.MESSAGE_TIMEOUT)']);
  });

  it('peers holding every accepted slot do not stop a connection of ours', async () => {
    const tcp = new TcpListener(() => undefined, { maxConnections: 2 });
    const refused: string[] = [];
    tcp.onRefused = (address, why) => refused.push(`${address}: ${why}`);
    const port = await tcp.listen('127.0.0.1', 0);
    closers.push(() => void tcp.close());
    await client(port);
    await client(port);
    await sleep(50);
    const got: Buffer[] = [];
    const phone: Server = createServer((s: Socket) => s.on('data', (d) => got.push(d)));
    await new Promise<void>((ok) => phone.listen(0, '127.0.0.1', () => ok()));
    closers.push(() => phone.close());
    const failures: string[] = [];
    tcp.send(Buffer.from(OPTIONS), '127.0.0.1', (phone.address() as { port: number }).port, {
      transportError: () => failures.push('error'),
    });
    for (let i = 0; i < 40 && got.length === 0; i++) await sleep(25);
    expect(failures).toEqual([]);
    expect(Buffer.concat(got).toString()).toBe(OPTIONS);
    // A third peer is closed as it arrives, and it is said (it was silent).
    const third = connect(port, '127.0.0.1');
    closers.push(() => third.destroy());
    third.on('error', () => undefined);
    for (let i = 0; i < 40 && refused.length === 0; i++) await sleep(25);
    expect(refused).toEqual(['127.0.0.1: 2 connections already (SIP.TCP_MAX_CONNECTIONS)']);
  });
});
