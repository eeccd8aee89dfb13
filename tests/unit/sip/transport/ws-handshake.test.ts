// The SIP WebSocket's opening handshake (RFC 6455 §4.2.1, §4.2.2) over a real loopback socket: a version
// other than 13 is refused 426 naming the version understood, a request over HTTP/1.0 505; version 13
// over HTTP/1.1 is switched (101). The ws module itself also took the draft version 8.
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WsListener } from '../../../../core/sip/transport/ws';
import { resetAfterUpgrade } from '../../../support/upgrade-reset';

let listener: WsListener | undefined;
afterEach(async () => {
  await listener?.close();
  listener = undefined;
});

/** The head of the answer to an upgrade request sent raw. */
function upgrade(port: number, version: string, http = '1.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () =>
      s.write(
        `GET / HTTP/${http}\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: ${version}\r\n` +
          'Sec-WebSocket-Protocol: sip\r\n\r\n',
      ),
    );
    let got = '';
    s.on('data', (d) => {
      got += d.toString('latin1');
      if (got.includes('\r\n\r\n')) {
        s.destroy();
        resolve(got.slice(0, got.indexOf('\r\n\r\n')));
      }
    });
    s.on('error', reject);
  });
}

const OPTIONS = {
  maxConnections: 10,
  idleTimeoutMs: 60_000,
  handshakeTimeoutMs: 2000,
  maxMessageSize: 65_535,
  origins: [],
};

describe('the SIP WebSocket handshake', () => {
  it('426 with Sec-WebSocket-Version: 13 for another version, 505 for HTTP/1.0, 101 for 13 over 1.1', async () => {
    listener = new WsListener(() => undefined, OPTIONS);
    const port = await listener.listen('127.0.0.1', 0);
    const draft = await upgrade(port, '8');
    expect(draft).toMatch(/^HTTP\/1\.1 426 /);
    expect(draft).toMatch(/\r\nSec-WebSocket-Version: 13(\r\n|$)/);
    expect(await upgrade(port, '13', '1.0')).toMatch(/^HTTP\/1\.1 505 /);
    expect(await upgrade(port, '13')).toMatch(/^HTTP\/1\.1 101 /);
  });

  // A scanner, a killed browser: one refused upgrade (no "sip" subprotocol, RFC 7118 §4.1) reset under its
  // answer stopped the whole process ("write ECONNRESET ... Unhandled 'error' event").
  it('leaves the listener serving when a peer resets its upgrade, refused or taken', async () => {
    listener = new WsListener(() => undefined, OPTIONS);
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
