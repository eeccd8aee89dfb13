// A call's times when the wall clock is stepped mid-call (NTP, an operator setting the bench PC's
// clock): its answer and end are its start plus the time that went by, so its CDR row has the call's
// real talk and setup time, not a negative one clamped to 0 or one an hour long.
import { describe, expect, it } from 'vitest';
import { callRecord } from '../../../../core/cdr/from-events';
import { answerLines, answeredCall, CALLER, forwardedTo, inviteLines, register, CALLEE } from './call-steps';
import { stack } from './stack';

describe('a call across a wall-clock step', () => {
  for (const step of [-600_000, 3_600_000]) {
    it(`${step < 0 ? 'back 10 minutes' : 'forward an hour'}: the CDR row keeps 5 s of talk`, async () => {
      const s = stack({ maxCallSeconds: 5 }, { ackWaitMs: 3_600_000 });
      await answeredCall(s, `step${step}`);
      const answered = s.callEvents.at(-1)!.call;
      s.stepWallClock(step);
      s.advance(6_000); // the maximum duration ends it: BYE both ways
      const ended = s.callEvents.find((e) => e.type === 'ended')!.call;
      expect(ended.endedAt! - ended.answeredAt!).toBe(5_000);
      const row = callRecord(ended);
      expect(row.duration).toBe(5);
      expect(row.talk_ms).toBe(5_000);
      expect(ended.startedAt).toBe(answered.startedAt);
    });
  }

  it('a step while it rings: the setup time is what elapsed', async () => {
    const s = stack();
    await register(s, CALLEE);
    await s.receive(inviteLines('ringing-step'), CALLER);
    s.stepWallClock(-600_000);
    s.advance(2_000);
    await s.receive(answerLines(forwardedTo(s, CALLEE), '200 OK'), CALLEE);
    const call = s.callEvents.at(-1)!.call;
    expect(call.answeredAt! - call.startedAt).toBe(2_000);
    expect(callRecord({ ...call, state: 'ended', endedAt: call.answeredAt! + 1_000 }).setup_ms).toBe(2_000);
  });

  it('times in whole milliseconds, although the monotonic clock has fractions', async () => {
    const s = stack();
    await register(s, CALLEE);
    await s.receive(inviteLines('fractions'), CALLER);
    s.advance(507.720458984375);
    await s.receive(answerLines(forwardedTo(s, CALLEE), '200 OK'), CALLEE);
    const call = s.callEvents.at(-1)!.call;
    expect(call.answeredAt! - call.startedAt).toBe(508);
    const row = callRecord({ ...call, state: 'ended', endedAt: call.answeredAt! + 812 });
    expect(Number.isInteger(row.setup_ms)).toBe(true);
    expect(row.setup_ms).toBe(508);
  });
});
