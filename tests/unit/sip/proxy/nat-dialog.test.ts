// A call between two phones behind NATs (RFC 5626 §5.3 flow tokens, binding-target.ts behindNat): each
// sends from its NAT's public address and port but gives its private address in Contact. The far end's
// ACK, re-INVITE and BYE name that private Contact; our Record-Route entry facing each phone names its
// flow, so they reach the phone where it sends from, as Kamailio's nathelper alias does. Without it the
// callee never got the ACK and dropped the call after 32 s (Timer H), and a BYE went nowhere.
import { describe, expect, it } from 'vitest';
import type { SipRequest, SipResponse } from '../../../../core/sip/message/index';
import type { Peer } from '../../../../core/sip/transport/peer';
import { answerLines, answeredCall, CALLER, forwardedTo } from './call-steps';
import { inviteFrom, kinds, SERVER, stack } from './stack';

// Outside the stack's local network (10.0.0.0/8), as behind a home router.
const CALLER_NAT: Peer = { transport: 'UDP', address: '203.0.113.5', port: 40000 };
const CALLEE_NAT: Peer = { transport: 'UDP', address: '198.51.100.7', port: 41000 };
const CALLER_PRIVATE = '192.168.1.20:5060';
const CALLEE_PRIVATE = '192.168.1.30:5060';

type Stack = ReturnType<typeof stack>;

async function registerCallee(s: Stack, from = CALLEE_NAT): Promise<void> {
  await s.receive(
    [
      `REGISTER sip:${SERVER.address}:${SERVER.port} SIP/2.0`,
      `Via: SIP/2.0/UDP ${CALLEE_PRIVATE};branch=z9hG4bK-reg;rport`,
      'Max-Forwards: 70',
      `From: <sip:1002@${SERVER.address}>;tag=r`,
      `To: <sip:1002@${SERVER.address}>`,
      'Call-ID: reg-1002',
      'CSeq: 1 REGISTER',
      `Contact: <sip:1002@${CALLEE_PRIVATE}>`,
      'Expires: 3600',
    ],
    from,
  );
}

/** The caller's INVITE as its phone writes it: its private address in Via and Contact. */
function natInvite(callId: string): string[] {
  return inviteFrom(CALLER_NAT, `sip:1002@${SERVER.address}`, callId).map((l) =>
    l.replace(`${CALLER_NAT.address}:${CALLER_NAT.port}`, CALLER_PRIVATE),
  );
}

/** An in-dialog request along the route set `routes` (§12.2.1.1). */
function inDialog(method: string, uri: string, from: string, via: string, routes: string[], cseq: number) {
  const [fromTag, toTag, fromUser, toUser] =
    from === 'caller' ? ['caller', 'callee', '1001', '1002'] : ['callee', 'caller', '1002', '1001'];
  return [
    `${method} ${uri} SIP/2.0`,
    `Via: SIP/2.0/UDP ${via};branch=z9hG4bK-${method}-${cseq};rport`,
    ...routes.map((r) => `Route: ${r}`),
    'Max-Forwards: 70',
    `From: <sip:${fromUser}@${SERVER.address}>;tag=${fromTag}`,
    `To: <sip:${toUser}@${SERVER.address}>;tag=${toTag}`,
    'Call-ID: nat',
    `CSeq: ${method === 'ACK' ? 1 : cseq} ${method}`,
  ];
}

describe('a call between two phones behind NATs', () => {
  it('routes the ACK and BYE to each phone where it sends from, not to its private Contact', async () => {
    const s = stack();
    await registerCallee(s);
    await s.receive(natInvite('nat'), CALLER_NAT);
    const forwarded = forwardedTo(s, CALLEE_NAT);
    expect(forwarded.uri).toBe(`sip:1002@${CALLEE_PRIVATE}`);
    // One entry facing each side, each naming that side's flow.
    const rr = forwarded.recordRoutes.map((r) => r.raw);
    expect(rr).toHaveLength(2);
    for (const r of rr) expect(r).toMatch(/;flow=[0-9a-f]+\.[0-9a-f]{16}>$/);
    const ok = answerLines(forwarded, '200 OK').map((l) =>
      l.startsWith('Contact:') ? `Contact: <sip:1002@${CALLEE_PRIVATE}>` : l,
    );
    await s.receive(ok, CALLEE_NAT);
    const answered = s.sentTo(CALLER_NAT).at(-1) as SipResponse;
    expect(answered.status).toBe(200);
    const routeSet = answered.recordRoutes.map((r) => r.raw);

    // The caller's ACK and, later, its re-INVITE go down the callee's flow (route set reversed, §12.1.2).
    const n = s.sent.length;
    const back = [...routeSet].reverse();
    await s.receive(
      inDialog('ACK', `sip:1002@${CALLEE_PRIVATE}`, 'caller', CALLER_PRIVATE, back, 1),
      CALLER_NAT,
    );
    expect(s.sent.slice(n).map((m) => [m.to, kinds([m.message])[0]])).toEqual([[CALLEE_NAT, 'ACK']]);

    // The callee hangs up: its BYE reaches the caller at its NAT's address.
    const m = s.sent.length;
    await s.receive(
      inDialog('BYE', `sip:1001@${CALLER_PRIVATE}`, 'callee', CALLEE_PRIVATE, routeSet, 2),
      CALLEE_NAT,
    );
    const bye = s.sent.slice(m);
    expect(bye.map((x) => [x.to, kinds([x.message])[0]])).toEqual([[CALLER_NAT, 'BYE']]);
    expect((bye[0]!.message as SipRequest).uri).toBe(`sip:1001@${CALLER_PRIVATE}`);
  });

  it('on loopback, a Contact elsewhere is a simulated NAT: reached where it registered from, its flow named', async () => {
    // SIPp on 127.0.0.1 with `Contact: <sip:1002@192.168.1.30:5060>`: the INVITE got 500 (next hop
    // unreachable) when it went to the Contact.
    const s = stack();
    const phone: Peer = { transport: 'UDP', address: '127.0.0.1', port: 40003 };
    await registerCallee(s, phone);
    await s.receive(inviteFrom(CALLER, `sip:1002@${SERVER.address}`, 'lo'), CALLER);
    const forwarded = forwardedTo(s, phone);
    expect(forwarded.uri).toBe(`sip:1002@${CALLEE_PRIVATE}`);
    expect(forwarded.recordRoutes.map((r) => r.raw)).toEqual([
      expect.stringMatching(/;flow=/),
      expect.stringMatching(new RegExp(`^<sip:${SERVER.address}:${SERVER.port};lr;dlg=[0-9a-f]{16}>$`)),
    ]);
  });

  it('a phone on the local network keeps its single Record-Route, without a flow', async () => {
    const s = stack();
    await answeredCall(s, 'lan');
    const invite = s.sent.find((x) => kinds([x.message])[0] === 'INVITE')!.message as SipRequest;
    expect(invite.recordRoutes.map((r) => r.raw)).toEqual([
      expect.stringMatching(new RegExp(`^<sip:${SERVER.address}:${SERVER.port};lr;dlg=[0-9a-f]{16}>$`)),
    ]);
    expect(s.sentTo(CALLER).length).toBeGreaterThan(0);
  });
});
