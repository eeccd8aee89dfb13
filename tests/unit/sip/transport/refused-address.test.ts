// A connection refused before any SIP is told with the peer's address as every other line names it: an
// IPv4 peer of a dual-stack listener (bound to ::) is a.b.c.d, not the socket's ::ffff:a.b.c.d.
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { CounterSet } from '../../../../core/observe/counters';
import { SipTransport } from '../../../../core/sip/transport/sip-transport';

let transport: SipTransport | undefined;
afterEach(async () => {
  await transport?.stop();
  transport = undefined;
});

describe('a refused connection to a dual-stack listener', () => {
  it('names an IPv4 peer as a.b.c.d', async () => {
    transport = new SipTransport({ host: '::', port: 0, tcp: false, ws: { port: 0 } }, new CounterSet());
    const refused: string[] = [];
    transport.onRefused = (transport, address, why) => refused.push(`${transport} ${address}: ${why}`);
    await transport.start();
    // An upgrade without the sip subprotocol (RFC 7118 §4.1): refused.
    await new Promise<void>((done) => {
      const req = request({
        host: '127.0.0.1',
        port: transport!.wsPort,
        headers: {
          connection: 'Upgrade',
          upgrade: 'websocket',
          'sec-websocket-version': '13',
          'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        },
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', done);
      });
      req.on('error', () => done());
      req.end();
    });
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatch(/^WS 127\.0\.0\.1: 400 /);
  });
});
