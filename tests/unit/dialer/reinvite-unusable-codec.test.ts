// A far end's re-INVITE whose offer has no format the dialer sends (PCMA/8000/2: two channels, another
// format, RFC 3551 §4.1; telephone-event alone) is refused with 488 Not Acceptable Here (RFC 3261 §14.2,
// RFC 3264 §6), the call and its media going on as they were: still PCMU, still to the first address.
// Before, the dialer answered 200 with "PCMA/8000" for PCMA/8000/2 (or with telephone-event alone), an
// answer promising a stream it could not send. A real user agent on loopback; the media on a fake clock.
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRtp } from '../../../core/media/rtp-packet';
import { callOneCallee, loopbackSocket, until, type OneCallee } from './one-callee';

let callee: OneCallee | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  await callee?.close();
  for (const s of sockets.splice(0)) s.close();
  callee = undefined;
});

const sdp = (port: number, media: string) =>
  'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n' + `m=audio ${port} ${media}`;

/** Sends the far end's re-INVITE with `offer` in the dialog of `c`'s call; its final answer (ACKed when not 2xx). */
async function reInvite(c: OneCallee, cseq: number, offer: string): Promise<string> {
  const invite = c.got.find((m) => m.method === 'INVITE')!;
  const s = createSocket('udp4');
  sockets.push(s);
  await new Promise<void>((ok) => s.bind(0, '127.0.0.1', () => ok()));
  const target = /<([^>]+)>/.exec(invite.header('contact')!)![1]!;
  const port = Number(/:(\d+)(?:;|$)/.exec(target)![1]);
  const branch = `z9hG4bK-re${cseq}`;
  const head = (method: string) => [
    `${method} ${target} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${s.address().port};branch=${branch}`,
    'Max-Forwards: 70',
    `From: <sip:1002@127.0.0.1>;tag=callee1`,
    `To: ${invite.header('from')}`,
    `Call-ID: ${invite.callId}`,
    `CSeq: ${cseq} ${method}`,
  ];
  const final = new Promise<string>((ok) =>
    s.on('message', (m) => {
      const text = m.toString();
      if (!text.startsWith('SIP/2.0 1')) ok(text);
    }),
  );
  s.send(
    [
      ...head('INVITE'),
      'Contact: <sip:1002@127.0.0.1>',
      'Content-Type: application/sdp',
      `Content-Length: ${Buffer.byteLength(offer)}`,
      '',
      offer,
    ].join('\r\n'),
    port,
    '127.0.0.1',
  );
  const answer = await final;
  // §17.1.1.3: the ACK of a non-2xx final answer, in its transaction (same branch).
  if (!answer.startsWith('SIP/2.0 2'))
    s.send([...head('ACK'), 'Content-Length: 0', '', ''].join('\r\n'), port, '127.0.0.1');
  return answer;
}

describe('a re-INVITE whose offer has no format the dialer sends', () => {
  it('PCMA/8000/2 or telephone-event alone: 488, and the media goes on as it was', async () => {
    const a = await loopbackSocket();
    sockets.push(a);
    const types: number[] = [];
    a.on('message', (b: Buffer) => types.push(parseRtp(b)!.payloadType));
    const b = await loopbackSocket();
    sockets.push(b);
    let atB = 0;
    b.on('message', () => atB++);
    callee = await callOneCallee(sdp(a.address().port, 'RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n'), {
      durationMs: 1000,
      rtpPorts: [47170, 47179],
    });
    const c = callee;
    const result = c.call.run();
    await until(() => c.call.state === 'answered');
    c.tick(200);
    const stereo = sdp(b.address().port, 'RTP/AVP 97\r\na=rtpmap:97 PCMA/8000/2\r\n');
    expect((await reInvite(c, 1, stereo)).split('\r\n')[0]).toMatch(/^SIP\/2\.0 488 /);
    const events = sdp(b.address().port, 'RTP/AVP 101\r\na=rtpmap:101 telephone-event/8000\r\n');
    expect((await reInvite(c, 2, events)).split('\r\n')[0]).toMatch(/^SIP\/2\.0 488 /);
    c.tick(1000);
    const r = await result;
    expect(r).toMatchObject({ answered: true, reason: 'Normal', rtpSent: 50 });
    await until(() => types.length >= 50);
    expect(types).toEqual(Array(50).fill(0)); // all of it PCMU, all to the first address
    expect(atB).toBe(0);
  });
});
