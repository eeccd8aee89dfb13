// The Reason of the far end's BYE (RFC 3326), as the dialer's user agent hands it on (DSP DIALSVC, the
// dialer's end reason): its text= is TEXT-UTF8 (RFC 3261 §25.1) and was read one character per byte, so a
// callee's `text="通话结束"` came out as `é\x80\x9A...`. A real loopback socket plays proxy and callee.
import { describe, expect, it } from 'vitest';
import { parseMessage, SipRequest } from '../../../../core/sip/message/index';
import { agentPerTest, LOOPBACK_SDP, loopbackSocket, okTo } from '../../../support/loopback-agent';

const agent = agentPerTest();

describe("the far end's BYE Reason", () => {
  it('reaches the call outcome as its characters', async () => {
    const peer = agent.track(await loopbackSocket());
    const me = peer.address().port;
    const ua = await agent.start(me);
    const uaPort = ua.port;
    peer.on('message', (data) => {
      const m = parseMessage(data);
      if (!(m instanceof SipRequest)) return;
      if (m.method === 'INVITE') {
        peer.send(okTo(m, `<sip:1002@127.0.0.1:${me}>`), uaPort, '127.0.0.1');
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
    const call = ua.call({ number: '1002', sdp: Buffer.from(LOOPBACK_SDP) });
    const outcome = await call.outcome;
    expect(outcome).toMatchObject({ answered: true, end: 'remote' });
    expect(outcome.byeReason).toBe('Q.850;cause=16;text="通话结束"');
  });
});
