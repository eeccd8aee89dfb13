// A late offer (RFC 3261 §13.2.1, RFC 3264 §4): the INVITE has no SDP, the 2xx makes the offer and the
// caller's ACK carries the answer. The call's media (the CDR's codec, call_type and media_direction)
// is that answer, as for an early offer it is the 2xx's answer: not every codec the callee offered.
import { describe, expect, it } from 'vitest';
import type { SipRequest, SipResponse } from '../../../../core/sip/message/index';
import { CALLEE, CALLER, answerLines, forwardedTo, inviteLines, register } from './call-steps';
import { stack } from './stack';

const sdp = (codecs: string, dir: string): string =>
  ['v=0', 'o=- 1 1 IN IP4 10.0.0.9', 's=-', 'c=IN IP4 10.0.0.9', 't=0 0', `m=audio 4000 RTP/AVP ${codecs}`]
    .concat([`a=${dir}`, ''])
    .join('\r\n');

describe('a call with a late offer (the answer in the ACK)', () => {
  it('takes its media from the ACK’s answer', async () => {
    const s = stack();
    await register(s, CALLEE);
    await s.receive(inviteLines('late-1'), CALLER);
    const forwarded = forwardedTo(s, CALLEE);
    const offer = sdp('8 0', 'sendrecv'); // PCMA and PCMU offered in the 200
    await s.receive([...answerLines(forwarded, '200 OK'), 'Content-Type: application/sdp'], CALLEE, offer);
    const ok = s.sentTo(CALLER).at(-1) as SipResponse;
    expect(ok.status).toBe(200);
    expect(s.calls.list()[0]?.media.codecs).toEqual(['PCMA', 'PCMU']);
    await s.receive(
      [
        'ACK sip:1002@10.0.0.6:5064 SIP/2.0',
        `Via: SIP/2.0/UDP ${CALLER.address}:${CALLER.port};branch=z9hG4bK-late-ack;rport`,
        ...ok.recordRoutes.map((r) => `Route: ${r.raw}`),
        'Max-Forwards: 70',
        `From: ${(forwarded as SipRequest).header('from')}`,
        `To: ${ok.header('to')}`,
        'Call-ID: late-1',
        'CSeq: 1 ACK',
        'Content-Type: application/sdp',
      ],
      CALLER,
      sdp('8', 'recvonly'), // the caller takes PCMA only, and answers on hold
    );
    expect(s.calls.list()[0]?.media).toEqual({ kinds: ['audio'], codecs: ['PCMA'], direction: 'recvonly' });
    expect(s.callEvents.filter((e) => e.type === 'media').map((e) => e.call.media.codecs)).toEqual([
      ['PCMA'],
    ]);
  });
});
