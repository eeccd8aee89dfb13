// §18.3 / §20.14: a datagram may come without Content-Length (its body runs to the end), but a stream
// transport needs one to frame the message: what the proxy forwards always carries it, requests and
// the responses it relays alike, so a UDP phone's message reaches a TCP phone whole.
import { describe, expect, it } from 'vitest';
import type { SipRequest, SipResponse } from '../../../../core/sip/message/index';
import { CALLEE, CALLER, answerLines, forwardedTo, inviteLines, register } from './call-steps';
import { stack } from './stack';

const SDP =
  'v=0\r\no=- 1 1 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n';

const lengthless = (lines: string[], body = ''): Buffer =>
  Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`, 'latin1');

describe('Content-Length on what the proxy forwards', () => {
  it('is added to a request and to a response that came without it', async () => {
    const s = stack();
    await register(s, CALLEE);
    await s.receiveBytes(
      lengthless([...inviteLines('no-length'), 'Content-Type: application/sdp'], SDP),
      CALLER,
    );
    const invite = forwardedTo(s, CALLEE) as SipRequest;
    expect(invite.header('content-length')).toBe(String(SDP.length));
    expect(invite.body.toString('latin1')).toBe(SDP);

    const start = s.sent.length;
    await s.receiveBytes(lengthless(answerLines(invite, '180 Ringing')), CALLEE);
    const ringing = s.sentTo(CALLER, start).find((m) => (m as SipResponse).status === 180) as SipResponse;
    expect(ringing.header('content-length')).toBe('0');
  });
});
