// An SDP answer in a reliable provisional response (a 183 with Require: 100rel, RFC 3262 §5): the offer
// and answer are done, and the 2xx of that early dialog need not repeat the SDP (RFC 3264 §4, RFC 6337
// §3.1.1). The call's media (the CDR's codec, call_type and media_direction) is then that answer's,
// not every codec the caller offered; per early dialog, as forks answer apart.
import { describe, expect, it } from 'vitest';
import type { SipRequest } from '../../../../core/sip/message/index';
import { CALLEE, CALLER, answerLines, forwardedTo, inviteLines, register } from './call-steps';
import { stack } from './stack';

const sdp = (codecs: string, dir = 'sendrecv'): string =>
  ['v=0', 'o=- 1 1 IN IP4 10.0.0.9', 's=-', 'c=IN IP4 10.0.0.9', 't=0 0', `m=audio 4000 RTP/AVP ${codecs}`]
    .concat([`a=${dir}`, ''])
    .join('\r\n');

const SDP_TYPE = 'Content-Type: application/sdp';

describe('an SDP answer in a reliable 183, a 2xx without SDP', () => {
  async function earlyAnswered(tag183: string, tag200: string) {
    const s = stack();
    await register(s, CALLEE);
    await s.receive([...inviteLines('early-1'), SDP_TYPE], CALLER, sdp('0 8 101'));
    const forwarded = forwardedTo(s, CALLEE) as SipRequest;
    const reliable = [
      ...answerLines(forwarded, '183 Session Progress', tag183),
      'Require: 100rel',
      'RSeq: 1',
    ];
    await s.receive([...reliable, SDP_TYPE], CALLEE, sdp('8', 'sendonly'));
    await s.receive(answerLines(forwarded, '200 OK', tag200), CALLEE);
    return s.calls.list()[0]?.media;
  }

  it("takes the call's media from the 183's answer", async () => {
    expect(await earlyAnswered('callee', 'callee')).toEqual({
      kinds: ['audio'],
      codecs: ['PCMA'],
      direction: 'sendonly',
    });
  });

  it('not from another early dialog (a fork that did not answer): that 2xx agreed none', async () => {
    // Its own dialog never answered the offer (RFC 3264 §5): neither fork-a's PCMA nor the offer's codecs.
    expect((await earlyAnswered('fork-a', 'fork-b'))?.codecs).toEqual([]);
  });
});
