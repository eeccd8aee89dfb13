// The Reason of the far end's BYE (RFC 3326), as the dialer's user agent hands it on (DSP DIALSVC, the
// dialer's end reason): its text= is TEXT-UTF8 (RFC 3261 §25.1) and was read one character per byte, so a
// callee's `text="通话结束"` came out as `é\x80\x9A...`. A real loopback socket plays proxy and callee.
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { parseMessage, SipRequest } from '../../../../core/sip/message/index';
import type { UserAgent } from '../../../../core/sip/ua/user-agent';
import { dialerAgent } from '../../../support/loopback-agent';

let ua: UserAgent | undefined;
const sockets: ReturnType<typeof createSocket>[] = [];
afterEach(async () => {
  await ua?.stop();
  ua = undefined;
  for (const s of sockets.splice(0)) s.close();
});

const SDP =
  'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n';

describe("the far end's BYE Reason", () => {
  it('reaches the call outcome as its characters', async () => {
    const peer = createSocket('udp4');
    sockets.push(peer);
    await new Promise<void>((ok) => peer.bind(0, '127.0.0.1', () => ok()));
    const me = peer.address().port;
    ua = await dialerAgent(me);
    const uaPort = ua.port;
    peer.on('message', (data) => {
      const m = parseMessage(data);
      if (!(m instanceof SipRequest)) return;
      if (m.method === 'INVITE') {
        const answer = [
          'SIP/2.0 200 OK',
          ...m.headerValues('via').map((v) => `Via: ${v}`),
          `From: ${m.header('from')}`,
          `To: ${m.header('to')};tag=callee1`,
          `Call-ID: ${m.callId}`,
          'CSeq: 1 INVITE',
          `Contact: <sip:1002@127.0.0.1:${me}>`,
          'Content-Type: application/sdp',
          `Content-Length: ${SDP.length}`,
          '',
          SDP,
        ].join('\r\n');
        peer.send(answer, uaPort, '127.0.0.1');
      } else if (m.method === 'ACK') {
        const bye = [
          `BYE sip:0000@127.0.0.1:${uaPort} SIP/2.0`,
          `Via: SIP/2.0/UDP 127.0.0.1:${me};branch=z9hG4bK-bye1`,
          'Max-Forwards: 70',
          `From: ${m.header('to')}`,
          `To: ${m.header('from')}`,
          `Call-ID: ${m.callId}`,
          'CSeq: 1 BYE',
          'Reason: Q.850;cause=16;text="通话结束"',
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n');
        peer.send(Buffer.from(bye, 'utf8'), uaPort, '127.0.0.1');
      }
    });
    const call = ua.call({ number: '1002', sdp: Buffer.from(SDP) });
    const outcome = await call.outcome;
    expect(outcome).toMatchObject({ answered: true, end: 'remote' });
    expect(outcome.byeReason).toBe('Q.850;cause=16;text="通话结束"');
  });
});
