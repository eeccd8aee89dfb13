// RFC 3261 §16.6 step 4: when the Request-URI is a sips: URI, the URI the proxy puts into Record-Route
// MUST be a sips: URI, so that the dialog's route set stays secure (§26.2); sips: is TLS, so without
// transport=tls (RFC 5630 §3.1.3). A sip: request over TLS keeps sip: with transport=tls.
import { describe, expect, it } from 'vitest';
import type { SipRequest } from '../../../../core/sip/message/index';
import type { Peer } from '../../../../core/sip/transport/peer';
import { register } from './call-steps';
import { SERVER, stack } from './stack';

const CALLER: Peer = { transport: 'TLS', address: '10.0.0.5', port: 40062 };
const CALLEE: Peer = { transport: 'TLS', address: '10.0.0.6', port: 40064 };

async function callOverTls(scheme: 'sip' | 'sips'): Promise<{ rr: string[]; s: ReturnType<typeof stack> }> {
  const s = stack();
  await s.receive(
    [
      `REGISTER ${scheme}:${SERVER.address} SIP/2.0`,
      `Via: SIP/2.0/TLS ${CALLEE.address}:${CALLEE.port};branch=z9hG4bK-reg-${scheme};rport`,
      'Max-Forwards: 70',
      `From: <${scheme}:1002@${SERVER.address}>;tag=r`,
      `To: <${scheme}:1002@${SERVER.address}>`,
      `Call-ID: reg-${scheme}`,
      'CSeq: 1 REGISTER',
      `Contact: <${scheme}:1002@${CALLEE.address}:5065>`,
      'Expires: 3600',
    ],
    CALLEE,
  );
  await s.receive(
    [
      `INVITE ${scheme}:1002@${SERVER.address} SIP/2.0`,
      `Via: SIP/2.0/TLS ${CALLER.address}:${CALLER.port};branch=z9hG4bK-inv-${scheme};rport`,
      'Max-Forwards: 70',
      `From: <${scheme}:1001@${SERVER.address}>;tag=caller`,
      `To: <${scheme}:1002@${SERVER.address}>`,
      `Call-ID: call-${scheme}`,
      'CSeq: 1 INVITE',
      `Contact: <${scheme}:1001@${CALLER.address}:5063>`,
    ],
    CALLER,
  );
  const invite = s.sent.find((x) => (x.message as SipRequest).method === 'INVITE')?.message as SipRequest;
  return { rr: invite.recordRoutes.map((r) => r.raw), s };
}

describe('Record-Route of a sips: request (RFC 3261 §16.6 step 4)', () => {
  it('is a sips: URI, without transport=tls, and routes the dialog back through us', async () => {
    const { rr, s } = await callOverTls('sips');
    expect(rr.length).toBeGreaterThan(0);
    for (const r of rr) expect(r).toMatch(/^<sips:192\.0\.2\.10:\d+;lr;dlg=[0-9a-f]{16}(;flow=[^;>]+)?>$/);
    // The caller's BYE with the route set (the Record-Route reversed, §12.1.2) reaches the callee.
    const before = s.sent.length;
    await s.receive(
      [
        'BYE sips:1002@10.0.0.6:5065 SIP/2.0',
        `Via: SIP/2.0/TLS ${CALLER.address}:${CALLER.port};branch=z9hG4bK-bye-sips;rport`,
        ...[...rr].reverse().map((r) => `Route: ${r}`),
        'Max-Forwards: 70',
        `From: <sips:1001@${SERVER.address}>;tag=caller`,
        `To: <sips:1002@${SERVER.address}>;tag=callee`,
        'Call-ID: call-sips',
        'CSeq: 2 BYE',
      ],
      CALLER,
    );
    const bye = s.sent.slice(before).find((x) => (x.message as SipRequest).method === 'BYE');
    expect(bye?.to).toMatchObject({ transport: 'TLS', address: CALLEE.address });
  });

  it('of a sip: request over TLS stays sip: with transport=tls', async () => {
    const { rr } = await callOverTls('sip');
    expect(rr.length).toBeGreaterThan(0);
    for (const r of rr)
      expect(r).toMatch(/^<sip:192\.0\.2\.10:\d+;lr;transport=tls;dlg=[0-9a-f]{16}(;flow=[^;>]+)?>$/);
  });

  it('a sips: ACK is never sent on over UDP: to a phone registered over UDP it goes nowhere (§26.2.2)', async () => {
    const s = stack();
    const phone: Peer = { transport: 'UDP', address: '10.0.0.7', port: 5090 };
    await register(s, phone);
    const before = s.sent.length;
    const ack = (scheme: 'sip' | 'sips', n: number) => [
      `ACK ${scheme}:1002@${SERVER.address} SIP/2.0`,
      `Via: SIP/2.0/TLS ${CALLER.address}:${CALLER.port};branch=z9hG4bK-ack-${n};rport`,
      'Max-Forwards: 70',
      `From: <${scheme}:1001@${SERVER.address}>;tag=caller`,
      `To: <${scheme}:1002@${SERVER.address}>;tag=callee`,
      `Call-ID: ack-${scheme}`,
      'CSeq: 1 ACK',
    ];
    await s.receive(ack('sips', 1), CALLER);
    expect(s.sentTo(phone, before)).toEqual([]);
    // The same ACK as sip: reaches the phone: what stops the other is its scheme.
    await s.receive(ack('sip', 2), CALLER);
    expect(s.sentTo(phone, before)).toHaveLength(1);
  });
});
