// RFC 5626 §5.3 on the proxy tests' stack (fake clock, recorded sends): 1002's phone registers one
// instance with two flows, reg-id=1 over TCP and then reg-id=2 over UDP. A request goes to the newest
// flow only; when that flow has failed (a 430, or a timeout or transport error before the phone said
// anything but 100), the branch is replaced by one to the other flow and the caller hears nothing of the
// failed one. A flow that rang and was not answered, a 486, or a caller's CANCEL ends the device's turn.
// It was: the INVITE went to the dead UDP flow until Timer B, and the caller got 408 after 32 s.
import { describe, expect, it } from 'vitest';
import type { SipRequest, SipResponse } from '../../../../core/sip/message/index';
import type { Peer } from '../../../../core/sip/transport/peer';
import { CALLER, answerLines, forwardedTo, inviteLines, register } from './call-steps';
import { REALM, SERVER, inviteFrom, kinds, stack } from './stack';

type Stack = ReturnType<typeof stack>;

const INSTANCE = '+sip.instance="<urn:uuid:22222222-0000-1000-8000-aabbccddeeff>"';
/** The phone's two flows: the older over TCP, the newer over UDP. */
const TCP_FLOW: Peer = { transport: 'TCP', address: '10.0.0.6', port: 21146 };
const UDP_FLOW: Peer = { transport: 'UDP', address: '10.0.0.6', port: 21147 };
/** Another phone of 1002's, without an instance ID: forked to in parallel as before. */
const DESK: Peer = { transport: 'UDP', address: '10.0.0.7', port: 5066 };

/** 1002 registers the flow `regId` from `flow` (Supported: outbound, RFC 5626 §4.2). */
async function registerFlow(s: Stack, flow: Peer, regId: number): Promise<void> {
  const before = s.sent.length;
  const transport = flow.transport.toLowerCase();
  await s.receive(
    [
      `REGISTER sip:${SERVER.address}:${SERVER.port} SIP/2.0`,
      `Via: SIP/2.0/${flow.transport} ${flow.address}:${flow.port};branch=z9hG4bK-reg-flow-${regId};rport`,
      'Max-Forwards: 70',
      `From: <sip:1002@${SERVER.address}>;tag=flow${regId}`,
      `To: <sip:1002@${SERVER.address}>`,
      `Call-ID: reg-flow-${regId}`,
      'CSeq: 1 REGISTER',
      'Supported: outbound',
      `Contact: <sip:1002@${flow.address}:${flow.port};transport=${transport}>;reg-id=${regId};${INSTANCE}`,
      'Expires: 300',
    ],
    flow,
  );
  const ok = s.sentTo(flow, before).find((m) => kinds([m])[0] === '200') as SipResponse;
  expect(ok.header('require')).toBe('outbound');
}

/** The phone with both flows registered, the UDP one a second later (the newest). */
async function twoFlows(): Promise<Stack> {
  const s = stack();
  await registerFlow(s, TCP_FLOW, 1);
  s.advance(1000);
  await registerFlow(s, UDP_FLOW, 2);
  return s;
}

const invites = (s: Stack, flow: Peer): SipRequest[] =>
  s.sentTo(flow).filter((m) => kinds([m])[0] === 'INVITE') as SipRequest[];

/** What the caller was answered to its INVITE (and CANCEL), 100 Trying left out. */
const toCaller = (s: Stack): string[] =>
  (s.sentTo(CALLER) as SipResponse[])
    .filter((r) => r.status > 100)
    .map((r) => `${r.status} ${r.cseq.method}`);

describe('a device with two SIP Outbound flows whose newest flow fails (RFC 5626 §5.3)', () => {
  it('the dead newest flow times out (Timer B): the older flow gets the INVITE and the call completes', async () => {
    const s = await twoFlows();
    await s.receive(inviteLines('flow-dead'), CALLER);
    expect(invites(s, UDP_FLOW).length).toBeGreaterThan(0);
    expect(invites(s, TCP_FLOW)).toEqual([]); // one flow of a device at a time
    s.advance(31_000);
    expect(invites(s, TCP_FLOW)).toEqual([]);
    s.advance(1_100); // Timer B (64*T1) on the UDP flow's branch
    const retried = invites(s, TCP_FLOW);
    expect(retried).toHaveLength(1);
    expect(retried[0]!.uri).toBe('sip:1002@10.0.0.6:21146;transport=tcp');
    // Prepared as the first one was: our Via for TCP on top, a Record-Route naming the TCP flow.
    expect(retried[0]!.topVia.transport).toBe('TCP');
    expect(retried[0]!.topVia.branch).not.toBe(forwardedTo(s, UDP_FLOW).topVia.branch);
    expect(retried[0]!.recordRoutes.some((r) => /;flow=/.test(r.raw))).toBe(true);
    expect(toCaller(s)).toEqual([]); // nothing of the failed flow
    await s.receive(answerLines(retried[0]!, '180 Ringing'), TCP_FLOW);
    await s.receive(answerLines(retried[0]!, '200 OK'), TCP_FLOW);
    expect(toCaller(s)).toEqual(['180 INVITE', '200 INVITE']);
    expect(s.callEvents.at(-1)?.call.state).toBe('answered');
  });

  it('a transport error on the newest flow: the older flow gets the INVITE at once', async () => {
    const s = await twoFlows();
    s.unreachable(UDP_FLOW);
    await s.receive(inviteLines('flow-unsendable'), CALLER);
    expect(invites(s, TCP_FLOW)).toHaveLength(1);
    await s.receive(answerLines(invites(s, TCP_FLOW)[0]!, '200 OK'), TCP_FLOW);
    expect(toCaller(s)).toEqual(['200 INVITE']);
  });

  it('a 430 (Flow Failed) from downstream: the older flow gets the INVITE', async () => {
    const s = await twoFlows();
    await s.receive(inviteLines('flow-430'), CALLER);
    await s.receive(answerLines(forwardedTo(s, UDP_FLOW), '430 Flow Failed'), UDP_FLOW);
    expect(invites(s, TCP_FLOW)).toHaveLength(1);
    expect(toCaller(s)).toEqual([]);
    // That flow fails too: every flow of the device has failed, and the caller gets the best answer.
    await s.receive(answerLines(invites(s, TCP_FLOW)[0]!, '430 Flow Failed'), TCP_FLOW);
    expect(toCaller(s)).toEqual(['430 INVITE']);
  });

  // It was: the 430 and the 486 ranked alike (§16.7 step 6, first received), and the caller got 430.
  it("a 430 from the newest flow, then a 486 from the older: the caller gets the device's 486", async () => {
    const s = await twoFlows();
    await s.receive(inviteLines('flow-430-busy'), CALLER);
    await s.receive(answerLines(forwardedTo(s, UDP_FLOW), '430 Flow Failed'), UDP_FLOW);
    await s.receive(answerLines(invites(s, TCP_FLOW)[0]!, '486 Busy Here'), TCP_FLOW);
    expect(toCaller(s)).toEqual(['486 INVITE']);
  });

  it('a 408 from downstream after only its 100 (an edge proxy that lost the flow): the older flow gets the INVITE', async () => {
    const s = await twoFlows();
    await s.receive(inviteLines('flow-408'), CALLER);
    await s.receive(answerLines(forwardedTo(s, UDP_FLOW), '100 Trying'), UDP_FLOW);
    await s.receive(answerLines(forwardedTo(s, UDP_FLOW), '408 Request Timeout'), UDP_FLOW);
    expect(invites(s, TCP_FLOW)).toHaveLength(1);
    expect(toCaller(s)).toEqual([]);
  });

  it("the device's public GRUU (RFC 5627 §7): the older flow is tried too", async () => {
    const s = await twoFlows();
    const gruu = `sip:1002@${REALM};gr=urn:uuid:22222222-0000-1000-8000-aabbccddeeff`;
    await s.receive(inviteFrom(CALLER, gruu, 'flow-gruu'), CALLER);
    expect(invites(s, UDP_FLOW)).toHaveLength(1);
    await s.receive(answerLines(forwardedTo(s, UDP_FLOW), '430 Flow Failed'), UDP_FLOW);
    expect(invites(s, TCP_FLOW)).toHaveLength(1);
  });

  it('a flow that rang and was not answered (Timer C): no other flow is tried', async () => {
    const s = await twoFlows();
    await s.receive(inviteLines('flow-no-answer'), CALLER);
    const forwarded = forwardedTo(s, UDP_FLOW);
    await s.receive(answerLines(forwarded, '180 Ringing'), UDP_FLOW);
    s.advance(180_100); // Timer C: the branch is CANCELled
    expect(kinds(s.sentTo(UDP_FLOW)).at(-1)).toBe('CANCEL');
    await s.receive(answerLines(forwarded, '487 Request Terminated'), UDP_FLOW);
    expect(invites(s, TCP_FLOW)).toEqual([]);
    expect(toCaller(s)).toEqual(['180 INVITE', '408 INVITE']);
  });

  // A 503 too: only a next hop name's other addresses are tried after one (RFC 3263 §4.3), not a flow.
  it.each([
    ['486 Busy Here', '486 INVITE'],
    ['503 Service Unavailable', '500 INVITE'],
  ])('a %s from the flow: no other flow is tried (MUST NOT)', async (answer, caller) => {
    const s = await twoFlows();
    await s.receive(inviteLines('flow-busy'), CALLER);
    await s.receive(answerLines(forwardedTo(s, UDP_FLOW), answer), UDP_FLOW);
    expect(invites(s, TCP_FLOW)).toEqual([]);
    expect(toCaller(s)).toEqual([caller]);
  });

  it('the caller cancels while the newest flow is silent: no new branch, not even at Timer B', async () => {
    const s = await twoFlows();
    await s.receive(inviteLines('flow-cancel'), CALLER);
    await s.receive(inviteLines('flow-cancel', 'CANCEL'), CALLER);
    expect(toCaller(s)).toEqual(['200 CANCEL', '487 INVITE']);
    s.advance(32_100);
    expect(invites(s, TCP_FLOW)).toEqual([]);
    // The 487 again (its retransmissions: this caller sends no ACK), and nothing else.
    expect(new Set(toCaller(s))).toEqual(new Set(['200 CANCEL', '487 INVITE']));
  });

  it("another phone of the user rings in parallel meanwhile, and the device's other flow is tried", async () => {
    const s = await twoFlows();
    await register(s, DESK, '1002', 'desk');
    await s.receive(inviteLines('flow-and-desk'), CALLER);
    expect(invites(s, DESK)).toHaveLength(1);
    await s.receive(answerLines(forwardedTo(s, DESK), '180 Ringing', 'desk'), DESK);
    s.advance(32_100);
    expect(invites(s, TCP_FLOW)).toHaveLength(1);
    await s.receive(answerLines(invites(s, TCP_FLOW)[0]!, '200 OK'), TCP_FLOW);
    expect(toCaller(s)).toEqual(['180 INVITE', '200 INVITE']);
    expect(kinds(s.sentTo(DESK)).at(-1)).toBe('CANCEL'); // completed elsewhere
  });

  it("sequential forking: the device's other flow takes the failed one's turn, then the next phone", async () => {
    const s = stack({ forking: 'sequential' });
    await registerFlow(s, TCP_FLOW, 1);
    s.advance(1000);
    await registerFlow(s, UDP_FLOW, 2);
    await register(s, DESK, '1002', 'desk');
    // The desk phone's q is lower: it comes after the device with the two flows.
    await s.receive(
      [
        `REGISTER sip:${SERVER.address}:${SERVER.port} SIP/2.0`,
        `Via: SIP/2.0/UDP ${DESK.address}:${DESK.port};branch=z9hG4bK-reg-desk-2;rport`,
        'Max-Forwards: 70',
        `From: <sip:1002@${SERVER.address}>;tag=desk`,
        `To: <sip:1002@${SERVER.address}>`,
        'Call-ID: reg-1002-desk',
        'CSeq: 2 REGISTER',
        `Contact: <sip:1002@${DESK.address}:${DESK.port}>;q=0.5`,
        'Expires: 3600',
      ],
      DESK,
    );
    await s.receive(inviteLines('flow-sequential'), CALLER);
    expect(invites(s, UDP_FLOW).length).toBeGreaterThan(0);
    expect(invites(s, DESK)).toEqual([]);
    s.advance(32_100);
    expect(invites(s, TCP_FLOW)).toHaveLength(1);
    expect(invites(s, DESK)).toEqual([]);
    await s.receive(answerLines(invites(s, TCP_FLOW)[0]!, '486 Busy Here'), TCP_FLOW);
    expect(invites(s, DESK)).toHaveLength(1);
    await s.receive(answerLines(invites(s, DESK)[0]!, '200 OK', 'desk'), DESK);
    expect(toCaller(s)).toEqual(['200 INVITE']);
  });
});
