// An idle WebSocket (RFC 7118) is closed with a Close frame, status 1000 (RFC 6455 §7.1.2, §7.4.1), so
// that SIP.js or JsSIP sees a clean close; before, the TCP connection was dropped (1006 at the client).
import { afterEach, describe, expect, it } from 'vitest';
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
