// A SIP WebSocket upgrade whose peer resets the connection at once (a scanner, a killed browser): the
// socket's error ends that connection, not the server. One refused upgrade (no "sip" subprotocol, RFC
// 7118 §4.1) reset under its answer stopped the whole process ("write ECONNRESET ... Unhandled 'error'").
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WsListener } from '../../../../core/sip/transport/ws';
import { resetAfterUpgrade } from '../../../support/upgrade-reset';

let listener: WsListener | undefined;
afterEach(async () => {
  await listener?.close();
  listener = undefined;
});

describe('a SIP WebSocket upgrade reset by its peer', () => {
  it('leaves the listener serving, refused or taken', async () => {
    let messages = 0;
    listener = new WsListener(() => messages++, {
      maxConnections: 10,
      idleTimeoutMs: 60_000,
      handshakeTimeoutMs: 2000,
      maxMessageSize: 65_535,
      origins: [],
    });
    const port = await listener.listen('127.0.0.1', 0);
    for (let round = 0; round < 20; round++) {
      await resetAfterUpgrade(port, '/'); // no subprotocol: refused
      await resetAfterUpgrade(port, '/', 'Sec-WebSocket-Version: 8\r\n'); // a second version header
      await resetAfterUpgrade(port, '/', 'Sec-WebSocket-Protocol: sip\r\n'); // taken, then reset
    }
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`, 'sip');
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    expect(ws.protocol).toBe('sip');
    ws.close();
  });
});
