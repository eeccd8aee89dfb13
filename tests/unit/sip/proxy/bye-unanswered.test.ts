// A BYE the other party never answers (its Contact wrong or gone): no final response before Timer F
// (RFC 3261 §17.1.2.2; RFC 4320: no 408 goes back). The call is recorded ended at the BYE, as a party
// that sends BYE has ended its session (§15.1.1), but nothing said the other party never heard it: its
// leg may still be up. The log now says so in a WARNING naming the Call-ID and where the BYE went.
import { describe, expect, it } from 'vitest';
import { byeUnansweredLine } from '../../../../core/activity/activity-log';
import { CALLEE, CALLER, answeredCall, callerBye } from './call-steps';
import { kinds, stack } from './stack';

describe('a BYE the other party never answers', () => {
  it('is said in the log at Timer F, the call recorded ended at the BYE as before', async () => {
    const s = stack();
    const ok = await answeredCall(s, 'bye-f');
    await s.receive(callerBye(ok), CALLER);
    expect(kinds(s.sentTo(CALLEE)).at(-1)).toBe('BYE');
    const ended = s.callEvents.filter((e) => e.type === 'ended');
    expect(ended.map((e) => [e.call.endReason, e.call.hangupBy])).toEqual([['Normal', 'caller']]);
    expect(s.unansweredByes).toEqual([]);
    s.advance(33_000); // Timer F (64*T1) on the BYE's branch
    expect(s.unansweredByes).toEqual([{ callId: 'bye-f', by: 'caller' }]);
    expect(byeUnansweredLine(ended[0]!.call, 'caller')).toBe(
      `call bye-f: the callee (Contact sip:1002@${CALLEE.address}:${CALLEE.port}) never answered the caller's BYE (no final response before Timer F, RFC 3261 §17.1.2.2): its leg may still be up`,
    );
  });

  it('says nothing of a BYE the other party answered, even with a failure', async () => {
    const s = stack();
    const ok = await answeredCall(s, 'bye-481');
    await s.receive(callerBye(ok), CALLER);
    const bye = s.sentTo(CALLEE).at(-1)!;
    await s.receive(
      [
        'SIP/2.0 481 Call/Transaction Does Not Exist',
        ...bye.headerValues('via').map((v) => `Via: ${v}`),
        `From: ${bye.header('from')}`,
        `To: ${bye.header('to')}`,
        'Call-ID: bye-481',
        'CSeq: 2 BYE',
      ],
      CALLEE,
    );
    s.advance(33_000);
    expect(s.unansweredByes).toEqual([]);
  });
});
