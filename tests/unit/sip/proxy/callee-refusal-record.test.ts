// What a callee's refusal leaves in the record. A 503 is answered 500 upstream (RFC 3261 §16.7 step 6,
// as Kamailio's tm does), but the callee refused, not IMS Lab: the row keeps the status the caller got,
// hangup_by callee and an end_reason naming the 503 with its Q.850 cause (RFC 6432), as a 486's is. A
// 488's Warning (§20.43: why its media was not acceptable) is kept in end_reason too.
import { describe, expect, it } from 'vitest';
import { callRecord } from '../../../../core/cdr/from-events';
import type { SipResponse } from '../../../../core/sip/message/index';
import { CALLEE, CALLER, answerLines, forwardedTo, inviteLines, register } from './call-steps';
import { stack } from './stack';

async function refusedWith(callId: string, status: string, extra: string[]) {
  const s = stack();
  await register(s, CALLEE);
  await s.receive(inviteLines(callId), CALLER);
  await s.receive([...answerLines(forwardedTo(s, CALLEE), status), ...extra], CALLEE);
  const ended = s.callEvents.filter((e) => e.type === 'ended');
  expect(ended).toHaveLength(1);
  return { answer: s.sentTo(CALLER).at(-1) as SipResponse, row: callRecord(ended[0]!.call) };
}

describe("a callee's refusal in the record", () => {
  it('a 503: the caller gets 500, the row says the callee refused with its 503 and Q.850 cause', async () => {
    const { answer, row } = await refusedWith('c503', '503 Service Unavailable', [
      'Retry-After: 60',
      'Reason: Q.850;cause=34;text="No circuit available"',
    ]);
    expect(answer.status).toBe(500);
    expect(row).toMatchObject({
      call_state: 'FAILED',
      status_code: 500,
      status_text: 'Server Internal Error (next hop: 503 Service Unavailable)',
      hangup_by: 'callee',
      end_reason: '503 Service Unavailable (Q.850 34 No circuit available)',
    });
  });

  it('a 488 keeps its Warning', async () => {
    const { answer, row } = await refusedWith('c488', '488 Not Acceptable Here', [
      'Warning: 399 uas "Codec PCMU not allowed"',
    ]);
    expect(answer.status).toBe(488);
    expect(row).toMatchObject({
      status_code: 488,
      hangup_by: 'callee',
      end_reason: '488 Not Acceptable Here (Warning: 399 uas "Codec PCMU not allowed")',
    });
  });

  it('a 486 with its Q.850 cause reads as before', async () => {
    const { row } = await refusedWith('c486', '486 Busy Here', ['Reason: Q.850;cause=17;text="User busy"']);
    expect(row).toMatchObject({ hangup_by: 'callee', end_reason: '486 Busy Here (Q.850 17 User busy)' });
  });
});
