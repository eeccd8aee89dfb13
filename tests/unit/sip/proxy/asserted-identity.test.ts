// PROXY.ASSERT_IDENTITY=YES: IMS Lab as a trust domain's edge to its phones (RFC 3325 §§5-7, as a P-CSCF,
// 3GPP TS 24.229 §5.2.6.3.3/§5.2.6.3.4). A phone's own P-Asserted-Identity reached the callee as sent
// (an "asserted" +15550001111 from 1001), and with Privacy: id the identity the caller hid reached it too.
// Off (the default), all three headers still go on as sent.
import { describe, expect, it } from 'vitest';
import { callRecord } from '../../../../core/cdr/from-events';
import type { SipMessage, SipRequest } from '../../../../core/sip/message/index';
import {
  CALLEE,
  CALLER,
  answerLines,
  forwardedTo,
  inviteLines,
  register,
  sentWithCredentials,
} from './call-steps';
import { REALM, SERVER, kinds, stack } from './stack';

const ON = { authMethods: ['INVITE', 'MESSAGE'], assertIdentity: true };
const FORGED = 'P-Asserted-Identity: <sip:+15550001111@ims.lab;user=phone>';

/** 1001's INVITE to 1002 with `extra` lines and `from`, answered to its 407; the stack and its INVITE out. */
async function callFrom1001(
  config: Partial<typeof ON>,
  callId: string,
  extra: string[],
  from?: string,
): Promise<{ s: ReturnType<typeof stack>; out: SipRequest }> {
  const s = stack(config);
  await register(s, CALLEE);
  const lines = inviteLines(callId).map((l) =>
    from !== undefined && l.startsWith('From:') ? `From: ${from}` : l,
  );
  await sentWithCredentials(s, [...lines, ...extra], callId, `sip:1002@${SERVER.address}`);
  return { s, out: forwardedTo(s, CALLEE) };
}

const identities = (m: SipMessage): string[][] => [
  m.headerValues('p-asserted-identity'),
  m.headerValues('p-preferred-identity'),
];

describe('PROXY.ASSERT_IDENTITY', () => {
  it('off (the default): P-Asserted-Identity, P-Preferred-Identity and Privacy go on as sent', async () => {
    const { out } = await callFrom1001({ authMethods: ['INVITE'] }, 'pai-off', [
      FORGED,
      'P-Preferred-Identity: <sip:1003@lab.example>',
      'Privacy: id',
    ]);
    expect(identities(out)).toEqual([['<sip:+15550001111@ims.lab;user=phone>'], ['<sip:1003@lab.example>']]);
    expect(out.headerValues('privacy')).toEqual(['id']);
  });

  it("an authenticated caller's own P-Asserted-Identity is replaced by its identity, the CDR says asserted", async () => {
    const { s, out } = await callFrom1001(ON, 'pai-1', [
      FORGED,
      'P-Preferred-Identity: <sip:1003@lab.example>',
    ]);
    // RFC 3325 §5: only what IMS Lab asserts; §6: a PPI naming another user is ignored, and removed.
    expect(identities(out)).toEqual([[`<sip:1001@${REALM}>`], []]);
    const started = s.callEvents.find((e) => e.type === 'started')!.call;
    expect(callRecord(started).extra_info).toBe(`P-Asserted-Identity <sip:1001@${REALM}> (asserted)`);
  });

  it("a P-Preferred-Identity naming one of the user's identities selects it (sip: of our domain, tel:)", async () => {
    const bySip = await callFrom1001(ON, 'ppi-sip', [
      `P-Preferred-Identity: "Desk" <sip:1001@${SERVER.address}>`,
    ]);
    expect(identities(bySip.out)).toEqual([[`"Desk" <sip:1001@${SERVER.address}>`], []]);
    const byTel = await callFrom1001(ON, 'ppi-tel', [
      'P-Preferred-Identity: <sip:1003@x.example>, <tel:10-01>',
    ]);
    expect(identities(byTel.out)).toEqual([['<tel:10-01>'], []]);
  });

  it('Privacy: id: the identity asserted for a withheld call reaches no next hop (the CDR keeps it)', async () => {
    const { s, out } = await callFrom1001(
      ON,
      'pai-anon',
      [FORGED, 'Privacy: id'],
      '"Anonymous" <sip:anonymous@anonymous.invalid>;tag=caller',
    );
    // RFC 3325 §7: every next hop is outside the trust domain; the Privacy header tells the callee why.
    expect(identities(out)).toEqual([[], []]);
    expect(out.headerValues('privacy')).toEqual(['id']);
    const started = s.callEvents.find((e) => e.type === 'started')!.call;
    expect(callRecord(started).extra_info).toBe(
      `Authenticated as 1001; P-Asserted-Identity <sip:1001@${REALM}> (asserted)`,
    );
  });

  it('without Privacy: id the asserted identity reaches the callee (Privacy: user alone hides nothing of it)', async () => {
    const { out } = await callFrom1001(ON, 'pai-user', ['Privacy: user']);
    expect(identities(out)).toEqual([[`<sip:1001@${REALM}>`], []]);
  });

  it('a request not authenticated (its method not in PROXY.AUTH_METHODS: not challenged) loses both headers', async () => {
    const s = stack({ assertIdentity: true });
    await register(s, CALLEE);
    const claims = [`P-Asserted-Identity: <sip:1001@${REALM}>`, `P-Preferred-Identity: <sip:1001@${REALM}>`];
    await s.receive([...inviteLines('pai-unauth'), ...claims], CALLER);
    // RFC 3325 §5: nobody vouched for this sender, so no identity is asserted for it, not even its own.
    expect(identities(forwardedTo(s, CALLEE))).toEqual([[], []]);
  });

  it("responses: the callee's claimed identity does not reach the caller (off: it does)", async () => {
    for (const assertIdentity of [true, false]) {
      const s = stack({ assertIdentity });
      await register(s, CALLEE);
      await s.receive(inviteLines(`pai-resp-${assertIdentity}`), CALLER);
      const out = forwardedTo(s, CALLEE);
      const claim = [
        'P-Asserted-Identity: <sip:1009@lab.example>',
        'P-Preferred-Identity: <sip:1009@lab.example>',
      ];
      await s.receive([...answerLines(out, '180 Ringing'), ...claim], CALLEE);
      await s.receive([...answerLines(out, '200 OK'), ...claim], CALLEE);
      const upstream = s.sentTo(CALLER).filter((m) => ['180', '200'].includes(kinds([m])[0]!));
      expect(kinds(upstream)).toEqual(['180', '200']);
      const expected = assertIdentity ? [[], []] : [['<sip:1009@lab.example>'], ['<sip:1009@lab.example>']];
      for (const m of upstream) expect(identities(m)).toEqual(expected);
    }
  });

  it('an in-dialog request (not authenticated) and the ACK go on without the identity they claim', async () => {
    const s = stack({ assertIdentity: true });
    await register(s, CALLEE);
    await s.receive(inviteLines('pai-bye'), CALLER);
    const out = forwardedTo(s, CALLEE);
    await s.receive(answerLines(out, '200 OK'), CALLEE);
    const route = out.recordRoutes.map((r) => `Route: ${r.raw}`);
    const inDialog = (method: string): string[] => [
      `${method} sip:1002@${CALLEE.address}:${CALLEE.port} SIP/2.0`,
      `Via: SIP/2.0/UDP ${CALLER.address}:${CALLER.port};branch=z9hG4bK-pai-${method};rport`,
      'Max-Forwards: 70',
      `From: <sip:1001@${SERVER.address}>;tag=caller`,
      `To: <sip:1002@${SERVER.address}>;tag=callee`,
      'Call-ID: pai-bye',
      `CSeq: ${method === 'ACK' ? 1 : 2} ${method}`,
      ...route,
      FORGED,
    ];
    await s.receive(inDialog('ACK'), CALLER);
    await s.receive(inDialog('BYE'), CALLER);
    const sent = s.sentTo(CALLEE).filter((m) => ['ACK', 'BYE'].includes(kinds([m])[0]!));
    expect(kinds(sent)).toEqual(['ACK', 'BYE']);
    for (const m of sent) expect(identities(m)).toEqual([[], []]);
  });
});
