// RFC 7118 §5.1: one SIP message per WebSocket frame. Two in one frame (a gateway that batches them):
// the first is served and the second dropped as before, but no longer unsaid: counted in
// sip_parse_errors_total and told to onMalformed (a WARNING, once per address a minute). Bytes after
// the body that are only CRLFs are not a second message and say nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { CounterSet } from '../../../../core/observe/counters';
import type { SipRequest } from '../../../../core/sip/message/index';
import { SipTransport } from '../../../../core/sip/transport/sip-transport';
import { sipBytes } from '../../../support/sip-text';

const options = (callId: string, body = ''): string =>
  sipBytes(
    [
      'OPTIONS sip:127.0.0.1 SIP/2.0',
      `Via: SIP/2.0/WS ws.invalid;branch=z9hG4bK-${callId}`,
      'Max-Forwards: 70',
      'From: <sip:4701@127.0.0.1>;tag=f',
      'To: <sip:127.0.0.1>',
      `Call-ID: ${callId}`,
      'CSeq: 1 OPTIONS',
    ],
    body,
  ).toString();

describe('two SIP messages in one WebSocket frame', () => {
  let transport: SipTransport;
  let counters: CounterSet;
  let client: WebSocket;
  const requests: string[] = [];
  const malformed: string[] = [];

  beforeEach(async () => {
    counters = new CounterSet();
    transport = new SipTransport({ host: '127.0.0.1', port: 0, tcp: false, ws: { port: 0 } }, counters);
    transport.attach({
      onRequest: (req: SipRequest) => requests.push(req.callId),
      onResponse: () => undefined,
    });
    transport.onMalformed = (transport, address, _port, why, answered) =>
      malformed.push(`${transport} ${address} ${answered ? 'refused' : 'dropped'}: ${why}`);
    await transport.start();
    client = new WebSocket(`ws://127.0.0.1:${transport.wsPort}`, 'sip');
    await new Promise<void>((resolve, reject) => {
      client.once('open', () => resolve());
      client.once('error', reject);
    });
  });

  afterEach(async () => {
    client.close();
    await transport.stop();
    requests.length = 0;
    malformed.length = 0;
  });

  /** Sends frames, then one more whose request's arrival shows the ones before were read. */
  async function sendThenSync(...frames: string[]): Promise<void> {
    for (const f of frames) client.send(f);
    client.send(options('sync'));
    for (let i = 0; i < 200 && !requests.includes('sync'); i++) await new Promise((r) => setTimeout(r, 10));
    expect(requests).toContain('sync');
  }

  it('serves the first, and counts and reports the bytes after it', async () => {
    await sendThenSync(options('first') + options('second'));
    expect(requests).toEqual(['first', 'sync']);
    expect(malformed).toHaveLength(1);
    expect(malformed[0]).toMatch(
      /^WS 127\.0\.0\.1 dropped: \d+ bytes after the first message's body in one WebSocket frame \(RFC 7118 §5\.1/,
    );
    const parseErrors = counters.all().find((c) => c.name === 'sip_parse_errors_total');
    expect(parseErrors?.get('ws-bytes-after-message')).toBe(1);
  });

  it('says nothing of CRLFs after the body, nor of a frame holding one message', async () => {
    await sendThenSync(`${options('crlf')}\r\n\r\n`, options('one', 'hello'));
    expect(requests).toEqual(['crlf', 'one', 'sync']);
    expect(malformed).toEqual([]);
  });
});
