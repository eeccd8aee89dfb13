// sip_replies_total on a real UDP socket: a response received is counted by its CSeq method and class, a
// response sent by the method its sender names, and a malformed request's refusal (§8.2, 400) by the
// request's method.
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CounterSet } from '../../../../core/observe/counters';
import { SipTransport } from '../../../../core/sip/transport/sip-transport';

const RESPONSE = [
  'SIP/2.0 180 Ringing',
  'Via: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK-r1',
  'From: <sip:1001@lab>;tag=a',
  'To: <sip:1002@lab>;tag=b',
  'Call-ID: reply-count-1',
  'CSeq: 1 INVITE',
  'Content-Length: 0',
  '',
  '',
].join('\r\n');

// A Max-Forwards that is no number: refused with 400 by the transport (RFC 3261 §20.22, §8.2).
const BROKEN_BYE = [
  'BYE sip:1002@lab SIP/2.0',
  'Via: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK-r2;rport',
  'Max-Forwards: many',
  'From: <sip:1001@lab>;tag=a',
  'To: <sip:1002@lab>;tag=b',
  'Call-ID: reply-count-2',
  'CSeq: 2 BYE',
  'Content-Length: 0',
  '',
  '',
].join('\r\n');

describe('SipTransport counts the responses it receives and sends', () => {
  let transport: SipTransport;
  let client: Socket;
  const responses: number[] = [];

  beforeEach(async () => {
    transport = new SipTransport({ host: '127.0.0.1', port: 0, tcp: false }, new CounterSet());
    transport.attach({ onRequest: () => undefined, onResponse: (r) => responses.push(r.status) });
    await transport.start();
    client = createSocket('udp4');
    client.bind(0, '127.0.0.1');
    await once(client, 'listening');
  });

  afterEach(async () => {
    client.close();
    await transport.stop();
  });

  it('a 180 to an INVITE received: received, INVITE, 1xx', async () => {
    client.send(RESPONSE, transport.udpPort, '127.0.0.1');
    await expect.poll(() => responses.length).toBe(1);
    expect(transport.replies.get('received', 'INVITE', '1xx')).toBe(1);
    expect(transport.replies.get('sent', 'INVITE', '1xx')).toBe(0);
  });

  it('a response sent with its method: sent, that method and class; a request sent is no reply', async () => {
    const to = { transport: 'UDP' as const, address: '127.0.0.1', port: client.address().port };
    transport.send(
      Buffer.from(RESPONSE.replace('180 Ringing', '486 Busy Here')),
      to,
      '486',
      undefined,
      'INVITE',
    );
    transport.send(Buffer.from(BROKEN_BYE), to, 'BYE');
    await once(client, 'message');
    expect(transport.replies.get('sent', 'INVITE', '4xx')).toBe(1);
    expect(transport.replies.series().reduce((n, s) => n + s.value, 0)).toBe(1);
  });

  it("a malformed request's 400: sent, the request's method, 4xx", async () => {
    client.send(BROKEN_BYE, transport.udpPort, '127.0.0.1');
    const [answer] = (await once(client, 'message')) as [Buffer];
    expect(answer.toString('latin1')).toMatch(/^SIP\/2\.0 400 /);
    expect(transport.replies.get('sent', 'BYE', '4xx')).toBe(1);
  });
});
