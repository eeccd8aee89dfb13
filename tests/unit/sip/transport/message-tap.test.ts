// The transport's message tap on real sockets: every message in and out, raw, with its direction, time,
// both ends and transport, a received message tapped before the answer it causes; a malformed datagram
// tapped with its fault; nothing built when nobody listens; a failing listener never breaks the transport.
import { createSocket, type Socket } from 'node:dgram';
import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CounterSet } from '../../../../core/observe/counters';
import { buildResponse, type SipRequest } from '../../../../core/sip/message/index';
import type { TappedMessage } from '../../../../core/sip/transport/message-tap';
import type { Peer } from '../../../../core/sip/transport/peer';
import { SipTransport } from '../../../../core/sip/transport/sip-transport';

interface Seen {
  direction: string;
  text: string;
  timeUs: number;
  transport: string;
  local: string;
  remote: string;
  error: string | undefined;
  parsed: boolean;
}

const register = (port: number, transport = 'UDP'): string =>
  `REGISTER sip:ims.lab SIP/2.0\r\nVia: SIP/2.0/${transport} 127.0.0.1:${port};branch=z9hG4bKtap1\r\n` +
  `Max-Forwards: 70\r\nFrom: <sip:1001@ims.lab>;tag=t1\r\nTo: <sip:1001@ims.lab>\r\nCall-ID: tap-1\r\n` +
  `CSeq: 1 REGISTER\r\nContact: <sip:1001@127.0.0.1:${port}>\r\nContent-Length: 0\r\n\r\n`;

describe('the message tap', () => {
  let transport: SipTransport;
  let client: Socket;
  let clientPort: number;
  const seen: Seen[] = [];
  const record = (m: TappedMessage): void => {
    seen.push({
      direction: m.direction,
      text: m.data.toString('latin1'),
      timeUs: m.timeUs,
      transport: m.transport,
      local: `${m.local.address}:${m.local.port}`,
      remote: `${m.remote.address}:${m.remote.port}`,
      error: m.error,
      parsed: m.message !== undefined,
    });
  };

  beforeEach(async () => {
    seen.length = 0;
    transport = new SipTransport({ host: '127.0.0.1', port: 0, tcp: true }, new CounterSet());
    transport.attach({
      onRequest: (req: SipRequest, source: Peer) =>
        transport.send(buildResponse(req, 200, { toTag: 'x1' }), source, '200'),
      onResponse: () => undefined,
    });
    await transport.start();
    client = createSocket('udp4');
    clientPort = await new Promise<number>((r) =>
      client.bind(0, '127.0.0.1', () => r(client.address().port)),
    );
  });

  afterEach(async () => {
    client.close();
    await transport.stop();
  });

  const answer = (): Promise<string> =>
    new Promise((r) => client.once('message', (d) => r(d.toString('latin1'))));
  const sendUdp = (text: string): void =>
    client.send(Buffer.from(text, 'latin1'), transport.udpPort, '127.0.0.1');

  it('taps a request and its answer, in that order, raw, with both ends and microsecond times', async () => {
    transport.tap.on(record);
    const got = answer();
    sendUdp(register(clientPort));
    const response = await got;
    expect(seen.map((s) => s.direction)).toEqual(['in', 'out']);
    expect(seen[0]).toMatchObject({
      text: register(clientPort),
      transport: 'UDP',
      local: `127.0.0.1:${transport.udpPort}`,
      remote: `127.0.0.1:${clientPort}`,
      error: undefined,
      parsed: true,
    });
    expect(seen[1]).toMatchObject({ text: response, remote: `127.0.0.1:${clientPort}`, parsed: false });
    expect(seen[1]!.timeUs).toBeGreaterThanOrEqual(seen[0]!.timeUs);
    expect(Math.abs(seen[0]!.timeUs - Date.now() * 1000)).toBeLessThan(60_000_000);
  });

  it('taps a malformed datagram with its fault, and the 400 sent for it', async () => {
    transport.tap.on(record);
    const broken = register(clientPort).replace('CSeq: 1 REGISTER', 'CSeq: one REGISTER');
    const got = answer();
    sendUdp(broken);
    expect(await got).toMatch(/^SIP\/2.0 400/);
    sendUdp('HELLO WORLD\r\n\r\n');
    await new Promise((r) => setTimeout(r, 100));
    expect(seen.map((s) => [s.direction, s.error === undefined ? '' : s.error.slice(0, 3)])).toEqual([
      ['in', '400'],
      ['out', ''],
      ['in', '400'],
    ]);
    expect(seen[0]!.text).toBe(broken);
    expect(seen[2]!.text).toBe('HELLO WORLD\r\n\r\n');
  });

  it('taps TCP messages as TCP', async () => {
    transport.tap.on(record);
    const socket = connect(transport.tcpPort, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    const port = socket.localPort!;
    const got = new Promise<string>((r) => socket.once('data', (d) => r(d.toString('latin1'))));
    socket.write(register(port, 'TCP'));
    await got;
    socket.destroy();
    expect(seen.map((s) => `${s.direction} ${s.transport} ${s.remote}`)).toEqual([
      `in TCP 127.0.0.1:${port}`,
      `out TCP 127.0.0.1:${port}`,
    ]);
  });

  it('builds nothing when nobody listens, and again after the last listener left', async () => {
    const off = transport.tap.on(record);
    off();
    expect(transport.tap.active).toBe(false);
    transport.tap.emit = () => {
      throw new Error('emit called with nobody listening');
    };
    const got = answer();
    sendUdp(register(clientPort));
    expect(await got).toMatch(/^SIP\/2.0 200/);
    expect(seen).toEqual([]);
  });

  it('a listener that throws is reported and the transport carries on', async () => {
    const faults: unknown[] = [];
    transport.tap.onListenerError = (err) => faults.push(err);
    transport.tap.on(() => {
      throw new Error('broken listener');
    });
    transport.tap.on(record);
    const got = answer();
    sendUdp(register(clientPort));
    expect(await got).toMatch(/^SIP\/2.0 200/);
    expect(faults).toHaveLength(2);
    expect(seen).toHaveLength(2);
  });
});
