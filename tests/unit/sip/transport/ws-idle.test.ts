// An idle WebSocket (RFC 7118) gets a Ping (RFC 6455 §5.5.2); one that does not answer is closed with a
// Close frame, status 1000 (§7.1.2, §7.4.1), so that SIP.js or JsSIP sees a clean close; before, the TCP
// connection was dropped (1006 at the client).
import { afterEach, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { WebSocket } from 'ws';
import { WsListener } from '../../../../core/sip/transport/ws';

let listener: WsListener | undefined;
afterEach(async () => {
  await listener?.close();
  listener = undefined;
});

function idleListener(): WsListener {
  return new WsListener(() => undefined, {
    maxConnections: 4,
    idleTimeoutMs: 200,
    handshakeTimeoutMs: 2000,
    maxMessageSize: 65_535,
    origins: [],
  });
}

describe('an idle WebSocket', () => {
  // A browser answers a Ping with a Pong by itself (RFC 6455 §5.5.3), as the `ws` client does. Before,
  // no Ping was sent: a quiet browser was closed at SIP.WS_IDLE_TIMEOUT, its calls and binding with it.
  it('gets a Ping each idle period and stays open while it answers with a Pong', async () => {
    listener = idleListener();
    const port = await listener.listen('127.0.0.1', 0);
    const client = new WebSocket(`ws://127.0.0.1:${port}`, 'sip');
    client.on('error', () => undefined);
    let closed: number | undefined;
    client.on('close', (code) => (closed = code));
    const pings = new Promise<void>((resolve, reject) => {
      let n = 0;
      client.on('ping', () => ++n === 3 && resolve());
      client.on('close', (code) => reject(new Error(`closed with ${code} after ${n} Ping(s)`)));
    });
    await pings; // three idle periods, each answered
    expect(closed).toBeUndefined();
    expect(listener.connectionCount).toBe(1);
    client.close();
  });

  it('gets a Ping, then a Close frame with 1000 when it does not answer', async () => {
    listener = idleListener();
    const port = await listener.listen('127.0.0.1', 0);
    const client = new WebSocket(`ws://127.0.0.1:${port}`, 'sip', { autoPong: false });
    let pinged = 0;
    client.on('ping', () => pinged++);
    const closed = new Promise<number>((resolve) => client.on('close', (code) => resolve(code)));
    client.on('error', () => undefined);
    expect(await closed).toBe(1000);
    expect(pinged).toBe(1);
  });
});

describe('a WebSocket upgrade dripped a byte at a time', () => {
  it('is closed at handshakeTimeoutMs, not at Node’s next 30 s sweep', async () => {
    listener = new WsListener(() => undefined, {
      maxConnections: 4,
      idleTimeoutMs: 60_000,
      handshakeTimeoutMs: 1000,
      maxMessageSize: 65_535,
      origins: [],
    });
    const port = await listener.listen('127.0.0.1', 0);
    const socket = connect(port, '127.0.0.1');
    const started = Date.now();
    const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now() - started)));
    socket.on('error', () => undefined);
    const upgrade = 'GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n';
    let next = 0;
    const drip = setInterval(() => {
      if (!socket.destroyed && next < upgrade.length) socket.write(upgrade[next++]!);
    }, 200);
    try {
      const after = await closed;
      expect(after).toBeGreaterThanOrEqual(900); // not refused as garbage: it ran out of time
      expect(after).toBeLessThan(3000);
    } finally {
      clearInterval(drip);
    }
  }, 10_000);
});
