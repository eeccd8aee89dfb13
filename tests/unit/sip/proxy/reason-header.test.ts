// RFC 3326: a BYE's or CANCEL's Reason header says why the call ended; the call's end_reason keeps it,
// so that a CDR row says "Ended by operator (SIP 200)" rather than "Normal" when the far end said so.
import { describe, expect, it } from 'vitest';
import { reasonWords } from '../../../../core/sip/proxy/reason-header';
import { CALLEE, CALLER, answerLines, answeredCall, forwardedTo, inviteLines, register } from './call-steps';
import { stack } from './stack';

describe('the Reason header read as words', () => {
  it('takes the text, the protocol and the cause of the first value', () => {
    expect(reasonWords('SIP;cause=200;text="Ended by operator"')).toBe('Ended by operator (SIP 200)');
    expect(reasonWords('Q.850 ;cause=16 ;text="Normal call clearing", SIP;cause=200')).toBe(
      'Normal call clearing (Q.850 16)',
    );
    expect(reasonWords('SIP;cause=487')).toBe('SIP 487');
    expect(reasonWords('SIP;text="say \\"hi\\""')).toBe('say "hi" (SIP)');
    expect(reasonWords('SIP')).toBeUndefined();
    expect(reasonWords(undefined)).toBeUndefined();
    expect(reasonWords('')).toBeUndefined();
  });
});

describe('a call ended with a Reason', () => {
  it('a BYE with Reason: the call ends with its words', async () => {
    const s = stack();
    await answeredCall(s, 'bye-reason');
    const bye = inviteLines('bye-reason', 'BYE').map((l) =>
      l.startsWith('To:') ? `${l};tag=callee` : l.replace('branch=z9hG4bK-bye-reason', 'branch=z9hG4bK-bye2'),
    );
    await s.receive([...bye, 'Reason: SIP;cause=200;text="Ended by operator"'], CALLER);
    expect(s.callEvents.at(-1)?.call.endReason).toBe('Ended by operator (SIP 200)');
  });

  it('a CANCEL with Reason: the cancelled call ends with its words', async () => {
    const s = stack();
    await register(s, CALLEE);
    await s.receive(inviteLines('cancel-reason'), CALLER);
    await s.receive(answerLines(forwardedTo(s, CALLEE), '180 Ringing'), CALLEE);
    await s.receive(
      [...inviteLines('cancel-reason', 'CANCEL'), 'Reason: SIP;cause=480;text="No answer"'],
      CALLER,
    );
    const cancel = s.sentTo(CALLEE).at(-1)!;
    const invite = forwardedTo(s, CALLEE);
    await s.receive(answerLines(invite, '487 Request Terminated'), CALLEE);
    expect(cancel).toBeDefined();
    expect(s.callEvents.at(-1)?.call.endReason).toBe('No answer (SIP 480)');
  });
});
