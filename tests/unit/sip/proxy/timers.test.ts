// The proxy's and registrar's timers on a fake clock (stack.ts): binding expiry (§10.2.1.1), Timer C
// (§16.6 step 11, §16.8), the maximum call duration (BYE both ways), and the lab-friendly routing of
// in-dialog requests that come without the route set (SIPp's built-in uac), and a Request-URI that names
// one registered contact rather than the user.
import { describe, expect, it, vi } from 'vitest';
import type { SipRequest, SipResponse } from '../../../../core/sip/message/index';
import type { Peer } from '../../../../core/sip/transport/peer';
import { SERVER, kinds, stack } from './stack';

const CALLER: Peer = { transport: 'UDP', address: '10.0.0.5', port: 5062 };
const CALLEE: Peer = { transport: 'UDP', address: '10.0.0.6', port: 5064 };
const STALE: Peer = { transport: 'UDP', address: '10.0.0.7', port: 5066 };
const AT = `${SERVER.address}:${SERVER.port}`;

type Stack = ReturnType<typeof stack>;

/** `user` registers `phone`, over the phone's transport (a transport= contact parameter unless UDP). */
async function register(s: Stack, user: string, phone: Peer, expires: number, cseq = 1): Promise<void> {
  const transport = phone.transport === 'UDP' ? '' : `;transport=${phone.transport.toLowerCase()}`;
  await s.receive(
    [
      `REGISTER sip:${AT} SIP/2.0`,
      `Via: SIP/2.0/${phone.transport} ${phone.address}:${phone.port};branch=z9hG4bK-reg${user}${phone.port}${cseq};rport`,
      'Max-Forwards: 70',
      `From: <sip:${user}@${SERVER.address}>;tag=r${user}`,
      `To: <sip:${user}@${SERVER.address}>`,
      `Call-ID: reg-${user}-${phone.port}`,
      `CSeq: ${cseq} REGISTER`,
      `Contact: <sip:${user}@${phone.address}:${phone.port}${transport}>`,
      `Expires: ${expires}`,
    ],
    phone,
  );
}

function invite(callId = 'call-1', uri = `sip:1002@${SERVER.address}`): string[] {
  return [
    `INVITE ${uri} SIP/2.0`,
    `Via: SIP/2.0/UDP ${CALLER.address}:${CALLER.port};branch=z9hG4bK-inv-${callId};rport`,
    'Max-Forwards: 70',
    `From: <sip:1001@${SERVER.address}>;tag=caller`,
    `To: <sip:1002@${SERVER.address}>`,
    `Call-ID: ${callId}`,
    'CSeq: 1 INVITE',
    `Contact: <sip:1001@${CALLER.address}:${CALLER.port}>`,
  ];
}

/** The callee's answer to the INVITE it received: status with To tag, Contact, the Vias copied. */
function answer(to: SipRequest, status: number, reason: string): string[] {
  return [
    `SIP/2.0 ${status} ${reason}`,
    ...to.headerValues('via').map((v) => `Via: ${v}`),
    ...to.recordRoutes.map((r) => `Record-Route: ${r.raw}`),
    `From: ${to.header('from')}`,
    `To: ${to.header('to')};tag=callee`,
    `Call-ID: ${to.callId}`,
    `CSeq: ${to.header('cseq')}`,
    `Contact: <sip:1002@${CALLEE.address}:${CALLEE.port}>`,
  ];
}

describe('binding expiry on the clock', () => {
  it('a binding lives for its Expires and is gone (expired event) right after', async () => {
    const s = stack();
    const seen: string[] = [];
    s.location.on((e) => seen.push(e.type));
    await register(s, '1002', CALLEE, 60);
    expect(kinds(s.sentTo(CALLEE))).toEqual(['200']);
    expect(s.location.lookup(`sip:1002@lab.example`)).toHaveLength(1);
    s.advance(59_000);
    expect(s.location.lookup(`sip:1002@lab.example`)).toHaveLength(1);
    s.advance(2_000);
    expect(s.location.lookup(`sip:1002@lab.example`)).toHaveLength(0);
    expect(seen).toEqual(['bound', 'expired']);
  });
});

/** The first request of `method` sent to `to`. */
function sentRequest(s: Stack, to: Peer, method: string): SipRequest | undefined {
  return s.sentTo(to).find((m) => kinds([m])[0] === method) as SipRequest | undefined;
}

/** 1001 calls 1002 (registered as `callee`), whose phone has the INVITE and has said nothing yet. */
async function calling(
  config: Parameters<typeof stack>[0],
  options: Parameters<typeof stack>[1] = {},
  callee: Peer = CALLEE,
): Promise<{ s: Stack; forwarded: SipRequest }> {
  const s = stack(config, options);
  await register(s, '1002', callee, 3600);
  await s.receive(invite(), CALLER);
  return { s, forwarded: sentRequest(s, callee, 'INVITE')! };
}

/** 1001 calls 1002, whose phone rings; Timer C is `timerCSeconds`. */
async function ringing(timerCSeconds: number): Promise<{ s: Stack; forwarded: SipRequest }> {
  const { s, forwarded } = await calling({ timerCSeconds });
  await s.receive(answer(forwarded, 180, 'Ringing'), CALLEE);
  return { s, forwarded };
}

describe('the operator ending a ringing call (RMV CALL)', () => {
  it('CANCELs it saying why, as its BYE of an answered call does (RFC 3326 §2)', async () => {
    const { s } = await ringing(180);
    expect(s.calls.end('call-1', 'operator')).toBe(true);
    const cancel = sentRequest(s, CALLEE, 'CANCEL')!;
    expect(cancel.header('reason')).toBe('SIP;cause=487;text="Ended by operator"');
  });
});

describe('Timer C on the clock', () => {
  it('a ringing branch is cancelled after Timer C and the caller gets 408', async () => {
    const { s, forwarded } = await ringing(30);
    expect(forwarded.uri).toBe(`sip:1002@${CALLEE.address}:${CALLEE.port}`);
    expect(kinds(s.sentTo(CALLER))).toEqual(['100', '180']);
    s.advance(29_900);
    expect(kinds(s.sentTo(CALLEE))).not.toContain('CANCEL');
    s.advance(200);
    const cancel = s.sentTo(CALLEE).find((m) => kinds([m])[0] === 'CANCEL') as SipRequest;
    expect(cancel).toBeDefined();
    // §16.8: the branch ends with the callee's answer to the CANCEL, its 487 told upstream as a 408.
    expect(kinds(s.sentTo(CALLER))).toEqual(['100', '180']);
    await s.receive(answer(cancel, 200, 'OK'), CALLEE);
    await s.receive(answer(forwarded, 487, 'Request Terminated'), CALLEE);
    const last = s.sentTo(CALLER).at(-1) as SipResponse;
    expect(`${last.status} ${last.reasonText}`).toBe('408 Request Timeout (no answer)');
    // The made-up 408 carries the caller's Via only (never the proxy's own).
    expect(last.via.map((v) => v.host)).toEqual([CALLER.address]);
    expect(s.callEvents.at(-1)?.call.endReason).toBe('No answer (Timer C)');
  });

  it("Timer C's 408 is hung up by timeout; a callee's own 408 (or 486) by the callee", async () => {
    const timedOut = await ringing(30);
    timedOut.s.advance(30_100);
    const cancel = sentRequest(timedOut.s, CALLEE, 'CANCEL')!;
    await timedOut.s.receive(answer(cancel, 200, 'OK'), CALLEE);
    await timedOut.s.receive(answer(timedOut.forwarded, 487, 'Request Terminated'), CALLEE);
    const byTimer = timedOut.s.callEvents.at(-1)!.call;
    expect([byTimer.statusCode, byTimer.hangupBy]).toEqual([408, 'timeout']);
    for (const [status, reason] of [
      [408, 'Request Timeout'],
      [486, 'Busy Here'],
    ] as const) {
      const { s, forwarded } = await ringing(30);
      await s.receive(answer(forwarded, status, reason), CALLEE);
      const ended = s.callEvents.at(-1)!;
      expect([ended.type, ended.call.statusCode, ended.call.hangupBy, ended.call.endReason]).toEqual([
        'ended',
        status,
        'callee',
        `${status} ${reason}`,
      ]);
    }
  });

  it("a 200 that crosses Timer C's CANCEL reaches the caller, and the call is answered (§16.7 step 5)", async () => {
    const { s, forwarded } = await ringing(30);
    s.advance(30_100);
    expect(kinds(s.sentTo(CALLEE))).toContain('CANCEL');
    await s.receive(answer(forwarded, 200, 'OK'), CALLEE);
    expect(kinds(s.sentTo(CALLER))).toEqual(['100', '180', '200']);
    expect(s.callEvents.at(-1)?.type).toBe('answered');
  });

  it('a callee that never answers the CANCEL: the caller gets the 408 after 64*T1 (§9.1)', async () => {
    const { s } = await ringing(60);
    s.advance(60_100);
    s.advance(31_800);
    expect(kinds(s.sentTo(CALLER))).toEqual(['100', '180']);
    s.advance(300);
    const last = s.sentTo(CALLER).at(-1) as SipResponse;
    expect(`${last.status} ${last.reasonText}`).toBe('408 Request Timeout (no answer)');
  });

  it('a 2xx after the 408 of a branch that never rang is still forwarded, statelessly (§16.7 step 10)', async () => {
    const s = stack({ timerCSeconds: 10 });
    await register(s, '1002', CALLEE, 3600);
    await s.receive(invite(), CALLER);
    const forwarded = s.sentTo(CALLEE).find((m) => kinds([m])[0] === 'INVITE') as SipRequest;
    s.advance(10_100);
    expect(kinds(s.sentTo(CALLER))).toEqual(['100', '408']);
    await s.receive(answer(forwarded, 200, 'OK'), CALLEE);
    expect(kinds(s.sentTo(CALLER))).toEqual(['100', '408', '200']);
    expect((s.sentTo(CALLER).at(-1) as SipResponse).via.map((v) => v.host)).toEqual([CALLER.address]);
  });
});

/** The caller's CANCEL of invite(): same Request-URI, Call-ID, From, To and top Via branch (§9.1). */
function cancelOf(callId = 'call-1'): string[] {
  const [line, via, ...rest] = invite(callId);
  return [
    line!.replace('INVITE', 'CANCEL'),
    via!,
    ...rest.filter((h) => !h.startsWith('CSeq') && !h.startsWith('Contact')),
    'CSeq: 1 CANCEL',
  ];
}

describe("a caller's BYE in the early dialog (§15)", () => {
  it('is recorded as a cancelled call once the callee ends the INVITE with 487, not as an ended one', async () => {
    const { s, forwarded } = await ringing(180);
    await s.receive(
      [
        `BYE sip:1002@${CALLEE.address}:${CALLEE.port} SIP/2.0`,
        `Via: SIP/2.0/UDP ${CALLER.address}:${CALLER.port};branch=z9hG4bK-early-bye;rport`,
        ...forwarded.recordRoutes.map((r) => `Route: ${r.raw}`),
        'Max-Forwards: 70',
        `From: <sip:1001@${SERVER.address}>;tag=caller`,
        `To: <sip:1002@${SERVER.address}>;tag=callee`,
        'Call-ID: call-1',
        'CSeq: 2 BYE',
      ],
      CALLER,
    );
    const bye = sentRequest(s, CALLEE, 'BYE')!;
    expect(s.callEvents.map((e) => e.type)).not.toContain('ended');
    await s.receive(answer(bye, 200, 'OK'), CALLEE);
    await s.receive(answer(forwarded, 487, 'Request Terminated'), CALLEE);
    const ended = s.callEvents.filter((e) => e.type === 'ended');
    expect(ended.map((e) => [e.call.state, e.call.statusCode, e.call.endReason, e.call.hangupBy])).toEqual([
      ['cancelled', 487, 'User Cancelled (BYE before the answer)', 'caller'],
    ]);
  });
});

describe('a CANCEL before the callee has said anything (§9.1, §16.10)', () => {
  it('answers the caller 487 at once; the callee is CANCELled only once it rings', async () => {
    const { s, forwarded } = await calling({ timerCSeconds: 180 });
    s.advance(1_000);
    await s.receive(cancelOf(), CALLER);
    // Not after Timer B (32 s): the CANCEL's 200, then the INVITE's 487, now.
    expect(kinds(s.sentTo(CALLER))).toEqual(['100', '200', '487']);
    expect(s.callEvents.at(-1)?.call.endReason).toBe('User Cancelled');
    // The CDR's cseq is the CANCEL's, as the original wrote it.
    expect(s.callEvents.at(-1)?.call.cseq).toBe('1 CANCEL');
    // §9.1: no CANCEL downstream before a provisional; the INVITE goes on being retransmitted.
    expect(kinds(s.sentTo(CALLEE))).not.toContain('CANCEL');
    const invites = kinds(s.sentTo(CALLEE)).filter((k) => k === 'INVITE').length;
    s.advance(4_000);
    expect(kinds(s.sentTo(CALLEE)).filter((k) => k === 'INVITE').length).toBeGreaterThan(invites);
    // The callee rings late: its 180 goes no further, and it is CANCELled.
    await s.receive(answer(forwarded, 180, 'Ringing'), CALLEE);
    const cancel = sentRequest(s, CALLEE, 'CANCEL')!;
    expect(cancel.via[0]!.branch).toBe(forwarded.via[0]!.branch);
    await s.receive(answer(cancel, 200, 'OK'), CALLEE);
    await s.receive(answer(forwarded, 487, 'Request Terminated'), CALLEE);
    expect(kinds(s.sentTo(CALLER)).filter((k) => k !== '487')).toEqual(['100', '200']);
  });

  it('still relays a 2xx the silent callee sends after the caller got its 487 (§16.7 step 5)', async () => {
    const { s, forwarded } = await calling({ timerCSeconds: 180 });
    await s.receive(cancelOf(), CALLER);
    expect(kinds(s.sentTo(CALLER))).toEqual(['100', '200', '487']);
    await s.receive(answer(forwarded, 200, 'OK'), CALLEE);
    // The caller's core ACKs it and hangs up with BYE; the call stays recorded as cancelled.
    expect(kinds(s.sentTo(CALLER)).at(-1)).toBe('200');
    expect(s.callEvents.at(-1)?.call.endReason).toBe('User Cancelled');
  });

  it('waits for the 487 of a branch that rang, then answers (parallel forking)', async () => {
    const s = stack({ timerCSeconds: 180, forking: 'parallel' });
    await register(s, '1002', CALLEE, 3600);
    await register(s, '1002', STALE, 3600);
    await s.receive(invite(), CALLER);
    const ringing = sentRequest(s, CALLEE, 'INVITE')!;
    expect(sentRequest(s, STALE, 'INVITE')).toBeDefined();
    await s.receive(answer(ringing, 180, 'Ringing'), CALLEE);
    await s.receive(cancelOf(), CALLER);
    expect(kinds(s.sentTo(CALLER))).toEqual(['100', '180', '200']);
    const cancel = sentRequest(s, CALLEE, 'CANCEL')!;
    await s.receive(answer(cancel, 200, 'OK'), CALLEE);
    await s.receive(answer(ringing, 487, 'Request Terminated'), CALLEE);
    // The silent branch cannot be CANCELled: the caller is answered without waiting for its Timer B.
    expect(kinds(s.sentTo(CALLER))).toEqual(['100', '180', '200', '487']);
    expect(kinds(s.sentTo(STALE))).not.toContain('CANCEL');
  });
});

describe('a 6xx beside a branch that has said nothing (§16.7 step 10, §9.1)', () => {
  it("is relayed at once, not after the silent branch's Timer B; that branch is CANCELled once it rings", async () => {
    const s = stack({ timerCSeconds: 180, forking: 'parallel' });
    await register(s, '1002', CALLEE, 3600);
    await register(s, '1002', STALE, 3600);
    await s.receive(invite(), CALLER);
    const declining = sentRequest(s, CALLEE, 'INVITE')!;
    const silent = sentRequest(s, STALE, 'INVITE')!;
    await s.receive(answer(declining, 603, 'Decline'), CALLEE);
    // Not 32 s later: the 603 now (it is the best answer whatever the silent branch says).
    expect(kinds(s.sentTo(CALLER))).toEqual(['100', '603']);
    expect(kinds(s.sentTo(STALE))).not.toContain('CANCEL');
    // The silent phone rings late: no ringing after the decline; it is CANCELled with the 603's reason.
    await s.receive(answer(silent, 180, 'Ringing'), STALE);
    expect(kinds(s.sentTo(CALLER))).toEqual(['100', '603']);
    const cancel = sentRequest(s, STALE, 'CANCEL')!;
    expect(cancel.header('reason')).toContain('cause=603');
    await s.receive(answer(cancel, 200, 'OK'), STALE);
    await s.receive(answer(silent, 487, 'Request Terminated'), STALE);
    expect(kinds(s.sentTo(CALLER))).toEqual(['100', '603']);
    expect(s.callEvents.at(-1)?.call.statusCode).toBe(603);
  });

  it('waits for the 487 of a branch that rang before relaying the 6xx', async () => {
    const s = stack({ timerCSeconds: 180, forking: 'parallel' });
    await register(s, '1002', CALLEE, 3600);
    await register(s, '1002', STALE, 3600);
    await s.receive(invite(), CALLER);
    const declining = sentRequest(s, CALLEE, 'INVITE')!;
    const ringing = sentRequest(s, STALE, 'INVITE')!;
    await s.receive(answer(ringing, 180, 'Ringing'), STALE);
    await s.receive(answer(declining, 603, 'Decline'), CALLEE);
    expect(kinds(s.sentTo(CALLER))).toEqual(['100', '180']);
    const cancel = sentRequest(s, STALE, 'CANCEL')!;
    await s.receive(answer(cancel, 200, 'OK'), STALE);
    await s.receive(answer(ringing, 487, 'Request Terminated'), STALE);
    expect(kinds(s.sentTo(CALLER))).toEqual(['100', '180', '603']);
  });
});

describe('an INVITE whose Contact does not parse', () => {
  it('gets the 400 naming it, and the call started for it ends (it stayed "calling" for ever)', async () => {
    const s = stack({ authMethods: [] });
    await register(s, '1002', CALLEE, 3600);
    for (const [i, contact] of [
      '<sip:a@10.0.0.5:i999>',
      '<sip:a@=27.0.0.1>',
      '<sip:a@10.0.0.5:70000>',
    ].entries()) {
      const before = s.sent.length;
      await s.receive(
        invite(`c-bad-${i}`).map((l) => (l.startsWith('Contact:') ? `Contact: ${contact}` : l)),
        CALLER,
      );
      const finals = (s.sentTo(CALLER, before) as SipResponse[]).filter((r) => r.status >= 200);
      expect(finals.map((r) => r.status)).toEqual([400]);
      expect(finals[0]!.reasonText).toMatch(/Contact/);
    }
    expect(s.calls.size).toBe(0);
    expect(kinds(s.sentTo(CALLEE))).not.toContain('INVITE');
  });
});

describe('a sips: request (RFC 3261 §26.2.2)', () => {
  it('is not forwarded to a phone registered over UDP: 480, and nothing reaches the phone', async () => {
    const s = stack();
    await register(s, '1002', CALLEE, 3600);
    const before = s.sent.length;
    await s.receive(
      invite('c-sips').map((l) => l.replace(`INVITE sip:1002@`, `INVITE sips:1002@`)),
      CALLER,
    );
    const finals = (s.sentTo(CALLER, before) as SipResponse[]).filter((r) => r.status >= 200);
    expect(finals.map((r) => r.status)).toEqual([480]);
    expect(s.sentTo(CALLEE, before)).toEqual([]);
  });
});

describe('a branch whose send fails at once (a closed WebSocket, port 0)', () => {
  it('is a 503, so the caller gets 500 at once instead of no answer', async () => {
    const s = stack();
    await register(s, '1002', CALLEE, 3600);
    s.unreachable(CALLEE);
    await s.receive(invite('c-dead'), CALLER);
    const finals = (s.sentTo(CALLER) as SipResponse[]).filter((r) => r.status >= 200);
    expect(finals.map((r) => `${r.status} ${r.reasonText}`)).toEqual([
      `500 Server Internal Error (next hop unreachable: UDP ${CALLEE.address}:${CALLEE.port})`,
    ]);
    // IMS Lab's own answer: the system ended it, not the callee, who never heard of it.
    const ended = s.callEvents.filter((e) => e.type === 'ended');
    expect(ended.map((e) => [e.call.state, e.call.statusCode, e.call.hangupBy])).toEqual([
      ['failed', 500, 'system'],
    ]);
  });
});

describe('a non-INVITE request nobody answers (RFC 4320 §4.2)', () => {
  it('an OPTIONS to a dead phone: its record starts when it came, ends at Timer F 32 s on (§17.1.2.2)', async () => {
    const s = stack();
    await register(s, '1002', CALLEE, 3600);
    const wall = vi.spyOn(Date, 'now');
    try {
      const came = 1_796_630_310_686;
      wall.mockReturnValue(came);
      await s.receive(
        [
          `OPTIONS sip:1002@${SERVER.address} SIP/2.0`,
          `Via: SIP/2.0/UDP ${CALLER.address}:${CALLER.port};branch=z9hG4bK-opt1;rport`,
          'Max-Forwards: 70',
          `From: <sip:1001@${SERVER.address}>;tag=caller`,
          `To: <sip:1002@${SERVER.address}>`,
          'Call-ID: opt-dead-1',
          'CSeq: 1 OPTIONS',
        ],
        CALLER,
      );
      expect(kinds(s.sentTo(CALLEE))).toContain('OPTIONS');
      wall.mockReturnValue(came + 32_000);
      s.advance(33_000); // Timer F (64*T1) has fired on the branch
      expect(s.optionsEvents.map((e) => [e.statusCode, e.sentAt, e.at])).toEqual([
        [408, came, came + 32_000],
      ]);
    } finally {
      wall.mockRestore();
    }
  });

  it('gets no 408: the caller is told nothing, the MESSAGE record still says 408', async () => {
    const s = stack();
    await register(s, '1002', CALLEE, 3600);
    await s.receive(
      [
        `MESSAGE sip:1002@${SERVER.address} SIP/2.0`,
        `Via: SIP/2.0/UDP ${CALLER.address}:${CALLER.port};branch=z9hG4bK-msg1;rport`,
        'Max-Forwards: 70',
        `From: <sip:1001@${SERVER.address}>;tag=caller`,
        `To: <sip:1002@${SERVER.address}>`,
        'Call-ID: msg-1',
        'CSeq: 1 MESSAGE',
        'Content-Type: text/plain',
      ],
      CALLER,
      'hello',
    );
    expect(kinds(s.sentTo(CALLEE)).filter((k) => k === 'MESSAGE').length).toBeGreaterThan(0);
    s.advance(33_000); // Timer F (64*T1) has fired on the branch
    expect(kinds(s.sentTo(CALLER))).toEqual([]);
    expect(s.messages.at(-1)).toMatchObject({
      statusCode: 408,
      statusText: 'Request Timeout (no final answer)',
    });
    expect(s.layer.serverCount).toBe(0);
  });
});

describe('a MESSAGE its callee answers 408 at once (RFC 4320 §4.2: not relayed)', () => {
  it("is recorded with the callee's 408 as it came, not as one nobody answered", async () => {
    const s = stack();
    await register(s, '1002', CALLEE, 3600);
    await s.receive(
      [
        `MESSAGE sip:1002@${SERVER.address} SIP/2.0`,
        `Via: SIP/2.0/UDP ${CALLER.address}:${CALLER.port};branch=z9hG4bK-m408;rport`,
        'Max-Forwards: 70',
        `From: <sip:1001@${SERVER.address}>;tag=caller`,
        `To: <sip:1002@${SERVER.address}>`,
        'Call-ID: m408-1',
        'CSeq: 1 MESSAGE',
        'Content-Type: text/plain',
      ],
      CALLER,
      'hello',
    );
    const sent = s.sentTo(CALLEE).find((m) => kinds([m])[0] === 'MESSAGE') as SipRequest;
    await s.receive(
      [
        'SIP/2.0 408 X',
        ...sent.headerValues('via').map((v) => `Via: ${v}`),
        `From: ${sent.header('from')}`,
        `To: ${sent.header('to')};tag=callee`,
        'Call-ID: m408-1',
        'CSeq: 1 MESSAGE',
        'User-Agent: phone-1002',
      ],
      CALLEE,
    );
    expect(kinds(s.sentTo(CALLER))).toEqual([]);
    expect(s.messages.map((e) => [e.statusCode, e.statusText, e.to.userAgent])).toEqual([
      [408, 'X', 'phone-1002'],
    ]);
  });
});

describe('a MESSAGE IMS Lab refuses itself', () => {
  it('is a FAILED MESSAGE record with its answer, as one the callee refuses (nobody registered: 480)', async () => {
    const s = stack();
    await s.receive(
      [
        `MESSAGE sip:1002@${SERVER.address} SIP/2.0`,
        `Via: SIP/2.0/UDP ${CALLER.address}:${CALLER.port};branch=z9hG4bK-msg2;rport`,
        'Max-Forwards: 70',
        `From: <sip:1001@${SERVER.address}>;tag=caller`,
        `To: <sip:1002@${SERVER.address}>`,
        'Call-ID: msg-2',
        'CSeq: 7 MESSAGE',
        'Content-Type: text/plain',
      ],
      CALLER,
      'anyone there?',
    );
    expect(kinds(s.sentTo(CALLER))).toEqual(['480']);
    expect(s.messages).toHaveLength(1);
    expect(s.messages[0]).toMatchObject({ statusCode: 480, callId: 'msg-2', body: 'anyone there?' });
  });
});

describe('maximum call duration on the clock', () => {
  it('an answered call is ended with BYE both ways when CALL.MAX_DURATION passes', async () => {
    const s = stack({ maxCallSeconds: 120 }, { ackWaitMs: 3_600_000 }); // the caller never ACKs here
    await register(s, '1002', CALLEE, 3600);
    await s.receive(invite(), CALLER);
    const forwarded = s.sentTo(CALLEE).find((m) => kinds([m])[0] === 'INVITE') as SipRequest;
    await s.receive(answer(forwarded, 200, 'OK'), CALLEE);
    expect(kinds(s.sentTo(CALLER))).toEqual(['100', '200']);
    s.advance(119_000);
    expect(kinds(s.sentTo(CALLEE))).not.toContain('BYE');
    s.advance(2_000);
    const all = [...s.sentTo(CALLER), ...s.sentTo(CALLEE)].filter((m) => kinds([m])[0] === 'BYE');
    // One BYE each way (over UDP, retransmitted until answered: counted once by branch).
    const byes = all.filter((b, i) => all.findIndex((o) => o.topVia.branch === b.topVia.branch) === i);
    expect(byes).toHaveLength(2);
    expect(byes.map((b) => b.header('reason'))).toEqual([
      'SIP;cause=200;text="Maximum call duration"',
      'SIP;cause=200;text="Maximum call duration"',
    ]);
    const ended = s.callEvents.at(-1)!;
    expect([ended.type, ended.call.hangupBy]).toEqual(['ended', 'timeout']);
  });
});

describe('BYE both ways through a double Record-Route (RFC 5658)', () => {
  it('goes straight to each party, with no Route naming us, when the call changed transport', async () => {
    const overTcp: Peer = { transport: 'TCP', address: CALLEE.address, port: CALLEE.port };
    const { s, forwarded } = await calling({ maxCallSeconds: 60 }, { ackWaitMs: 3_600_000 }, overTcp);
    expect(forwarded.recordRoutes).toHaveLength(2);
    await s.receive(answer(forwarded, 200, 'OK'), overTcp);
    s.advance(61_000);
    for (const bye of [sentRequest(s, CALLER, 'BYE'), sentRequest(s, overTcp, 'BYE')]) {
      expect(bye).toBeDefined();
      expect(bye!.routes).toEqual([]);
    }
  });
});

describe("a party's WebSocket closing mid-call (RFC 7118 §5)", () => {
  it('ends the call: the other party gets our BYE, and the record says the browser went', async () => {
    const s = stack({}, { ackWaitMs: 3_600_000 });
    const browser: Peer = { transport: 'WSS', address: '198.51.100.7', port: 50123 };
    await register(s, '1002', CALLEE, 3600);
    const [line, , ...rest] = invite('ws-call');
    await s.receive(
      [
        line!,
        `Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK-ws-call`,
        ...rest.map((h) =>
          h.startsWith('Contact') ? 'Contact: <sip:1001@df7jal23ls0d.invalid;transport=ws>' : h,
        ),
      ],
      browser,
    );
    const forwarded = sentRequest(s, CALLEE, 'INVITE')!;
    await s.receive(answer(forwarded, 200, 'OK'), CALLEE);
    expect(kinds(s.sentTo(browser))).toEqual(['100', '200']);
    const start = s.sent.length;
    s.calls.connectionClosed({ ...browser, port: browser.port + 1 }); // another tab: nothing happens
    expect(s.sent.length).toBe(start);
    s.calls.connectionClosed(browser);
    const bye = s.sentTo(CALLEE, start).find((m) => kinds([m])[0] === 'BYE') as SipRequest;
    expect(bye.header('reason')).toBe('SIP;cause=200;text="WebSocket closed"');
    expect(s.sentTo(browser, start)).toEqual([]);
    const ended = s.callEvents.at(-1)!;
    expect([ended.type, ended.call.hangupBy, ended.call.endReason]).toEqual([
      'ended',
      'caller',
      'WebSocket closed',
    ]);
  });
});

describe('an answered call nobody ACKs (RFC 3261 §13.3.1.4)', () => {
  const ack = (forwarded: SipRequest): string[] => [
    `ACK sip:1002@${CALLEE.address}:${CALLEE.port} SIP/2.0`,
    `Via: SIP/2.0/UDP ${CALLER.address}:${CALLER.port};branch=z9hG4bK-ack;rport`,
    ...forwarded.recordRoutes.map((r) => `Route: ${r.raw}`),
    'Max-Forwards: 70',
    `From: <sip:1001@${SERVER.address}>;tag=caller`,
    `To: <sip:1002@${SERVER.address}>;tag=callee`,
    `Call-ID: ${forwarded.callId}`,
    'CSeq: 1 ACK',
  ];

  it('is ended after 64*T1 with BYE both ways, "No ACK for the 2xx"; an ACKed one goes on', async () => {
    const s = stack();
    await register(s, '1002', CALLEE, 3600);
    for (const id of ['no-ack', 'acked']) {
      await s.receive(invite(id), CALLER);
      const forwarded = s.sentTo(CALLEE).findLast((m) => kinds([m])[0] === 'INVITE') as SipRequest;
      await s.receive(answer(forwarded, 200, 'OK'), CALLEE);
      if (id === 'acked') await s.receive(ack(forwarded), CALLER);
    }
    s.advance(31_000);
    expect(s.callEvents.filter((e) => e.type === 'ended')).toEqual([]);
    s.advance(1_500);
    const ended = s.callEvents.filter((e) => e.type === 'ended');
    expect(ended.map((e) => [e.call.callId, e.call.hangupBy, e.call.endReason])).toEqual([
      ['no-ack', 'timeout', 'No ACK for the 2xx'],
    ]);
    const byes = [...s.sentTo(CALLER), ...s.sentTo(CALLEE)].filter((m) => kinds([m])[0] === 'BYE');
    expect(new Set(byes.map((b) => b.header('reason')))).toEqual(
      new Set(['SIP;cause=200;text="No ACK for the 2xx"']),
    );
    expect(s.calls.size).toBe(1);
  });
});

describe('in-dialog requests without the route set (lab-friendly routing)', () => {
  it('an ACK of a dialog nobody tracks goes to one contact of the user, not to each (§16.11)', async () => {
    const s = stack();
    await register(s, '1002', CALLEE, 3600);
    await register(s, '1002', STALE, 3600);
    const before = s.sent.length;
    await s.receive(
      [
        `ACK sip:1002@${AT} SIP/2.0`,
        `Via: SIP/2.0/UDP ${CALLER.address}:${CALLER.port};branch=z9hG4bK-ack-unknown;rport`,
        'Max-Forwards: 70',
        `From: <sip:1001@${SERVER.address}>;tag=caller`,
        `To: <sip:1002@${SERVER.address}>;tag=callee`,
        'Call-ID: nobody-tracks-this',
        'CSeq: 1 ACK',
      ],
      CALLER,
    );
    expect(kinds(s.sentTo(CALLEE, before))).toEqual(['ACK']);
    expect(s.sentTo(STALE, before)).toEqual([]);
  });

  it('an ACK and a BYE sent to sip:<user>@<proxy> reach the callee that answered, not the stale binding', async () => {
    const s = stack();
    await register(s, '1002', STALE, 3600);
    await register(s, '1002', CALLEE, 3600);
    const start = s.sent.length;
    await s.receive(invite(), CALLER);
    const forwarded = s.sentTo(CALLEE).find((m) => kinds([m])[0] === 'INVITE') as SipRequest;
    expect(kinds(s.sentTo(STALE, start))).toEqual(['INVITE']);
    await s.receive(answer(forwarded, 200, 'OK'), CALLEE);
    const before = s.sent.length;
    const inDialog = (method: string, seq: number): string[] => [
      `${method} sip:1002@${AT} SIP/2.0`,
      `Via: SIP/2.0/UDP ${CALLER.address}:${CALLER.port};branch=z9hG4bK-${method}${seq};rport`,
      'Max-Forwards: 70',
      `From: <sip:1001@${SERVER.address}>;tag=caller`,
      `To: <sip:1002@${SERVER.address}>;tag=callee`,
      'Call-ID: call-1',
      `CSeq: ${seq} ${method}`,
    ];
    await s.receive(inDialog('ACK', 1), CALLER);
    await s.receive(inDialog('BYE', 2), CALLER);
    const toCallee = s.sentTo(CALLEE, before) as SipRequest[];
    expect(kinds(toCallee)).toEqual(['ACK', 'BYE']);
    expect(toCallee.map((r) => r.uri)).toEqual([
      `sip:1002@${CALLEE.address}:${CALLEE.port}`,
      `sip:1002@${CALLEE.address}:${CALLEE.port}`,
    ]);
    expect(s.sentTo(STALE, before)).toEqual([]);
    // The callee's 200 to the BYE goes back to the caller.
    await s.receive(answer(toCallee[1]!, 200, 'OK'), CALLEE);
    expect(kinds(s.sentTo(CALLER, before))).toEqual(['200']);
  });

  it("a UDP caller's route to a TCP callee: its first Route names us over UDP; without one, the Contact over TCP", async () => {
    // The auto dialer's case (it sends over UDP only, core/sip/ua/hop.ts). RFC 5658: the entry that faces
    // the caller, its first route (RFC 3261 §12.1.2, reversed), names UDP. A callee that leaves the
    // Record-Route out of its 2xx (against §12.1.1) leaves the caller no route: its ACK and BYE, sent
    // to us with the TCP Contact as Request-URI (§8.1.2), reach the callee over TCP.
    const overTcp: Peer = { transport: 'TCP', address: CALLEE.address, port: CALLEE.port };
    const { s, forwarded } = await calling({}, {}, overTcp);
    expect(forwarded.recordRoutes.map((r) => /;transport=tcp\b/i.test(r.raw))).toEqual([true, false]);
    const contact = `sip:1002@${CALLEE.address}:${CALLEE.port};transport=tcp`;
    const routeless = answer(forwarded, 200, 'OK')
      .filter((h) => !h.startsWith('Record-Route:'))
      .map((h) => (h.startsWith('Contact:') ? `Contact: <${contact}>` : h));
    await s.receive(routeless, overTcp);
    const before = s.sent.length;
    for (const [method, seq] of [
      ['ACK', 1],
      ['BYE', 2],
    ] as const)
      await s.receive(
        [
          `${method} ${contact} SIP/2.0`,
          `Via: SIP/2.0/UDP ${CALLER.address}:${CALLER.port};branch=z9hG4bK-tcp${method};rport`,
          'Max-Forwards: 70',
          `From: <sip:1001@${SERVER.address}>;tag=caller`,
          `To: <sip:1002@${SERVER.address}>;tag=callee`,
          'Call-ID: call-1',
          `CSeq: ${seq} ${method}`,
        ],
        CALLER,
      );
    const toCallee = s.sent.slice(before).filter((m) => m.to.port === CALLEE.port);
    expect(toCallee.map((m) => [kinds([m.message])[0], m.to.transport])).toEqual([
      ['ACK', 'TCP'],
      ['BYE', 'TCP'],
    ]);
  });

  it('a call that loops back is refused 482 and recorded once, by its first pass (§16.3 item 4)', async () => {
    const s = stack();
    await register(s, '1002', CALLEE, 3600);
    await s.receive(invite('c-loop'), CALLER);
    const forwarded = sentRequest(s, CALLEE, 'INVITE')!;
    // The callee's side sends the same request back to us (a forwarding loop): our Via under its own.
    const looped = invite('c-loop');
    looped.splice(
      1,
      1,
      `Via: SIP/2.0/UDP ${CALLEE.address}:${CALLEE.port};branch=z9hG4bK-back`,
      ...forwarded.headerValues('via').map((v) => `Via: ${v}`),
    );
    const started = s.callEvents.filter((e) => e.type === 'started').length;
    const before = s.sent.length;
    await s.receive(looped, CALLEE);
    expect(kinds(s.sentTo(CALLEE, before)).filter((k) => k !== '100')).toEqual(['482']);
    expect(s.callEvents.filter((e) => e.type === 'started')).toHaveLength(started);
  });

  it('with no dialog known (no mark of ours, no call tracked), a BYE gets 481 and reaches no phone', async () => {
    const s = stack();
    await register(s, '1002', STALE, 3600);
    await register(s, '1002', CALLEE, 3600);
    const before = s.sent.length;
    await s.receive(
      [
        `BYE sip:1002@${AT} SIP/2.0`,
        `Via: SIP/2.0/UDP ${CALLER.address}:${CALLER.port};branch=z9hG4bK-lonebye;rport`,
        'Max-Forwards: 70',
        `From: <sip:1001@${SERVER.address}>;tag=caller`,
        `To: <sip:1002@${SERVER.address}>;tag=callee`,
        'Call-ID: unknown-dialog',
        'CSeq: 2 BYE',
      ],
      CALLER,
    );
    // Relayed, the phone's own 481 against IMS Lab's 480 for an unregistered user told who is registered.
    expect(kinds(s.sentTo(CALLER, before))).toEqual(['481']);
    expect(s.sentTo(CALLEE, before)).toEqual([]);
    expect(s.sentTo(STALE, before)).toEqual([]);
  });

  it('a request for a user without credentials answers the same whether the user exists or not', async () => {
    const s = stack();
    const before = s.sent.length;
    await s.receive(invite('c-known', `sip:1002@${SERVER.address}`), CALLER);
    await s.receive(
      invite('c-unknown', `sip:9999@${SERVER.address}`).map((l) =>
        l.replace('To: <sip:1002', 'To: <sip:9999'),
      ),
      CALLER,
    );
    const finals = (s.sentTo(CALLER, before) as SipResponse[]).filter((r) => r.status >= 200);
    expect(finals.map((r) => `${r.status} ${r.reasonText}`)).toEqual([
      '480 Temporarily Unavailable',
      '480 Temporarily Unavailable',
    ]);
    // Each is a call attempt all the same: started and failed at once, by the system (the CDR's row).
    expect(s.callEvents.map((e) => `${e.type} ${e.call.callee.number} ${e.call.statusCode}`)).toEqual([
      'started 1002 0',
      'ended 1002 480',
      'started 9999 0',
      'ended 9999 480',
    ]);
    expect(s.callEvents.at(-1)!.call).toMatchObject({
      state: 'failed',
      hangupBy: 'system',
      endReason: '480 Temporarily Unavailable',
    });
  });
});

describe('a Request-URI naming one registered contact (§16.5)', () => {
  it("rings that device only (phones on the server's own host); a port of ours names the user, every device", async () => {
    const s = stack();
    const desk: Peer = { transport: 'UDP', address: SERVER.address, port: 5080 };
    const soft: Peer = { transport: 'UDP', address: SERVER.address, port: 5082 };
    await register(s, '1002', desk, 3600);
    await register(s, '1002', soft, 3600);
    let before = s.sent.length;
    await s.receive(invite('c-device', `sip:1002@${SERVER.address}:${soft.port}`), CALLER);
    expect(kinds(s.sentTo(soft, before))).toEqual(['INVITE']);
    expect(s.sentTo(desk, before)).toEqual([]);
    before = s.sent.length;
    await s.receive(invite('c-aor', `sip:1002@${AT}`), CALLER);
    expect(kinds(s.sentTo(soft, before))).toEqual(['INVITE']);
    expect(kinds(s.sentTo(desk, before))).toEqual(['INVITE']);
  });

  it('with a maddr: ours is stripped (§16.4); another host is the only target (§16.5), relaying when off', async () => {
    const s = stack();
    await register(s, '1002', CALLEE, 3600);
    await s.receive(invite('c-maddr-ours', `sip:1002@${AT};maddr=${SERVER.address}`), CALLER);
    const forwarded = sentRequest(s, CALLEE, 'INVITE')!;
    expect(forwarded.uri).toBe(`sip:1002@${CALLEE.address}:${CALLEE.port}`);
    // Elsewhere: not the user's phone, and with PROXY.RELAY_FOREIGN off not anywhere.
    const before = s.sent.length;
    await s.receive(invite('c-maddr-away', `sip:1002@${AT};maddr=192.0.2.55`), CALLER);
    expect(s.sentTo(CALLEE, before)).toEqual([]);
    const finals = (s.sentTo(CALLER, before) as SipResponse[]).filter((r) => r.status >= 200);
    expect(finals.map((r) => r.status)).toEqual([403]);
  });
});
