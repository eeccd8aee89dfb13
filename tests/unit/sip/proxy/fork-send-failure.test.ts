// Parallel forking with a branch whose send fails at once (a WebSocket flow gone, a Contact at port 0):
// that branch ends with its 503 inside the fork, before the later branches exist. RFC 3261 §16.7 step 6:
// the best response is chosen only when no branch is pending, so the caller hears nothing final while
// the other devices ring, and then the answer of the one that picks up (it heard 500, then the 200).
import { describe, expect, it } from 'vitest';
import type { SipResponse } from '../../../../core/sip/message/index';
import type { Peer } from '../../../../core/sip/transport/peer';
import { CALLEE, CALLER, answerLines, forwardedTo, inviteLines, register } from './call-steps';
import { stack } from './stack';

const OTHER: Peer = { transport: 'UDP', address: '10.0.0.7', port: 5066 };

const finals = (s: ReturnType<typeof stack>): string[] =>
  (s.sentTo(CALLER) as SipResponse[])
    .filter((r) => r.status >= 200)
    .map((r) => `${r.status} ${r.cseq.method}`);

describe('parallel forking, one device unreachable at once', () => {
  it.each([
    ['the first device', CALLEE, OTHER],
    ['the second device', OTHER, CALLEE],
  ])('%s fails at once: the caller waits for the other, then gets its 200', async (_, gone, rings) => {
    const s = stack();
    await register(s, CALLEE, '1002', 'r1');
    await register(s, OTHER, '1002', 'r2');
    s.unreachable(gone);
    await s.receive(inviteLines('fork-gone'), CALLER);
    expect(finals(s)).toEqual([]);
    await s.receive(answerLines(forwardedTo(s, rings), '180 Ringing'), rings);
    expect(finals(s)).toEqual([]);
    await s.receive(answerLines(forwardedTo(s, rings), '200 OK'), rings);
    expect(finals(s)).toEqual(['200 INVITE']);
  });

  it('every device fails at once: one answer, the best (§16.7 step 6)', async () => {
    const s = stack();
    await register(s, CALLEE, '1002', 'r1');
    await register(s, OTHER, '1002', 'r2');
    s.unreachable(CALLEE);
    s.unreachable(OTHER);
    await s.receive(inviteLines('fork-all-gone'), CALLER);
    expect(finals(s)).toEqual(['500 INVITE']);
  });
});
