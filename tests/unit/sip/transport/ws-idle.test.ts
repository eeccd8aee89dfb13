// An idle WebSocket (RFC 7118) is closed with a Close frame, status 1000 (RFC 6455 §7.1.2, §7.4.1), so
// that SIP.js or JsSIP sees a clean close; before, the TCP connection was dropped (1006 at the client).
import { afterEach, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { WebSocket } from 'ws';
import { WsListener } from '../../../../core/sip/transport/ws';

let listener: WsListener | undefined;
afterEach(async () => {
  await listener?.close();
  listener = undefined;
});

describe('an idle WebSocket', () => {
  it('gets a Close frame with 1000 when its idle time is over', async () => {
    listener = new WsListener(() => undefined, {
      maxConnections: 4,
      idleTimeoutMs: 200,
      handshakeTimeoutMs: 2000,
      maxMessageSize: 65_535,
      origins: [],
    });
    const port = await listener.listen('127.0.0.1', 0);
    const client = new WebSocket(`ws://127.0.0.1:${port}`, 'sip');
    const closed = new Promise<number>((resolve) => client.on('close', (code) => resolve(code)));
    client.on('error', () => undefined);
    expect(await closed).toBe(1000);
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
