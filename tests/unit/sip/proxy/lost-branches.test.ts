// Branches that cannot end by themselves: the callee never answers our CANCEL (§9.1: after 64*T1 the
// INVITE's client transaction is given up, not kept for good: in Proceeding it has no timer of its own),
// our CANCEL cannot be sent (its connection is gone), or a WebSocket connection closes (RFC 7118 §5: 480). The
// caller who cancelled is told 487, what it asked for, when no branch said anything final.
import { describe, expect, it } from 'vitest';
import type { SipResponse } from '../../../../core/sip/message/index';
import { CALLEE, CALLER, answerLines, forwardedTo, inviteLines, register } from './call-steps';
import { kinds, stack } from './stack';

type Stack = ReturnType<typeof stack>;

async function ringing(callId: string): Promise<Stack> {
  const s = stack();
  await register(s, CALLEE);
  await s.receive(inviteLines(callId), CALLER);
  await s.receive(answerLines(forwardedTo(s, CALLEE), '180 Ringing'), CALLEE);
  return s;
}

const finals = (s: Stack): string[] =>
  (s.sentTo(CALLER) as SipResponse[])
    .filter((r) => r.status >= 200)
    .map((r) => `${r.status} ${r.cseq.method}`);

describe('branches that cannot end by themselves', () => {
  it('no answer to our CANCEL: after 64*T1 the caller gets 487 and no transaction is left', async () => {
    const s = await ringing('no-cancel-answer');
    await s.receive(inviteLines('no-cancel-answer', 'CANCEL'), CALLER);
    expect(kinds(s.sentTo(CALLEE))).toContain('CANCEL');
    s.advance(32_100);
    expect(finals(s)).toEqual(['200 CANCEL', '487 INVITE']);
    s.advance(40_000); // the CANCEL's own Timer F, the 487's Timer I
    expect(s.layer.clientCount).toBe(0);
  });

  it('our CANCEL cannot be sent: the branch ends at once and the caller gets 487', async () => {
    const s = await ringing('cancel-unsent');
    s.unreachable(CALLEE);
    await s.receive(inviteLines('cancel-unsent', 'CANCEL'), CALLER);
    expect(finals(s)).toEqual(['200 CANCEL', '487 INVITE']);
    expect(s.layer.clientCount).toBe(0);
  });

  it("Timer C's CANCEL cannot be sent (the callee's connection is gone): the caller gets 408, not 500", async () => {
    const s = await ringing('timer-c-unsent');
    s.unreachable(CALLEE);
    s.advance(180_100);
    const last = (s.sentTo(CALLER) as SipResponse[]).at(-1)!;
    // §16.8: no answer in time is a 408, whether or not the CANCEL could go (a 503 made up for the
    // unsendable CANCEL became "500 next hop unreachable", a fault the caller's bench never had).
    expect(`${last.status} ${last.cseq.method}`).toBe('408 INVITE');
    expect(s.callEvents.at(-1)?.call.endReason).toBe('No answer (Timer C)');
    expect(s.layer.clientCount).toBe(0);
  });

  it('the 200 to the CANCEL and the 487 made up here carry one To tag (§9.2)', async () => {
    for (const rings of [true, false]) {
      const s = stack();
      await register(s, CALLEE);
      await s.receive(inviteLines('cancel-tag'), CALLER);
      if (rings) await s.receive(answerLines(forwardedTo(s, CALLEE), '180 Ringing'), CALLEE);
      s.unreachable(CALLEE); // our CANCEL cannot go: the 487 is ours, not the callee's
      await s.receive(inviteLines('cancel-tag', 'CANCEL'), CALLER);
      const answers = (s.sentTo(CALLER) as SipResponse[]).filter((r) => r.status >= 200);
      expect(answers.map((r) => `${r.status} ${r.cseq.method}`)).toEqual(['200 CANCEL', '487 INVITE']);
      expect(answers[0]!.to.tag).toBeDefined();
      expect(answers[0]!.to.tag).toBe(answers[1]!.to.tag);
    }
  });

  // The browser left (RFC 7118 §5): a 480 naming the closed WebSocket, recorded as an answered call's end
  // is; before, "500 Server Internal Error (next hop unreachable)" and a CDR FAILED 500, as if IMS Lab
  // had failed.
  it("the callee's connection closes while it rings: the caller gets 480 (WebSocket closed) now, not at Timer C", async () => {
    const s = await ringing('callee-gone');
    s.proxy.connectionClosed(CALLEE);
    expect(finals(s)).toEqual(['480 INVITE']);
    const final = (s.sentTo(CALLER) as SipResponse[]).at(-1)!;
    expect(final.reasonText).toBe('Temporarily Unavailable (WebSocket closed)');
    const ended = s.callEvents.at(-1)!;
    expect([ended.call.state, ended.call.statusCode, ended.call.hangupBy, ended.call.endReason]).toEqual([
      'failed',
      480,
      'callee',
      'WebSocket closed',
    ]);
    expect(s.layer.clientCount).toBe(0);
  });

  it("the caller's connection closes while it rings: the callee gets a CANCEL", async () => {
    const s = await ringing('caller-gone');
    s.proxy.connectionClosed(CALLER);
    expect(kinds(s.sentTo(CALLEE)).at(-1)).toBe('CANCEL');
  });
});
