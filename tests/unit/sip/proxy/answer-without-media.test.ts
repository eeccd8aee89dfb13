// A callee's 2xx that agrees no media: no SDP answer to the INVITE's offer (RFC 3264 §5: the answer is in
// the 2xx unless a reliable provisional had it, RFC 3261 §13.2.1, RFC 3262), or an SDP that cannot be
// read; or, to an INVITE without SDP (a late offer), no offer (RFC 3261 §13.2.1). The call's record (CDR
// codec, call_type, media_direction) is not the caller's offer: no codec, the fault named in extra_info,
// and a WARNING with the Call-ID in the log. A 2xx without SDP after a reliable 183's answer, and a late
// offer's 2xx with its offer, stay as they were.
import { describe, expect, it } from 'vitest';
import { callRecord } from '../../../../core/cdr/from-events';
import type { SipRequest } from '../../../../core/sip/message/index';
import { CALLEE, CALLER, answerLines, forwardedTo, inviteLines, register } from './call-steps';
import { loggedStack } from './logged-stack';
import { stack } from './stack';

const sdp = (codecs: string, dir = 'sendrecv'): string =>
  ['v=0', 'o=- 1 1 IN IP4 10.0.0.9', 's=-', 'c=IN IP4 10.0.0.9', 't=0 0', `m=audio 4000 RTP/AVP ${codecs}`]
    .concat([`a=${dir}`, ''])
    .join('\r\n');
/** What onecall's SIPp callee answered: an o= line cut short, no c=, a port that is no number. */
const UNREADABLE = [
  'v=0',
  'o=- 2 2 IN IP4',
  's=-',
  't=0 0',
  'm=audio abc RTP/AVP 0',
  'a=rtpmap:0 PCMU/8000',
  '',
].join('\r\n');
const SDP_TYPE = 'Content-Type: application/sdp';

async function offered(callId: string) {
  const { s, lines } = loggedStack();
  await register(s, CALLEE);
  await s.receive([...inviteLines(callId), SDP_TYPE], CALLER, sdp('0 8'));
  return { s, lines, forwarded: forwardedTo(s, CALLEE) as SipRequest };
}

/** The CDR row of the call, once the operator ended it. */
function rowOf(s: ReturnType<typeof stack>) {
  const id = s.calls.list()[0]!.id;
  s.calls.end(id);
  const ended = s.callEvents.find((e) => e.type === 'ended')!;
  return callRecord(ended.call);
}

describe('a 2xx that agrees no media', () => {
  it('without SDP to an offer: no codec, the fault in extra_info and a WARNING naming the Call-ID', async () => {
    const { s, lines, forwarded } = await offered('nosdp-1');
    await s.receive(answerLines(forwarded, '200 OK'), CALLEE);
    const call = s.calls.list()[0]!;
    expect(call.media).toEqual({ kinds: [], codecs: [], direction: '' });
    expect(call.mediaProblem).toBe("the 200 OK carries no SDP answer to the INVITE's offer (RFC 3264 §5)");
    expect(lines.find((l) => l.includes('answered'))).toMatch(
      /^WARNING call nosdp-1: 1001 → 1002 answered after 0\.00 s, no media agreed: the 200 OK carries no SDP answer/,
    );
    const row = rowOf(s);
    expect([row.codec, row.call_type, row.media_direction]).toEqual(['', '', '']);
    expect(row.extra_info).toBe(
      "No media agreed: the 200 OK carries no SDP answer to the INVITE's offer (RFC 3264 §5)",
    );
  });

  // It was: the unreliable 183's PCMA became the call's codec, with no word of the missing answer.
  it('without SDP after an unreliable 183 with SDP (no 100rel): no media agreed, the 183 named', async () => {
    const { s, lines, forwarded } = await offered('preview-1');
    await s.receive([...answerLines(forwarded, '183 Session Progress'), SDP_TYPE], CALLEE, sdp('8'));
    await s.receive(answerLines(forwarded, '200 OK'), CALLEE);
    const problem =
      "the 200 OK carries no SDP answer to the INVITE's offer (RFC 3264 §5); the SDP of the 183 Session " +
      'Progress before it is no answer, not being sent reliably (no 100rel, RFC 3262)';
    expect(s.calls.list()[0]!.mediaProblem).toBe(problem);
    expect(lines.find((l) => l.includes('answered'))).toMatch(/^WARNING call preview-1: .*no media agreed: /);
    const row = rowOf(s);
    expect([row.codec, row.extra_info]).toEqual(['', `No media agreed: ${problem}`]);
  });

  it('with a codec the offer never listed: that codec, noted (RFC 3264 §6.1) in a WARNING and the row', async () => {
    const { s, lines, forwarded } = await offered('unoffered-1');
    await s.receive([...answerLines(forwarded, '200 OK'), SDP_TYPE], CALLEE, sdp('18'));
    const note = 'answer codec G729 not in the offer (RFC 3264 §6.1)';
    expect(lines.find((l) => l.includes('answered'))).toBe(
      `WARNING call unoffered-1: 1001 → 1002 answered after 0.00 s, G729 (${note})`,
    );
    const row = rowOf(s);
    expect([row.codec, row.extra_info]).toEqual(['G729', `Media: ${note}`]);
  });

  it('with an SDP that cannot be read: the parser’s words, not the offer’s PCMU', async () => {
    const { s, lines, forwarded } = await offered('badsdp-1');
    await s.receive([...answerLines(forwarded, '200 OK'), SDP_TYPE], CALLEE, UNREADABLE);
    expect(s.calls.list()[0]!.mediaProblem).toMatch(/^the 200 OK's SDP cannot be read \(SDP line \d+: /);
    const answered = lines.find((l) => l.includes('answered'))!;
    expect(answered).toMatch(/^WARNING call badsdp-1: .*no media agreed: the 200 OK's SDP cannot be read/);
    expect(answered).not.toContain('PCMU');
    const row = rowOf(s);
    expect(row.codec).toBe('');
    expect(row.extra_info).toMatch(/^No media agreed: the 200 OK's SDP cannot be read/);
  });

  it('a late offer (no SDP in the INVITE) whose 2xx carries no offer: flagged as the missing answer is', async () => {
    const { s, lines } = loggedStack();
    await register(s, CALLEE);
    await s.receive(inviteLines('none-1'), CALLER);
    await s.receive(answerLines(forwardedTo(s, CALLEE), '200 OK'), CALLEE);
    const problem =
      'the 200 OK carries no SDP offer, the INVITE having none (no offer in the 2xx of a late offer, RFC 3261 §13.2.1)';
    expect(s.calls.list()[0]!.mediaProblem).toBe(problem);
    expect(lines.find((l) => l.includes('answered'))).toBe(
      `WARNING call none-1: 1001 → 1002 answered after 0.00 s, no media agreed: ${problem}`,
    );
    const row = rowOf(s);
    expect([row.codec, row.call_type, row.media_direction]).toEqual(['', '', '']);
    expect(row.extra_info).toBe(`No media agreed: ${problem}`);
  });

  it('keeps a 2xx without SDP after a reliable 183’s answer, and a late offer’s 2xx, as they were', async () => {
    const { s, lines, forwarded } = await offered('early-1');
    await s.receive(
      [...answerLines(forwarded, '183 Session Progress'), 'Require: 100rel', 'RSeq: 1', SDP_TYPE],
      CALLEE,
      sdp('8'),
    );
    await s.receive(answerLines(forwarded, '200 OK'), CALLEE);
    const call = s.calls.list()[0]!;
    expect(call.media.codecs).toEqual(['PCMA']);
    expect(call.mediaProblem).toBeUndefined();
    expect(lines.find((l) => l.includes('answered'))).toMatch(/^INFO .* answered after 0\.00 s, PCMA$/);
    expect(rowOf(s).extra_info).toBe('');

    const late = stack();
    await register(late, CALLEE);
    await late.receive(inviteLines('late-1'), CALLER);
    await late.receive([...answerLines(forwardedTo(late, CALLEE), '200 OK'), SDP_TYPE], CALLEE, sdp('8 0'));
    expect(late.calls.list()[0]!.media.codecs).toEqual(['PCMA', 'PCMU']);
    expect(late.calls.list()[0]!.mediaProblem).toBeUndefined();
  });
});
