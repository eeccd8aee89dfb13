// A CANCEL of a non-INVITE request (RFC 3261 §9.2): "regardless of the method of the original request, as
// long as the CANCEL matched an existing transaction", it is answered 200, and it has no effect: the
// request goes on and its answer still reaches the caller; no CANCEL is sent on (§9.1: a CANCEL SHOULD NOT
// be sent for a non-INVITE; Kamailio answers 200 alike). It was answered 481, which told the caller its
// MESSAGE's transaction was gone. A CANCEL matching nothing stays 481.
import { describe, expect, it } from 'vitest';
import { CALLEE, CALLER, answerLines, inviteLines, register } from './call-steps';
import { kinds, stack } from './stack';

const message = (callId: string, method = 'MESSAGE'): string[] =>
  inviteLines(callId, method).filter((l) => !l.startsWith('Contact:'));

describe('a CANCEL of a non-INVITE request', () => {
  it('is answered 200 while the MESSAGE is pending, and the MESSAGE goes on to its 200', async () => {
    const s = stack();
    await register(s, CALLEE);
    await s.receive([...message('cancel-msg'), 'Content-Type: text/plain'], CALLER, 'hi');
    const forwarded = s.sentTo(CALLEE).findLast((m) => kinds([m])[0] === 'MESSAGE')!;
    const start = s.sent.length;
    await s.receive(message('cancel-msg', 'CANCEL'), CALLER);
    expect(kinds(s.sentTo(CALLER, start))).toEqual(['200']);
    expect(kinds(s.sentTo(CALLEE, start))).toEqual([]); // nothing passed on
    await s.receive(
      answerLines(forwarded as never, '200 OK').filter((l) => !l.startsWith('Contact:')),
      CALLEE,
    );
    expect(kinds(s.sentTo(CALLER, start))).toEqual(['200', '200']);
  });

  it('is answered 200 once the MESSAGE is answered (its transaction kept for Timer J), 481 when nothing matches', async () => {
    const s = stack();
    await s.receive([...message('answered-msg'), 'Content-Type: text/plain'], CALLER, 'hi'); // 1002 not registered: 480
    const start = s.sent.length;
    await s.receive(message('answered-msg', 'CANCEL'), CALLER);
    await s.receive(message('no-such-msg', 'CANCEL'), CALLER);
    expect(kinds(s.sentTo(CALLER, start))).toEqual(['200', '481']);
  });
});
