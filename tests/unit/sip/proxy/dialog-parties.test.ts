// A dialog's mark (dialog-token.ts) names its parties, not only its Call-ID: every request of the dialog
// carries the same From and To URIs and the caller's tag, one way or the other (RFC 3261 §12.2.1.1). With a
// mark of the Call-ID alone, the callee of a call could send, along the route set it was given, a
// MESSAGE "from" anyone to anyone, unchallenged (found by the second security pass).
import { describe, expect, it } from 'vitest';
import type { SipRequest } from '../../../../core/sip/message/index';
import type { Peer } from '../../../../core/sip/transport/peer';
import { CALLEE, CALLER, forwardedTo, inviteLines, register } from './call-steps';
import { SERVER, kinds, stack } from './stack';

const THIRD: Peer = { transport: 'UDP', address: '10.0.0.7', port: 5066 };

/** A MESSAGE the callee sends along the dialog's route set, with the given From, To and target. */
function calleeMessage(invite: SipRequest, target: string, from: string, to: string): string[] {
  return [
    `MESSAGE ${target} SIP/2.0`,
    `Via: SIP/2.0/UDP ${CALLEE.address}:${CALLEE.port};branch=z9hG4bK-msg-${from.length}-${to.length};rport`,
    'Max-Forwards: 70',
    `From: ${from}`,
    `To: ${to}`,
    `Call-ID: ${invite.callId}`,
    'CSeq: 7 MESSAGE',
    ...invite.recordRoutes.map((r) => `Route: ${r.raw}`),
  ];
}

describe("a request along a dialog's route set", () => {
  async function call() {
    const s = stack({ authMethods: ['MESSAGE'] });
    await register(s, CALLEE, '1002');
    await register(s, THIRD, '1003', 't');
    await s.receive(inviteLines('parties-1'), CALLER);
    return { s, invite: forwardedTo(s, CALLEE) };
  }

  it("from the callee as itself, to the caller: relayed unchallenged (the dialog's own)", async () => {
    const { s, invite } = await call();
    const start = s.sent.length;
    const from = `<sip:1002@${SERVER.address}>;tag=callee`;
    const to = `<sip:1001@${SERVER.address}>;tag=caller`;
    await s.receive(calleeMessage(invite, `sip:1001@${CALLER.address}:${CALLER.port}`, from, to), CALLEE);
    expect(kinds(s.sentTo(CALLER, start))).toEqual(['MESSAGE']);
    expect(kinds(s.sentTo(CALLEE, start))).not.toContain('407');
  });

  it('from the callee as someone else, to a third user: challenged (407), not delivered', async () => {
    const { s, invite } = await call();
    const start = s.sent.length;
    const from = `"CEO" <sip:1001@${SERVER.address}>;tag=caller`;
    const to = `<sip:1003@${SERVER.address}>;tag=x`;
    await s.receive(calleeMessage(invite, `sip:1003@${THIRD.address}:${THIRD.port}`, from, to), CALLEE);
    expect(kinds(s.sentTo(CALLEE, start))).toEqual(['407']);
    expect(s.sentTo(THIRD, start)).toEqual([]);
  });

  it("with the dialog's parties but another tag: challenged", async () => {
    const { s, invite } = await call();
    const start = s.sent.length;
    const from = `<sip:1002@${SERVER.address}>;tag=callee`;
    const to = `<sip:1001@${SERVER.address}>;tag=not-the-callers`;
    await s.receive(calleeMessage(invite, `sip:1001@${CALLER.address}:${CALLER.port}`, from, to), CALLEE);
    expect(kinds(s.sentTo(CALLEE, start))).toEqual(['407']);
    expect(s.sentTo(CALLER, start)).toEqual([]);
  });
});
