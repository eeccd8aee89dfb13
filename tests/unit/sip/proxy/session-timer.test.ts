// RFC 4028 session timers seen from the proxy: the 2xx's Session-Expires starts the session interval, a
// refresh answered 2xx with one starts it again, a 2xx without one turns it off; when it passes with no
// refresh the call's record ends there (§8.3), with no BYE from IMS Lab (a proxy MUST NOT send one),
// instead of staying answered until CALL.MAX_DURATION.
import { describe, expect, it } from 'vitest';
import type { SipResponse } from '../../../../core/sip/message/index';
import { SESSION_EXPIRED_REASON, sessionIntervalMs } from '../../../../core/sip/proxy/session-expires';
import { CALLEE, CALLER, answerLines, forwardedTo, inviteLines, register } from './call-steps';
import { kinds, stack } from './stack';

type Stack = ReturnType<typeof stack>;

/** An answered call whose 2xx carries `extra` (Session-Expires...); the caller's ACK never matters here. */
async function answered(s: Stack, callId: string, extra: string[]): Promise<SipResponse> {
  await register(s, CALLEE);
  await s.receive(inviteLines(callId), CALLER);
  await s.receive([...answerLines(forwardedTo(s, CALLEE), '200 OK'), ...extra], CALLEE);
  return s.sentTo(CALLER).at(-1) as SipResponse;
}

/** The caller's re-INVITE (CSeq `cseq`) through the proxy, answered 200 by the callee with `extra`. */
async function refresh(s: Stack, ok: SipResponse, cseq: number, extra: string[]): Promise<void> {
  const before = s.sent.length;
  await s.receive(
    [
      'INVITE sip:1002@10.0.0.6:5064 SIP/2.0',
      `Via: SIP/2.0/UDP ${CALLER.address}:${CALLER.port};branch=z9hG4bK-refresh-${cseq};rport`,
      ...ok.recordRoutes.map((r) => `Route: ${r.raw}`),
      'Max-Forwards: 70',
      `From: ${ok.header('from')}`,
      `To: ${ok.header('to')}`,
      `Call-ID: ${ok.callId}`,
      `CSeq: ${cseq} INVITE`,
      `Contact: <sip:1001@${CALLER.address}:${CALLER.port}>`,
      'Session-Expires: 90;refresher=uac',
    ],
    CALLER,
  );
  const relayed = s.sentTo(CALLEE, before).find((m) => 'method' in m && m.method === 'INVITE')!;
  await s.receive(
    [
      'SIP/2.0 200 OK',
      ...relayed.headerValues('via').map((v) => `Via: ${v}`),
      `From: ${relayed.header('from')}`,
      `To: ${relayed.header('to')}`,
      `Call-ID: ${ok.callId}`,
      `CSeq: ${cseq} INVITE`,
      `Contact: <sip:1002@${CALLEE.address}:${CALLEE.port}>`,
      ...extra,
    ],
    CALLEE,
  );
  expect((s.sentTo(CALLER, before).at(-1) as SipResponse).status).toBe(200);
}

const byes = (s: Stack): number => s.sent.filter((m) => kinds([m.message])[0] === 'BYE').length;

describe('a call with a session timer (RFC 4028)', () => {
  it('ends its record when the interval passes with no refresh, sending no BYE', async () => {
    const s = stack({}, { ackWaitMs: 3_600_000 });
    await answered(s, 'st-1', ['Session-Expires: 90;refresher=uac', 'Require: timer']);
    s.advance(89_000);
    expect(s.calls.list()).toHaveLength(1);
    s.advance(2_000);
    expect(s.calls.list()).toHaveLength(0);
    const ended = s.callEvents.at(-1)!;
    expect([ended.type, ended.call.endReason, ended.call.hangupBy]).toEqual([
      'ended',
      SESSION_EXPIRED_REASON,
      'timeout',
    ]);
    expect(ended.call.endedAt! - ended.call.answeredAt!).toBeGreaterThanOrEqual(90_000);
    expect(ended.call.endedAt! - ended.call.answeredAt!).toBeLessThan(91_100);
    expect(byes(s)).toBe(0);
  });

  it('starts the interval again at each refresh, in compact form too (x)', async () => {
    const s = stack({}, { ackWaitMs: 3_600_000 });
    const ok = await answered(s, 'st-2', ['Session-Expires: 90']);
    s.advance(60_000);
    await refresh(s, ok, 2, ['x: 90;refresher=uac']);
    s.advance(80_000); // 140 s after the answer, 80 after the refresh
    expect(s.calls.list()).toHaveLength(1);
    s.advance(11_000);
    expect(s.calls.list()).toHaveLength(0);
    expect(s.callEvents.at(-1)!.call.endReason).toBe(SESSION_EXPIRED_REASON);
  });

  it('stops the timer when a refresh is answered without Session-Expires (§7.2), and a call without one never has it', async () => {
    const s = stack({}, { ackWaitMs: 3_600_000 });
    const ok = await answered(s, 'st-3', ['Session-Expires: 90']);
    s.advance(30_000);
    await refresh(s, ok, 2, []);
    s.advance(3_000_000);
    expect(s.calls.list()).toHaveLength(1);

    const plain = stack({}, { ackWaitMs: 3_600_000 });
    await answered(plain, 'st-4', []);
    plain.advance(3_000_000);
    expect(plain.calls.list()).toHaveLength(1);
  });
});

describe('sessionIntervalMs', () => {
  it('reads delta-seconds with or without parameters, and nothing else', () => {
    expect(sessionIntervalMs('1800;refresher=uac')).toBe(1_800_000);
    expect(sessionIntervalMs(' 90 ')).toBe(90_000);
    for (const bad of [undefined, '', '0', 'abc', '-5', '1.5', '99999999999', '90x'])
      expect(sessionIntervalMs(bad), String(bad)).toBeUndefined();
  });
});
