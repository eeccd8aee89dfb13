// RFC 3326: a BYE's or CANCEL's Reason header says why the call ended; the call's end_reason keeps it,
// so that a CDR row says "Ended by operator (SIP 200)" rather than "Normal" when the far end said so.
import { describe, expect, it } from 'vitest';
import type { SipRequest } from '../../../../core/sip/message/index';
import { reasonWords, responseQ850, sipReason } from '../../../../core/sip/proxy/reason-header';
import type { Peer } from '../../../../core/sip/transport/peer';
import { CALLEE, CALLER, answerLines, answeredCall, forwardedTo, inviteLines, register } from './call-steps';
import { kinds, stack } from './stack';

type Stack = ReturnType<typeof stack>;

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

  it('names a Q.850 cause sent without a text (ITU-T Q.850 Table 1), and refuses one outside 1-127', () => {
    expect(reasonWords('Q.850;cause=17')).toBe('User busy (Q.850 17)');
    expect(reasonWords('q.850 ;cause=16')).toBe('Normal call clearing (Q.850 16)');
    expect(reasonWords('Q.850;cause=127')).toBe('Interworking, unspecified (Q.850 127)');
    expect(reasonWords('Q.850;cause=4')).toBe('Q.850 4'); // a cause, not in the table
    // The sender's text still wins: it is what the party said.
    expect(reasonWords('Q.850;cause=17;text="Busy now"')).toBe('Busy now (Q.850 17)');
    expect(reasonWords('Q.850;cause=999;text="bogus"')).toBe('bogus (not a Q.850 cause: 999)');
    expect(reasonWords('Q.850;cause=0')).toBe('not a Q.850 cause: 0');
  });

  it("finds a final response's Q.850 cause (RFC 6432) among its Reason values", () => {
    expect(responseQ850(['Q.850;cause=17'])).toBe('Q.850 17 User busy');
    expect(responseQ850(['SIP;cause=486;text="Busy, really"', 'Q.850;cause=17;text="User busy"'])).toBe(
      'Q.850 17 User busy',
    );
    expect(responseQ850(['SIP;cause=486, Q.850;cause=21'])).toBe('Q.850 21 Call rejected');
    expect(responseQ850(['Q.850;cause=999'])).toBeUndefined();
    expect(responseQ850(['SIP;cause=486'])).toBeUndefined();
    expect(responseQ850([])).toBeUndefined();
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

  it('a busy answer with Reason: Q.850 (RFC 6432): the status, then the cause', async () => {
    const s = stack();
    await register(s, CALLEE);
    await s.receive(inviteLines('busy-q850'), CALLER);
    const busy = [...answerLines(forwardedTo(s, CALLEE), '486 Busy Here'), 'Reason: Q.850;cause=17'];
    await s.receive(busy, CALLEE);
    const ended = s.callEvents.at(-1)!.call;
    expect([ended.statusCode, ended.endReason]).toEqual([486, '486 Busy Here (Q.850 17 User busy)']);
  });

  it('a BYE with a Q.850 cause and no text: named', async () => {
    const s = stack();
    await answeredCall(s, 'bye-q850');
    const bye = inviteLines('bye-q850', 'BYE').map((l) =>
      l.startsWith('To:') ? `${l};tag=callee` : l.replace('branch=z9hG4bK-bye-q850', 'branch=z9hG4bK-bye3'),
    );
    await s.receive([...bye, 'Reason: Q.850;cause=16'], CALLER);
    expect(s.callEvents.at(-1)?.call.endReason).toBe('Normal call clearing (Q.850 16)');
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

/** A second phone of 1002: the INVITE forks to CALLEE and OTHER. */
const OTHER: Peer = { transport: 'UDP', address: '10.0.0.7', port: 5066 };

/** 1002 on two phones, both ringing: the caller's INVITE forked (parallel), each fork's INVITE. */
async function twoForksRinging(s: Stack, callId: string): Promise<{ callee: SipRequest; other: SipRequest }> {
  await register(s, CALLEE, '1002', 'r1');
  await register(s, OTHER, '1002', 'r2');
  await s.receive(inviteLines(callId), CALLER);
  const callee = forwardedTo(s, CALLEE);
  const other = forwardedTo(s, OTHER);
  await s.receive(answerLines(callee, '180 Ringing'), CALLEE);
  await s.receive(answerLines(other, '180 Ringing', 'other'), OTHER);
  return { callee, other };
}

/** The Reason lines of the last CANCEL sent to `peer` (it must have been sent). */
function cancelReasons(s: Stack, peer: Peer): string[] {
  const cancel = s.sentTo(peer).findLast((m) => kinds([m])[0] === 'CANCEL') as SipRequest | undefined;
  expect(cancel).toBeDefined();
  return cancel!.headerValues('reason');
}

describe('the Reason on the CANCELs the proxy sends (RFC 3326 §2; RFC 3261 §16.7 step 10, §16.10)', () => {
  it('a 2xx on one fork: the other is CANCELled with "Call completed elsewhere"', async () => {
    const s = stack();
    const { callee } = await twoForksRinging(s, 'fork-2xx');
    await s.receive(answerLines(callee, '200 OK'), CALLEE);
    expect(cancelReasons(s, OTHER)).toEqual(['SIP;cause=200;text="Call completed elsewhere"']);
    expect(kinds(s.sentTo(CALLEE))).not.toContain('CANCEL');
  });

  it('a 2xx before the other fork rang: its CANCEL, sent once it rings (§9.1), says the same', async () => {
    const s = stack();
    await register(s, CALLEE, '1002', 'r1');
    await register(s, OTHER, '1002', 'r2');
    await s.receive(inviteLines('fork-2xx-late'), CALLER);
    const other = forwardedTo(s, OTHER);
    await s.receive(answerLines(forwardedTo(s, CALLEE), '200 OK'), CALLEE);
    expect(kinds(s.sentTo(OTHER))).not.toContain('CANCEL');
    await s.receive(answerLines(other, '180 Ringing', 'other'), OTHER);
    expect(cancelReasons(s, OTHER)).toEqual(['SIP;cause=200;text="Call completed elsewhere"']);
  });

  it('a 6xx on one fork: the other is CANCELled with that code and its reason phrase', async () => {
    const s = stack();
    const { callee } = await twoForksRinging(s, 'fork-6xx');
    await s.receive(answerLines(callee, '603 Decline'), CALLEE);
    expect(cancelReasons(s, OTHER)).toEqual(['SIP;cause=603;text="Decline"']);
  });

  it("the caller's CANCEL with Reason headers: each fork's CANCEL carries them, as they came", async () => {
    const s = stack();
    await twoForksRinging(s, 'fork-caller-reason');
    await s.receive(
      [
        ...inviteLines('fork-caller-reason', 'CANCEL'),
        'Reason: SIP;cause=480;text="No answer"',
        'Reason: Q.850 ;cause=19 ;text="No answer from user"',
      ],
      CALLER,
    );
    const expected = ['SIP;cause=480;text="No answer"', 'Q.850 ;cause=19 ;text="No answer from user"'];
    expect(cancelReasons(s, CALLEE)).toEqual(expected);
    expect(cancelReasons(s, OTHER)).toEqual(expected);
  });

  it("the caller's CANCEL without Reason: the forks' CANCELs have none either", async () => {
    const s = stack();
    await twoForksRinging(s, 'fork-caller-plain');
    await s.receive(inviteLines('fork-caller-plain', 'CANCEL'), CALLER);
    expect(cancelReasons(s, CALLEE)).toEqual([]);
    expect(cancelReasons(s, OTHER)).toEqual([]);
  });

  it('Timer C (§16.8): its CANCEL says 408 Request Timeout', async () => {
    const s = stack({ timerCSeconds: 180 });
    await twoForksRinging(s, 'fork-timer-c');
    s.advance(180_000);
    expect(cancelReasons(s, CALLEE)).toEqual(['SIP;cause=408;text="Request Timeout"']);
    expect(cancelReasons(s, OTHER)).toEqual(['SIP;cause=408;text="Request Timeout"']);
  });

  it('sipReason writes the text as a quoted-string (RFC 3261 §25.1)', () => {
    expect(sipReason(600, 'Busy "everywhere" \\o/')).toBe(
      'SIP;cause=600;text="Busy \\"everywhere\\" \\\\o/"',
    );
    expect(reasonWords(sipReason(600, 'Busy "everywhere"'))).toBe('Busy "everywhere" (SIP 600)');
  });
});
