// RFC 3261 §18.2.1 and RFC 3581 §4: the top Via of a request gets received (and rport, when asked for)
// before anything answers it, the 400 to a malformed request too: that 400 went back with the Via as
// the client wrote it, and a client behind a NAT learned nothing of its address. A Via that is itself
// the fault is copied as it came. Real sockets on 127.0.0.1.
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CounterSet } from '../../../../core/observe/counters';
import { SipTransport } from '../../../../core/sip/transport/sip-transport';

/** An OPTIONS with this top Via, without Call-ID (refused: "400 Missing Call-ID header") unless given. */
const options = (via: string, callId: string[] = []): string =>
  [
    'OPTIONS sip:1002@127.0.0.1 SIP/2.0',
    `Via: ${via}`,
    'Max-Forwards: 70',
    'From: <sip:1001@127.0.0.1>;tag=1',
    'To: <sip:1002@127.0.0.1>',
    ...callId,
    'CSeq: 1 OPTIONS',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');

describe('a 400 to a malformed request', () => {
  let transport: SipTransport;
  let client: Socket;
  let port: number;

  beforeEach(async () => {
    transport = new SipTransport({ host: '127.0.0.1', port: 0, tcp: false }, new CounterSet());
    transport.attach({ onRequest: () => undefined, onResponse: () => undefined });
    await transport.start();
    client = createSocket('udp4');
    port = await new Promise<number>((r) => client.bind(0, '127.0.0.1', () => r(client.address().port)));
  });

  afterEach(async () => {
    client.close();
    await transport.stop();
  });

  /** The answer's status line and top Via line. */
  const answer = async (via: string, callId: string[] = []): Promise<[string, string]> => {
    const got = new Promise<string>((r) => client.once('message', (d) => r(d.toString('latin1'))));
    client.send(Buffer.from(options(via, callId), 'latin1'), transport.udpPort, '127.0.0.1');
    const lines = (await got).split('\r\n');
    return [lines[0]!, lines.find((l) => l.startsWith('Via: '))!];
  };

  it('stamps rport and received in its top Via (RFC 3581 §4)', async () => {
    expect(await answer('SIP/2.0/UDP 10.9.9.9:5099;branch=z9hG4bK-r1;rport')).toEqual([
      'SIP/2.0 400 Missing Call-ID header',
      `Via: SIP/2.0/UDP 10.9.9.9:5099;branch=z9hG4bK-r1;rport=${port};received=127.0.0.1`,
    ]);
  });

  it('stamps received when the sent-by host is not the source address (§18.2.1)', async () => {
    const [, via] = await answer(`SIP/2.0/UDP phone.invalid:${port};branch=z9hG4bK-r2`);
    expect(via).toBe(`Via: SIP/2.0/UDP phone.invalid:${port};branch=z9hG4bK-r2;received=127.0.0.1`);
  });

  it('copies a Via that is the fault as it came', async () => {
    const [status, via] = await answer(`SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK-r3;rport;=`, [
      'Call-ID: r3',
    ]);
    expect(status).toBe('SIP/2.0 400 Malformed Via header');
    expect(via).toBe(`Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK-r3;rport;=`);
  });
});
