// RFC 3261 §16.7 step 3: a response with no Via left once the proxy's own is off was meant for the
// proxy, and is not forwarded. A callee (a hand-written SIPp UAS) that answers with our Via only: its 200
// went to the caller as one made up here (our To tag, no Contact, no SDP, no Record-Route), a dialog
// the caller could not use, recorded as answered. Now the caller hears a 502 naming the fault.
import { describe, expect, it } from 'vitest';
import type { SipResponse } from '../../../../core/sip/message/index';
import { CALLEE, CALLER, answerLines, forwardedTo, inviteLines, register } from './call-steps';
import { kinds, stack } from './stack';

/** The callee's answer with only the top Via (the proxy's), as a UAS that copies one Via sends it. */
function oneVia(lines: string[]): string[] {
  let seen = false;
  return lines.filter((l) => {
    if (!l.startsWith('Via:')) return true;
    const keep = !seen;
    seen = true;
    return keep;
  });
}

describe('a response with no Via left for the caller', () => {
  it('a 180 is dropped and a 200 becomes a 502 naming the fault; the call is a failed one', async () => {
    const s = stack();
    await register(s, CALLEE);
    await s.receive(inviteLines('no-via'), CALLER);
    const forwarded = forwardedTo(s, CALLEE);
    expect(forwarded.headerValues('via')).toHaveLength(2);
    await s.receive(oneVia(answerLines(forwarded, '180 Ringing')), CALLEE);
    expect(kinds(s.sentTo(CALLER))).toEqual(['100']);
    await s.receive(oneVia(answerLines(forwarded, '200 OK')), CALLEE);
    const finals = (s.sentTo(CALLER) as SipResponse[]).filter((r) => r.status >= 200);
    expect(finals.map((r) => `${r.status} ${r.reasonText}`)).toEqual([
      "502 Bad Gateway (the callee's 2xx has no Via for the caller: RFC 3261 §16.7 step 3)",
    ]);
    const ended = s.callEvents.filter((e) => e.type === 'ended' && e.call.callId === 'no-via');
    expect(ended.map((e) => [e.call.state, e.call.statusCode])).toEqual([['failed', 502]]);
    // Its retransmissions change nothing.
    await s.receive(oneVia(answerLines(forwarded, '200 OK')), CALLEE);
    expect((s.sentTo(CALLER) as SipResponse[]).filter((r) => r.status >= 200)).toHaveLength(1);
  });
});
