// A WebSocket connection over SIP.WS_MAX_CONNECTIONS (core/sip/transport/ws.ts) is closed as it arrives
// and, as a TCP or TLS one over its limit, counted (sip_connections_refused_total) and logged.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WsListener } from '../../../../core/sip/transport/ws';

let listener: WsListener | undefined;
afterEach(async () => {
  await listener?.close();
  listener = undefined;
});

// Beyond maxConnections Node closes a connection as it arrives; it was dropped unsaid (no count in
// sip_connections_refused_total, no log line), unlike a TCP or TLS connection over its limit.
describe('a WebSocket connection over maxConnections', () => {
  it('is closed, counted and told to onRefused with the setting that limits it', async () => {
    listener = new WsListener(() => undefined, {
      maxConnections: 2,
      idleTimeoutMs: 60_000,
      handshakeTimeoutMs: 2000,
      maxMessageSize: 65_535,
      origins: [],
    });
    const told: string[] = [];
    listener.onRefused = (address, why) => told.push(`${address} ${why}`);
    const port = await listener.listen('127.0.0.1', 0);
    const open = async (): Promise<WebSocket> => {
      const c = new WebSocket(`ws://127.0.0.1:${port}`, 'sip');
      await new Promise<void>((resolve, reject) => {
        c.once('open', () => resolve());
        c.once('error', reject);
      });
      return c;
    };
    const kept = [await open(), await open()];
    await expect(open()).rejects.toThrow();
    expect(listener.refused).toBe(1);
    expect(told).toEqual(['127.0.0.1 connection over the limit, 2 already (SIP.WS_MAX_CONNECTIONS)']);
    for (const c of kept) c.close();
  });
});
