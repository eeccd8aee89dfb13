// An answered call's INVITE transactions in Accepted (RFC 6026 §7.1, §7.2) once the proxy's response
// context is done: the layer keeps compact records in place of the machines until Timers L and M
// (64*T1). What the caller and callee see must not change: INVITE retransmissions absorbed, a 2xx
// retransmission relayed upstream with the same bytes to the same place, forwarded statelessly once
// Timer M has passed (§16.7, proxy.strayResponse), and a CANCEL after the 2xx answered 200 (§9.2).
import { describe, expect, it } from 'vitest';
import type { SipResponse } from '../../../../core/sip/message/index';
import type { Peer } from '../../../../core/sip/transport/peer';
import { CALLEE, CALLER, answerLines, answeredCall, forwardedTo, inviteLines, register } from './call-steps';
import { kinds, stack } from './stack';

const text = (m: { toBuffer(): Buffer }): string => m.toBuffer().toString('latin1');

/** The caller of these tests never ACKs: the call waits for it past their clock. */
const NO_ACK = { ackWaitMs: 3_600_000 };

describe('an answered call in Accepted (RFC 6026)', () => {
  it('absorbs INVITE retransmissions: nothing goes to anyone', async () => {
    const s = stack();
    await answeredCall(s, 'acc-retrans');
    const before = s.sent.length;
    await s.receive(inviteLines('acc-retrans'), CALLER);
    s.advance(2_000);
    await s.receive(inviteLines('acc-retrans'), CALLER);
    expect(s.sent.length).toBe(before);
  });

  // Some phones copy their INVITE's Via, branch and all, into the ACK of its 2xx (§13.2.2.4 wants a new
  // one). It matches the INVITE's server transaction, in Accepted: RFC 6026 §7.1 hands it to the TU, which
  // relays it end to end; absorbed, the call was ended at 64*T1 for "No ACK for the 2xx".
  const ackOnInviteBranch = (ok: SipResponse, callId: string): string[] => [
    'ACK sip:1002@10.0.0.6:5064 SIP/2.0',
    `Via: SIP/2.0/UDP ${CALLER.address}:${CALLER.port};branch=z9hG4bK-${callId};rport`,
    ...ok.recordRoutes.map((r) => `Route: ${r.raw}`),
    'Max-Forwards: 70',
    'From: <sip:1001@192.0.2.10>;tag=caller',
    `To: ${ok.header('to')}`,
    `Call-ID: ${callId}`,
    'CSeq: 1 ACK',
  ];

  it("relays a 2xx ACK on the INVITE's branch once the call is settled (the layer's Accepted record)", async () => {
    const s = stack();
    const ok = await answeredCall(s, 'ack-same-branch');
    const start = s.sent.length;
    await s.receive(ackOnInviteBranch(ok, 'ack-same-branch'), CALLER);
    expect(kinds(s.sentTo(CALLEE, start))).toEqual(['ACK']);
    s.advance(40_000);
    expect(s.callEvents.filter((e) => e.type === 'ended')).toEqual([]);
  });

  it("relays a 2xx ACK on the INVITE's branch while another fork still rings (the live machine in Accepted)", async () => {
    const s = stack();
    const other: Peer = { transport: 'UDP', address: '10.0.0.7', port: 5066 };
    await register(s, CALLEE, '1002', 'r1');
    await register(s, other, '1002', 'r2');
    await s.receive(inviteLines('ack-fork'), CALLER);
    await s.receive(answerLines(forwardedTo(s, other), '180 Ringing', 'other'), other);
    const start = s.sent.length;
    await s.receive(answerLines(forwardedTo(s, CALLEE), '200 OK'), CALLEE);
    const ok = s.sentTo(CALLER, start).find((m) => kinds([m])[0] === '200') as SipResponse;
    const acked = s.sent.length;
    await s.receive(ackOnInviteBranch(ok, 'ack-fork'), CALLER);
    expect(kinds(s.sentTo(CALLEE, acked))).toEqual(['ACK']);
    // An INVITE retransmission on that branch is still absorbed.
    const retrans = s.sent.length;
    await s.receive(inviteLines('ack-fork'), CALLER);
    expect(kinds(s.sentTo(CALLER, retrans))).toEqual([]);
  });

  it('relays a 2xx retransmission during Timer M as the first (same bytes, same place), statelessly after it', async () => {
    const s = stack({}, NO_ACK); // the callee retransmits its 2xx: no ACK came
    const first = await answeredCall(s, 'acc-2xx');
    const firstSent = s.sent.at(-1)!;
    expect(firstSent.kind).toBe('200');
    const ok = answerLines(forwardedTo(s, CALLEE), '200 OK');

    s.advance(31_000);
    await s.receive(ok, CALLEE);
    const again = s.sent.at(-1)!;
    expect(again.to).toEqual(firstSent.to);
    expect(again.kind).toBe('200');
    expect(text(again.message)).toBe(text(first));

    s.advance(1_200); // past 64*T1 from the 200: Timers L and M (and the REGISTER's J) have fired
    expect(s.layer.serverCount).toBe(0);
    expect(s.layer.clientCount).toBe(0);
    await s.receive(ok, CALLEE);
    const stray = s.sent.at(-1)!;
    expect(stray.kind).toBe('stateless');
    expect(stray.to).toEqual(CALLER);
    expect(text(stray.message)).toBe(text(first));
  });

  it('answers a CANCEL after the 2xx with 200 and sends no CANCEL downstream (§9.2: it matches, to no effect)', async () => {
    const s = stack();
    await answeredCall(s, 'acc-cancel');
    const sentBefore = s.sent.length;
    await s.receive(inviteLines('acc-cancel', 'CANCEL'), CALLER);
    const after = s.sent.slice(sentBefore);
    expect(after.map((x) => kinds([x.message])[0])).toEqual(['200']);
    expect((after[0]!.message as SipResponse).cseq.method).toBe('CANCEL');
    // A CANCEL that matches no INVITE at all is still a 481.
    const before = s.sent.length;
    await s.receive(inviteLines('no-such-call', 'CANCEL'), CALLER);
    expect(kinds(s.sent.slice(before).map((x) => x.message))).toEqual(['481']);
  });

  it('a CANCEL after the 2xx while another fork still ends gets 200, and that fork one CANCEL only', async () => {
    const s = stack({}, NO_ACK);
    const other: Peer = { transport: 'UDP', address: '10.0.0.7', port: 5066 };
    await register(s, CALLEE, '1002', 'r1');
    await register(s, other, '1002', 'r2');
    const start = s.sent.length;
    await s.receive(inviteLines('acc-fork'), CALLER);
    const ringing = forwardedTo(s, other);
    await s.receive(answerLines(ringing, '180 Ringing', 'other'), other);
    await s.receive(answerLines(forwardedTo(s, CALLEE), '200 OK'), CALLEE);
    await s.receive(inviteLines('acc-fork', 'CANCEL'), CALLER);
    expect(kinds(s.sentTo(CALLER))).toEqual(['100', '180', '200', '200']);
    await s.receive(answerLines(ringing, '487 Request Terminated', 'other'), other);
    expect(kinds(s.sentTo(other, start))).toEqual(['INVITE', 'CANCEL', 'ACK']);
    expect(kinds(s.sentTo(CALLER))).toEqual(['100', '180', '200', '200']);
    // Settled now: a second CANCEL finds no INVITE transaction to cancel (the first's 200 is resent).
    await s.receive(inviteLines('acc-fork', 'CANCEL'), CALLER);
    expect(kinds(s.sentTo(CALLER))).toEqual(['100', '180', '200', '200', '200']);
    s.advance(33_000);
    expect(s.layer.serverCount).toBe(0);
    expect(s.layer.clientCount).toBe(0);
  });

  it('both forks answer: the second dialog, ACKed and BYEd by the caller at once, does not end the call', async () => {
    const s = stack();
    const other: Peer = { transport: 'UDP', address: '10.0.0.7', port: 5066 };
    await register(s, CALLEE, '1002', 'r1');
    await register(s, other, '1002', 'r2');
    await s.receive(inviteLines('two-200'), CALLER);
    const first = forwardedTo(s, CALLEE);
    const second = forwardedTo(s, other);
    await s.receive(answerLines(first, '200 OK', 'kept'), CALLEE);
    await s.receive(answerLines(second, '200 OK', 'extra'), other); // crossed the CANCEL: forwarded too
    const bye = (tag: string, cseq: number): string[] => [
      `BYE sip:1002@${tag === 'kept' ? '10.0.0.6:5064' : '10.0.0.7:5066'} SIP/2.0`,
      `Via: SIP/2.0/UDP ${CALLER.address}:${CALLER.port};branch=z9hG4bK-bye-${tag};rport`,
      'Max-Forwards: 70',
      `From: <sip:1001@192.0.2.10>;tag=caller`,
      `To: <sip:1002@192.0.2.10>;tag=${tag}`,
      'Call-ID: two-200',
      `CSeq: ${cseq} BYE`,
    ];
    s.advance(500);
    await s.receive(bye('extra', 2), CALLER);
    expect(s.callEvents.filter((e) => e.type === 'ended')).toEqual([]);
    s.advance(3000);
    await s.receive(bye('kept', 3), CALLER);
    const ended = s.callEvents.filter((e) => e.type === 'ended');
    expect(ended).toHaveLength(1);
    expect(ended[0]!.call).toMatchObject({ cseq: '3 BYE', hangupBy: 'caller' });
    expect(ended[0]!.call.endedAt! - ended[0]!.call.answeredAt!).toBe(3500);
  });
});
