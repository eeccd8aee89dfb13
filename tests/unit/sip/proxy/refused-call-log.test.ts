// An INVITE IMS Lab refuses as it arrives (credentials that failed: 407; a callee not registered: 480) is a call
// attempt the CDR records FAILED and the counters count, but it never started: the log said "started
// from ..." right after "auth: failed ...", so a reader counted a call that never was. Its one line is
// the failure's, saying it was refused on arrival; a call let through is said to start as before.
import { describe, expect, it } from 'vitest';
import { callRecord } from '../../../../core/cdr/from-events';
import type { SipResponse } from '../../../../core/sip/message/index';
import { CALLEE, CALLER, forwardedTo, inviteLines, proxyCredentials, register } from './call-steps';
import { loggedStack } from './logged-stack';
import { SERVER, kinds } from './stack';

const URI = `sip:1002@${SERVER.address}`;

/** The INVITE sent again after its 407 (a new branch and CSeq, §8.1.3.5) with `credentials`. */
function withCredentials(callId: string, credentials: string): string[] {
  return inviteLines(callId)
    .map((l) => l.replace(`branch=z9hG4bK-${callId}`, `branch=z9hG4bK-${callId}-2`))
    .map((l) => l.replace('CSeq: 1 INVITE', 'CSeq: 2 INVITE'))
    .concat(`Proxy-Authorization: ${credentials}`);
}

/** 1001 calls 1002, is challenged, and sends its credentials, wrong ones when `wrong`. */
async function challengedCall(callId: string, wrong: boolean) {
  const { s, lines } = loggedStack({ authMethods: ['INVITE'] });
  await register(s, CALLEE);
  await s.receive(inviteLines(callId), CALLER);
  const challenge = s.sentTo(CALLER).find((m) => kinds([m])[0] === '407') as SipResponse;
  const good = proxyCredentials(challenge, 'INVITE', URI);
  const credentials = wrong ? good.replace(/response="[0-9a-f]+"/, `response="${'0'.repeat(32)}"`) : good;
  await s.receive(withCredentials(callId, credentials), CALLER);
  return { s, lines };
}

describe('the log of a call IMS Lab refuses as it arrives', () => {
  it('credentials that failed (407): no "started" line, one failure line saying it never started', async () => {
    const { s, lines } = await challengedCall('badpw-1', true);
    expect(kinds(s.sentTo(CALLER)).filter((k) => k === '407')).toHaveLength(2);
    expect(lines).toEqual([
      'INFO call badpw-1: 1001 → 1002 failed (407 Proxy Authentication Required, by system), not started: refused on arrival from 10.0.0.5:5062',
    ]);
    // The CDR's row and the counters' events are the attempt's, as before.
    const ended = s.callEvents.find((e) => e.type === 'ended')!;
    expect(s.callEvents.map((e) => e.type)).toEqual(['started', 'ended']);
    expect(callRecord(ended.call)).toMatchObject({
      call_state: 'FAILED',
      status_code: 407,
      hangup_by: 'system',
    });
  });

  it('a callee not registered (480) likewise; a call let through after its credentials starts as before', async () => {
    const { s, lines } = loggedStack();
    await s.receive(inviteLines('nobody-1'), CALLER); // 1002 has no binding
    expect(lines).toEqual([
      'INFO call nobody-1: 1001 → 1002 failed (480 Temporarily Unavailable, by system), not started: refused on arrival from 10.0.0.5:5062',
    ]);

    const good = await challengedCall('goodpw-1', false);
    expect(forwardedTo(good.s, CALLEE).callId).toBe('goodpw-1');
    expect(good.lines).toEqual(['INFO call goodpw-1: 1001 → 1002 started from 10.0.0.5:5062']);
  });
});
