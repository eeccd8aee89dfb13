// RFC 3261 §16.3 step 1: a proxy validates only what it routes by and forwards the rest unchanged, so
// the transport's check (checkMessage 'routing') refuses none of the headers only a UAS or the registrar
// reads: a non-GMT or unreadable Date (RFC 4475 §3.1.2.12: an element that does not use it may ignore
// it), a Require that does not parse (the UAS's, §8.2.2.3), a second Expires, Min-Expires or
// Content-Type. Each got a 400 from IMS Lab though the request was only passing through. A second To,
// From, Call-ID, CSeq, Max-Forwards or Content-Length is still refused: the transaction and the framing
// read those.
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CounterSet } from '../../../../core/observe/counters';
import { buildResponse, type SipRequest } from '../../../../core/sip/message/index';
import type { Peer } from '../../../../core/sip/transport/peer';
import { SipTransport } from '../../../../core/sip/transport/sip-transport';

const message = (port: number, id: string, extra: string[]): string =>
  [
    'MESSAGE sip:1002@127.0.0.1 SIP/2.0',
    `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK-${id}`,
    'Max-Forwards: 70',
    'From: <sip:1001@127.0.0.1>;tag=1',
    'To: <sip:1002@127.0.0.1>',
    `Call-ID: routed-${id}`,
    'CSeq: 1 MESSAGE',
    ...extra,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');

describe('headers a proxy only routes', () => {
  let transport: SipTransport;
  let client: Socket;
  let clientPort: number;
  /** What reached the transport's user (the dispatcher, in the appliance). */
  const handed: string[] = [];

  beforeEach(async () => {
    handed.length = 0;
    transport = new SipTransport({ host: '127.0.0.1', port: 0, tcp: false }, new CounterSet());
    transport.attach({
      onRequest: (req: SipRequest, source: Peer) => {
        handed.push(req.callId);
        transport.send(buildResponse(req, 200, { toTag: 'x1' }), source, '200');
      },
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

  const statusOf = (id: string, extra: string[]): Promise<string> => {
    const got = new Promise<string>((r) =>
      client.once('message', (d) => r(d.toString('latin1').split('\r\n')[0]!)),
    );
    client.send(Buffer.from(message(clientPort, id, extra), 'latin1'), transport.udpPort, '127.0.0.1');
    return got;
  };

  it.each([
    ['pst', ['Date: Sat, 13 Nov 2010 23:29:00 PST']],
    ['bogus-date', ['Date: bogus']],
    ['one-digit-day', ['Date: Sat, 3 Nov 2010 23:29:00 GMT']],
    ['require', ['Require: ,,']],
    ['two-expires', ['Expires: 60', 'Expires: 120']],
    ['two-min-expires', ['Min-Expires: 60', 'Min-Expires: 120']],
    ['two-content-types', ['Content-Type: text/plain', 'Content-Type: text/html']],
  ])('%s: handed on, not refused', async (id, extra) => {
    expect(await statusOf(id, extra)).toBe('SIP/2.0 200 OK');
    expect(handed).toEqual([`routed-${id}`]);
  });

  it.each([
    ['two-tos', ['To: <sip:other@127.0.0.1>'], 'To'],
    ['two-max-forwards', ['Max-Forwards: 69'], 'Max-Forwards'],
  ])('%s: still refused', async (id, extra, name) => {
    expect(await statusOf(id, extra)).toBe(`SIP/2.0 400 Duplicate ${name} header`);
    expect(handed).toEqual([]);
  });
});
