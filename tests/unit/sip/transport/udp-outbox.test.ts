// The UDP listener's outbox (udp-outbox.ts): a turn's datagrams leave together after it, in order, and
// none is lost on close or on a refused address. Real sockets on 127.0.0.1.
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { UdpListener } from '../../../../core/sip/transport/udp';
import { UdpOutbox } from '../../../../core/sip/transport/udp-outbox';

const open: Socket[] = [];

async function receiver(): Promise<{ port: number; got: string[]; next: (n: number) => Promise<void> }> {
  const s = createSocket('udp4');
  open.push(s);
  const got: string[] = [];
  const waiters: (() => void)[] = [];
  s.on('message', (m) => {
    got.push(m.toString());
    for (const w of waiters.splice(0)) w();
  });
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const next = async (n: number): Promise<void> => {
    while (got.length < n) await new Promise<void>((r) => waiters.push(r));
  };
  return { port: s.address().port, got, next };
}

async function sender(): Promise<Socket> {
  const s = createSocket('udp4');
  open.push(s);
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  return s;
}

afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

describe('UdpOutbox', () => {
  it('tells of each datagram as it leaves, not when it is queued (the trace stamps it then)', async () => {
    const to = await receiver();
    const socket = await sender();
    const events: string[] = [];
    const send = socket.send.bind(socket) as (...a: unknown[]) => void;
    Object.assign(socket, {
      send: (...a: unknown[]) => {
        events.push(`sent ${String(a[0])}`);
        send(...a);
      },
    });
    const outbox = new UdpOutbox(() => socket);
    for (const m of ['a', 'b'])
      outbox.push(Buffer.from(m), to.port, '127.0.0.1', undefined, () => events.push(`wire ${m}`));
    events.push('end of turn');
    await new Promise((r) => setImmediate(r));
    expect(events).toEqual(['end of turn', 'wire a', 'sent a', 'wire b', 'sent b']);
    await to.next(2);
  });

  it('sends nothing during the turn, then every datagram of it in order', async () => {
    const to = await receiver();
    const socket = await sender();
    const sent: string[] = [];
    const send = socket.send.bind(socket) as (...a: unknown[]) => void;
    const outbox = new UdpOutbox(() => socket);
    Object.assign(socket, {
      send: (...a: unknown[]) => {
        sent.push(String(a[0]));
        send(...a);
      },
    });
    for (let i = 0; i < 40; i++) outbox.push(Buffer.from(`m${i}`), to.port, '127.0.0.1', undefined);
    expect(sent).toEqual([]);
    expect(outbox.size).toBe(40);
    await new Promise((r) => setImmediate(r));
    expect(outbox.size).toBe(0);
    const order = Array.from({ length: 40 }, (_, i) => `m${i}`);
    expect(sent).toEqual(order);
    await to.next(40);
    expect(to.got).toEqual(order);
  });

  it('sends at once on flush(), and a send queued after it waits for its own turn', async () => {
    const to = await receiver();
    const socket = await sender();
    const outbox = new UdpOutbox(() => socket);
    outbox.push(Buffer.from('a'), to.port, '127.0.0.1', undefined);
    outbox.flush();
    expect(outbox.size).toBe(0);
    outbox.push(Buffer.from('b'), to.port, '127.0.0.1', undefined);
    expect(outbox.size).toBe(1);
    await to.next(2);
    expect(to.got).toEqual(['a', 'b']);
  });

  it('tells each waiting send of a closed socket, and of an address Node refuses', async () => {
    const failed: string[] = [];
    const sink = (name: string) => ({ transportError: () => failed.push(name) });
    const closed = new UdpOutbox(() => undefined);
    closed.push(Buffer.from('x'), 5060, '127.0.0.1', sink('closed-1'));
    closed.push(Buffer.from('y'), 5060, '127.0.0.1', undefined);
    closed.push(Buffer.from('z'), 5060, '127.0.0.1', sink('closed-2'));
    const socket = await sender();
    const refused = new UdpOutbox(() => socket);
    refused.push(Buffer.from('x'), 0, '127.0.0.1', sink('port 0'));
    refused.push(Buffer.from('x'), 5060, 'not an address', sink('bad address'));
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 50)); // dgram reports a failed lookup on a later tick
    expect(failed.sort()).toEqual(['bad address', 'closed-1', 'closed-2', 'port 0']);
  });
});

describe('UdpListener.close', () => {
  it('sends what this turn queued before the socket closes', async () => {
    const to = await receiver();
    const listener = new UdpListener(() => undefined);
    await listener.bind('127.0.0.1', 0);
    listener.send(Buffer.from('last words'), '127.0.0.1', to.port);
    await listener.close();
    await to.next(1);
    expect(to.got).toEqual(['last words']);
  });
});
