// RFC 3261 §16.3 step 1: what a proxy needs of a request must be well-formed. IMS Lab reads the Contact
// of a request that sets up a dialog or a registration (the call record, the Record-Route's NAT choice,
// the binding), so the transport's check refuses a malformed one as it does a malformed Route: 400
// "Malformed Contact header", counted in sip_parse_errors_total, told to onMalformed (the WARNING). Read
// later, an INVITE's was a 400 or 480 that /metrics, the CDR and the log each told differently, and a
// REGISTER's a 400 counted nowhere. Other requests and responses pass (a 2xx is relayed, §16.7 step 5).
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CounterSet } from '../../../../core/observe/counters';
import { buildResponse, type SipRequest, type SipResponse } from '../../../../core/sip/message/index';
import type { Peer } from '../../../../core/sip/transport/peer';
import { SipTransport } from '../../../../core/sip/transport/sip-transport';

const BAD_CONTACT = 'Contact: <sip:1001@127.0.0.1:5062;transport=UDP';

const request = (method: string, port: number, id: string): string =>
  [
    `${method} sip:1002@127.0.0.1 SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK-${id}`,
    'Max-Forwards: 70',
    'From: <sip:1001@127.0.0.1>;tag=1',
    'To: <sip:1002@127.0.0.1>',
    `Call-ID: contact-${id}`,
    `CSeq: 1 ${method}`,
    ...(method === 'SUBSCRIBE' ? ['Event: presence'] : []),
    ...(method === 'REFER' ? ['Refer-To: <sip:1003@127.0.0.1>'] : []),
    BAD_CONTACT,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');

describe('a malformed Contact', () => {
  let transport: SipTransport;
  let counters: CounterSet;
  let client: Socket;
  let clientPort: number;
  const handed: string[] = [];
  const malformed: string[] = [];

  beforeEach(async () => {
    handed.length = 0;
    malformed.length = 0;
    counters = new CounterSet();
    transport = new SipTransport({ host: '127.0.0.1', port: 0, tcp: false }, counters);
    transport.attach({
      onRequest: (req: SipRequest, source: Peer) => {
        handed.push(req.callId);
        transport.send(buildResponse(req, 200, { toTag: 'x1' }), source, '200');
      },
      onResponse: (res: SipResponse) => handed.push(res.callId),
    });
    transport.onMalformed = (_t, _a, _p, why, answered) => malformed.push(`${why} ${answered}`);
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

  const parseErrors = (): number => counters.counter('sip_parse_errors_total', '', 'kind').total();

  const statusOf = (text: string): Promise<string> => {
    const got = new Promise<string>((r) =>
      client.once('message', (d) => r(d.toString('latin1').split('\r\n')[0]!)),
    );
    client.send(Buffer.from(text, 'latin1'), transport.udpPort, '127.0.0.1');
    return got;
  };

  it.each(['INVITE', 'SUBSCRIBE', 'REFER', 'REGISTER'])(
    'in a %s: refused 400 and counted as malformed, not handed on',
    async (method) => {
      expect(await statusOf(request(method, clientPort, method))).toBe(
        'SIP/2.0 400 Malformed Contact header',
      );
      expect(handed).toEqual([]);
      expect(parseErrors()).toBe(1);
      expect(malformed).toEqual(['400 Malformed Contact header true']);
    },
  );

  it('in a MESSAGE (no dialog, nothing reads it): handed on', async () => {
    expect(await statusOf(request('MESSAGE', clientPort, 'message'))).toBe('SIP/2.0 200 OK');
    expect(handed).toEqual(['contact-message']);
    expect(parseErrors()).toBe(0);
  });

  it("in a callee's 200 to an INVITE: handed on, to be relayed", async () => {
    const ok = [
      'SIP/2.0 200 OK',
      `Via: SIP/2.0/UDP 127.0.0.1:${transport.udpPort};branch=z9hG4bK-ours`,
      'From: <sip:1001@127.0.0.1>;tag=1',
      'To: <sip:1002@127.0.0.1>;tag=2',
      'Call-ID: contact-ok',
      'CSeq: 1 INVITE',
      BAD_CONTACT,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    client.send(Buffer.from(ok, 'latin1'), transport.udpPort, '127.0.0.1');
    // A MESSAGE after it: once that is answered, the 200 before it on the same socket has been read.
    expect(await statusOf(request('MESSAGE', clientPort, 'after'))).toBe('SIP/2.0 200 OK');
    expect(handed).toEqual(['contact-ok', 'contact-after']);
    expect(parseErrors()).toBe(0);
  });
});
