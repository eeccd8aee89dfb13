// sip_keepalives_total ("CRLF keep-alives received") on real sockets: a double-CRLF ping counts once,
// whatever it came over: UDP, and TCP and TLS (RFC 5626 §4.4.1, a SIP Outbound phone over TCP or TLS
// pings only this way; baresip's sipnat=outbound does), each answered by its CRLF pong. The Performance
// view's "in" rate adds the same counter.
import { createSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CounterSet } from '../../../../core/observe/counters';
import { selfSignedCertificate } from '../../../../core/sip/transport/self-signed';
import { SipTransport } from '../../../../core/sip/transport/sip-transport';

const PING = Buffer.from('\r\n\r\n');

/** Sends a ping on a connected stream and waits for its CRLF pong. */
function pingPong(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    socket.once('data', (d: Buffer) => resolve(d.toString('latin1')));
    socket.write(PING);
  });
}

describe('CRLF keep-alives are counted on every transport', () => {
  let transport: SipTransport;
  let counters: CounterSet;
  const open: Socket[] = [];

  beforeEach(async () => {
    counters = new CounterSet();
    const { cert, key } = selfSignedCertificate(['localhost', '127.0.0.1']);
    transport = new SipTransport(
      { host: '127.0.0.1', port: 0, tcp: true, tls: { port: 0, credentials: { cert, key } } },
      counters,
    );
    transport.attach({ onRequest: () => undefined, onResponse: () => undefined });
    await transport.start();
  });

  afterEach(async () => {
    for (const s of open) s.destroy();
    open.length = 0;
    await transport.stop();
  });

  const keepAlives = (): number =>
    counters
      .all()
      .find((c) => c.name === 'sip_keepalives_total')
      ?.total() ?? -1;

  it('TCP: three pings, three pongs, three counted', async () => {
    const socket = connect(transport.tcpPort, '127.0.0.1');
    open.push(socket);
    await new Promise((r) => socket.once('connect', r));
    for (let i = 0; i < 3; i++) expect(await pingPong(socket)).toBe('\r\n');
    expect(keepAlives()).toBe(3);
  });

  it('TLS: a ping, its pong, counted', async () => {
    const socket = tlsConnect({ host: '127.0.0.1', port: transport.tlsPort, rejectUnauthorized: false });
    open.push(socket);
    await new Promise((r) => socket.once('secureConnect', r));
    expect(await pingPong(socket)).toBe('\r\n');
    expect(keepAlives()).toBe(1);
  });

  it('UDP: a ping counted, as before', async () => {
    const client = createSocket('udp4');
    await new Promise<void>((r) => client.bind(0, '127.0.0.1', () => r()));
    try {
      await new Promise((r) => client.send(PING, transport.udpPort, '127.0.0.1', r));
      // Nothing answers a UDP ping: wait (a bounded number of loop turns) until it has been read.
      for (let i = 0; i < 10_000 && keepAlives() === 0; i++) await new Promise((r) => setImmediate(r));
      expect(keepAlives()).toBe(1);
    } finally {
      client.close();
    }
  });
});
