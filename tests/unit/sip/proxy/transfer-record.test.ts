// A call transfer through the proxy (RFC 3515 REFER, RFC 3892 Referred-By, RFC 3891 Replaces): the
// transferred call's CDR row says where it was transferred and by whom, the transferee's new call says who
// referred it (extra_info, which the original never filled). A REFER the other party refuses changes
// nothing; one whose NOTIFY reports a failure (RFC 3515 §2.4.5) is said to have failed. A call taken over by an INVITE with Replaces and no REFER (RFC 3891 §3) is marked in both rows.
import { describe, expect, it } from 'vitest';
import { callRecord } from '../../../../core/cdr/from-events';
import type { SipRequest, SipResponse } from '../../../../core/sip/message/index';
import { referTarget, replacedDialog } from '../../../../core/sip/proxy/transfer-headers';
import { CALLEE, CALLER, LATE_OFFER, answerLines, forwardedTo, inviteLines, register } from './call-steps';
import type { Peer } from '../../../../core/sip/transport/peer';
import { SERVER, kinds, stack } from './stack';

type Stack = ReturnType<typeof stack>;

/** The callee's request `method` in the call (CSeq `cseq`, `extra` headers), relayed to the caller. */
async function fromCallee(
  s: Stack,
  invite: SipRequest,
  ok: SipResponse,
  method: string,
  cseq: number,
  extra: string[],
  body = '',
): Promise<SipRequest> {
  const before = s.sent.length;
  await s.receive(
    [
      `${method} sip:1001@${CALLER.address}:${CALLER.port} SIP/2.0`,
      `Via: SIP/2.0/UDP ${CALLEE.address}:${CALLEE.port};branch=z9hG4bK-${method}-${cseq};rport`,
      ...invite.recordRoutes.map((r) => `Route: ${r.raw}`),
      'Max-Forwards: 70',
      `From: ${ok.header('to')}`,
      `To: ${ok.header('from')}`,
      `Call-ID: ${ok.callId}`,
      `CSeq: ${cseq} ${method}`,
      `Contact: <sip:1002@${CALLEE.address}:${CALLEE.port}>`,
      ...extra,
    ],
    CALLEE,
    body,
  );
  return s.sentTo(CALLER, before).find((m) => 'method' in m && m.method === method) as SipRequest;
}

/** The caller's NOTIFY of the refer event (RFC 3515 §2.4.4) in the call, its sipfrag `status`, relayed to the callee. */
async function fromCaller(
  s: Stack,
  ok: SipResponse,
  method: string,
  cseq: number,
  status: string,
  state: string,
): Promise<SipRequest> {
  const before = s.sent.length;
  await s.receive(
    [
      `${method} sip:1002@${CALLEE.address}:${CALLEE.port} SIP/2.0`,
      `Via: SIP/2.0/UDP ${CALLER.address}:${CALLER.port};branch=z9hG4bK-c-${method}-${cseq};rport`,
      ...ok.recordRoutes.map((r) => `Route: ${r.raw}`).reverse(),
      'Max-Forwards: 70',
      `From: ${ok.header('from')}`,
      `To: ${ok.header('to')}`,
      `Call-ID: ${ok.callId}`,
      `CSeq: ${cseq} ${method}`,
      `Contact: <sip:1001@${CALLER.address}:${CALLER.port}>`,
      'Event: refer',
      `Subscription-State: ${state}`,
      'Content-Type: message/sipfrag;version=2.0',
    ],
    CALLER,
    `${status}\r\n`,
  );
  return s.sentTo(CALLEE, before).find((m) => 'method' in m && m.method === method) as SipRequest;
}

/** The caller's answer `status` to a request the proxy relayed to it. */
async function callerAnswers(s: Stack, relayed: SipRequest, status: string): Promise<void> {
  await s.receive(
    [
      `SIP/2.0 ${status}`,
      ...relayed.headerValues('via').map((v) => `Via: ${v}`),
      `From: ${relayed.header('from')}`,
      `To: ${relayed.header('to')}`,
      `Call-ID: ${relayed.callId}`,
      `CSeq: ${relayed.cseq.seq} ${relayed.cseq.method}`,
    ],
    CALLER,
  );
}

/** 1001 calls 1002, who answers; returns the INVITE as 1002 got it and the 200 as 1001 got it. */
async function call(s: Stack, callId: string): Promise<{ invite: SipRequest; ok: SipResponse }> {
  await register(s, CALLEE);
  await s.receive(inviteLines(callId), CALLER);
  const invite = forwardedTo(s, CALLEE);
  await s.receive([...answerLines(invite, '200 OK'), LATE_OFFER.type], CALLEE, LATE_OFFER.body);
  return { invite, ok: s.sentTo(CALLER).at(-1) as SipResponse };
}

const AT = `${SERVER.address}`;

describe('a call transferred with REFER', () => {
  it('says in the CDR row where the callee transferred the caller, once the caller accepted (202)', async () => {
    const s = stack({}, { ackWaitMs: 3_600_000 });
    const { invite, ok } = await call(s, 'xfer-1');
    const refer = await fromCallee(s, invite, ok, 'REFER', 1, [
      `Refer-To: <sip:1003@${AT}>`,
      `Referred-By: <sip:1002@${AT}>`,
    ]);
    expect(refer).toBeDefined();
    await callerAnswers(s, refer, '202 Accepted');
    await fromCallee(s, invite, ok, 'BYE', 2, []);
    const ended = s.callEvents.at(-1)!;
    expect(ended.type).toBe('ended');
    expect(callRecord(ended.call).extra_info).toBe(`Transferred to sip:1003@${AT} by callee (REFER)`);
  });

  it('says nothing of a REFER the other party refused', async () => {
    const s = stack({}, { ackWaitMs: 3_600_000 });
    const { invite, ok } = await call(s, 'xfer-2');
    const refer = await fromCallee(s, invite, ok, 'REFER', 1, [`r: <sip:1003@${AT}>`]);
    await callerAnswers(s, refer, '603 Declined');
    await fromCallee(s, invite, ok, 'BYE', 2, []);
    expect(callRecord(s.callEvents.at(-1)!.call).extra_info).toBe('');
  });

  // RFC 3515 §2.4.5: the 202 accepts the REFER; the caller's NOTIFY (message/sipfrag) says how the call
  // to the target ended. A 404 there was still recorded "Transferred to", the call going on after it.
  it("says the transfer failed, with the code, when the caller's NOTIFY reports a failure (sipfrag)", async () => {
    const s = stack({}, { ackWaitMs: 3_600_000 });
    const { invite, ok } = await call(s, 'xfer-fail');
    const refer = await fromCallee(s, invite, ok, 'REFER', 1, [`Refer-To: <sip:9999@${AT}>`]);
    await callerAnswers(s, refer, '202 Accepted');
    const trying = await fromCaller(s, ok, 'NOTIFY', 2, 'SIP/2.0 100 Trying', 'active;expires=60');
    expect(trying).toBeDefined();
    const failed = await fromCaller(
      s,
      ok,
      'NOTIFY',
      3,
      'SIP/2.0 404 Not Found',
      'terminated;reason=noresource',
    );
    expect(failed).toBeDefined();
    // The call goes on; the callee hangs up later.
    expect(s.calls.list()[0]!.state).toBe('answered');
    await fromCallee(s, invite, ok, 'BYE', 2, []);
    expect(callRecord(s.callEvents.at(-1)!.call).extra_info).toBe(
      `Transfer to sip:9999@${AT} by callee failed: 404 Not Found (REFER)`,
    );
  });

  it('stays "Transferred to" when the NOTIFY reports the 200 (and a NOTIFY of the callee, the REFER\'s sender, is no outcome)', async () => {
    const s = stack({}, { ackWaitMs: 3_600_000 });
    const { invite, ok } = await call(s, 'xfer-ok');
    const refer = await fromCallee(s, invite, ok, 'REFER', 1, [`Refer-To: <sip:1003@${AT}>`]);
    await callerAnswers(s, refer, '202 Accepted');
    await fromCaller(s, ok, 'NOTIFY', 2, 'SIP/2.0 200 OK', 'terminated;reason=noresource');
    await fromCallee(
      s,
      invite,
      ok,
      'NOTIFY',
      2,
      ['Event: refer', 'Subscription-State: terminated', 'Content-Type: message/sipfrag'],
      'SIP/2.0 503 Service Unavailable\r\n',
    );
    await fromCallee(s, invite, ok, 'BYE', 3, []);
    expect(callRecord(s.callEvents.at(-1)!.call).extra_info).toBe(
      `Transferred to sip:1003@${AT} by callee (REFER)`,
    );
  });

  it("says who referred the transferee's new call (Referred-By)", async () => {
    const s = stack({}, { ackWaitMs: 3_600_000 });
    await register(s, CALLEE);
    await s.receive([...inviteLines('xfer-3'), `Referred-By: "Bob" <sip:1002@${AT}>;cid=x`], CALLER);
    expect(kinds(s.sentTo(CALLEE))).toContain('INVITE');
    expect(callRecord(s.calls.list()[0]!).extra_info).toBe(`Referred by sip:1002@${AT}`);
  });
});

/** Another phone of 1001's, taking 1002's call over. */
const PICKUP: Peer = { transport: 'UDP', address: '10.0.0.7', port: 5066 };

/** PICKUP's INVITE to 1002 replacing the dialog `replaces` (Call-ID;to-tag;from-tag as RFC 3891 §6.1). */
function replacingInvite(callId: string, replaces: string): string[] {
  return [
    `INVITE sip:1002@${AT} SIP/2.0`,
    `Via: SIP/2.0/UDP ${PICKUP.address}:${PICKUP.port};branch=z9hG4bK-${callId};rport`,
    'Max-Forwards: 70',
    `From: <sip:1001@${AT}>;tag=pickup`,
    `To: <sip:1002@${AT}>`,
    `Call-ID: ${callId}`,
    'CSeq: 1 INVITE',
    `Contact: <sip:1001@${PICKUP.address}:${PICKUP.port}>`,
    `Replaces: ${replaces}`,
  ];
}

describe('a call taken over with an INVITE with Replaces, no REFER (RFC 3891)', () => {
  it('marks the replaced row with the call that replaced it, and the new row with the one it replaced', async () => {
    const s = stack({}, { ackWaitMs: 3_600_000 });
    const { invite, ok } = await call(s, 'old-call');
    await s.receive(replacingInvite('new-call', 'old-call;to-tag=callee;from-tag=caller'), PICKUP);
    const taking = forwardedTo(s, CALLEE);
    expect(taking.callId).toBe('new-call');
    expect(taking.header('replaces')).toBe('old-call;to-tag=callee;from-tag=caller');
    await s.receive([...answerLines(taking, '200 OK', 'callee2'), LATE_OFFER.type], CALLEE, LATE_OFFER.body);
    // 1002 ends the replaced dialog (RFC 3891 §3), then the new call ends.
    await fromCallee(s, invite, ok, 'BYE', 2, []);
    const old = s.callEvents.find((e) => e.type === 'ended' && e.call.callId === 'old-call')!;
    expect(callRecord(old.call).extra_info).toBe(
      'Replaced by call new-call (INVITE with Replaces, RFC 3891)',
    );
    const now = s.calls.list().find((c) => c.callId === 'new-call')!;
    expect(now.state).toBe('answered');
    expect(callRecord(now).extra_info).toBe('Replaces call old-call');
  });

  it("marks the replaced row when the old dialog's BYE comes before the new call's 200 (linphonec's order)", async () => {
    const s = stack({}, { ackWaitMs: 3_600_000 });
    const { invite, ok } = await call(s, 'old-first');
    await s.receive(replacingInvite('new-second', 'old-first;from-tag=caller;to-tag=callee'), PICKUP);
    const taking = forwardedTo(s, CALLEE);
    await fromCallee(s, invite, ok, 'BYE', 2, []);
    await s.receive([...answerLines(taking, '200 OK', 'callee2'), LATE_OFFER.type], CALLEE, LATE_OFFER.body);
    const old = s.callEvents.find((e) => e.type === 'ended' && e.call.callId === 'old-first')!;
    expect(callRecord(old.call).extra_info).toBe(
      'Replaced by call new-second (INVITE with Replaces, RFC 3891)',
    );
  });

  it('leaves the call alone when the INVITE with Replaces is refused (481, no such dialog there)', async () => {
    const s = stack({}, { ackWaitMs: 3_600_000 });
    const { invite, ok } = await call(s, 'kept-call');
    await s.receive(replacingInvite('refused-call', 'kept-call;to-tag=callee;from-tag=caller'), PICKUP);
    await s.receive(answerLines(forwardedTo(s, CALLEE), '481 Call/Transaction Does Not Exist'), CALLEE);
    await fromCallee(s, invite, ok, 'BYE', 2, []);
    const kept = s.callEvents.find((e) => e.type === 'ended' && e.call.callId === 'kept-call')!;
    expect(callRecord(kept.call).extra_info).toBe('');
  });
});

describe('referTarget', () => {
  it('reads the target without its headers, and an attended transfer by its Replaces', () => {
    expect(referTarget('<sip:1003@lab;transport=tcp>')).toEqual({
      uri: 'sip:1003@lab;transport=tcp',
      attended: false,
    });
    expect(referTarget('sip:1003@lab')).toEqual({ uri: 'sip:1003@lab', attended: false });
    expect(referTarget('<sip:1003@lab?Replaces=a%40b%3Bto-tag%3D1%3Bfrom-tag%3D2>')).toEqual({
      uri: 'sip:1003@lab',
      attended: true,
    });
  });
});

describe('replacedDialog', () => {
  it("reads a Replaces header's Call-ID and both tags (RFC 3891 §6.1), parameters in any order", () => {
    expect(replacedDialog('abc@host;to-tag=1;from-tag=2;early-only')).toEqual({
      callId: 'abc@host',
      tags: ['1', '2'],
    });
    expect(replacedDialog(' 7dbe494112fe5378 ; FROM-TAG = cf07 ; to-tag=A3jAw8M')).toEqual({
      callId: '7dbe494112fe5378',
      tags: ['cf07', 'A3jAw8M'],
    });
    expect(replacedDialog('')).toBeUndefined();
  });
});
