// RFC 3327 §5.4 at the home proxy: a request for a binding registered through an edge proxy (a P-CSCF)
// with Path goes to the first Path URI, with the path vector as its preloaded Route set and the
// registered contact as its Request-URI; never to the REGISTER's source or down its connection (the
// path decides); a first Path URI without lr is a strict router (RFC 3261 §16.6 step 6).
import { describe, expect, it } from 'vitest';
import type { SipRequest, SipResponse } from '../../../../core/sip/message/index';
import type { Peer } from '../../../../core/sip/transport/peer';
import { CALLER, answerLines, inviteLines } from './call-steps';
import { SERVER, stack } from './stack';

type Stack = ReturnType<typeof stack>;

const AT = `${SERVER.address}:${SERVER.port}`;
const UE_CONTACT = 'sip:1002@10.9.9.9:5064';
/** The P-CSCF's port towards us (its REGISTER's source) is not the one its Path URI names. */
const PCSCF_SOURCE: Peer = { transport: 'UDP', address: '10.0.0.50', port: 40000 };
const PCSCF: Peer = { transport: 'UDP', address: '10.0.0.50', port: 5090 };

async function registerThrough(s: Stack, from: Peer, path: string[]): Promise<void> {
  const before = s.sent.length;
  await s.receive(
    [
      `REGISTER sip:${AT} SIP/2.0`,
      `Via: SIP/2.0/${from.transport} ${from.address}:${from.port};branch=z9hG4bK-pcscf;rport`,
      'Via: SIP/2.0/UDP 10.9.9.9:5064;branch=z9hG4bK-ue',
      'Max-Forwards: 69',
      `From: <sip:1002@${SERVER.address}>;tag=ue`,
      `To: <sip:1002@${SERVER.address}>`,
      'Call-ID: ue-register@10.9.9.9',
      'CSeq: 1 REGISTER',
      `Contact: <${UE_CONTACT}>`,
      'Expires: 3600',
      'Supported: path',
      ...path.map((p) => `Path: ${p}`),
    ],
    from,
  );
  expect((s.sentTo(from, before)[0] as SipResponse).status).toBe(200);
}

async function invite(s: Stack, callId: string): Promise<number> {
  const before = s.sent.length;
  await s.receive(inviteLines(callId), CALLER);
  return before;
}

function forwarded(s: Stack, to: Peer, from: number): SipRequest | undefined {
  return s.sentTo(to, from).find((m) => (m as SipRequest).method === 'INVITE') as SipRequest | undefined;
}

describe('RFC 3327 §5.4: a binding with a path', () => {
  it('is reached through its first Path URI, the path as Route, the contact as Request-URI', async () => {
    const s = stack();
    await registerThrough(s, PCSCF_SOURCE, ['<sip:pcscf@10.0.0.50:5090;lr>', '<sip:sbc@10.0.0.60;lr>']);
    const from = await invite(s, 'path-call');
    const inv = forwarded(s, PCSCF, from);
    expect(inv).toBeDefined();
    expect(inv!.uri).toBe(UE_CONTACT);
    expect(inv!.routes.map((r) => r.raw)).toEqual([
      '<sip:pcscf@10.0.0.50:5090;lr>',
      '<sip:sbc@10.0.0.60;lr>',
    ]);
    expect(inv!.headerValues('route')).toHaveLength(2); // one Route per value
    expect(inv!.recordRoutes[0]?.raw).toContain(SERVER.address);
    // Neither the REGISTER's source nor the contact itself gets it.
    expect(forwarded(s, PCSCF_SOURCE, from)).toBeUndefined();
    expect(forwarded(s, { transport: 'UDP', address: '10.9.9.9', port: 5064 }, from)).toBeUndefined();
  });

  it('a first Path URI without lr is a strict router: its URI is the Request-URI, the contact goes last', async () => {
    const s = stack();
    await registerThrough(s, PCSCF_SOURCE, ['<sip:pcscf@10.0.0.50:5090>', '<sip:sbc@10.0.0.60;lr>']);
    const from = await invite(s, 'path-strict');
    const inv = forwarded(s, PCSCF, from);
    expect(inv?.uri).toBe('sip:pcscf@10.0.0.50:5090');
    expect(inv!.routes.map((r) => r.raw)).toEqual(['<sip:sbc@10.0.0.60;lr>', `<${UE_CONTACT}>`]);
  });

  it('registered over TLS, goes where the Path says, not down the registering connection', async () => {
    const s = stack();
    const tls: Peer = { transport: 'TLS', address: '10.0.0.50', port: 40001 };
    await registerThrough(s, tls, ['<sip:pcscf@10.0.0.50:5091;transport=tls;lr>']);
    const from = await invite(s, 'path-tls');
    expect(forwarded(s, tls, from)).toBeUndefined();
    const sent = s.sent.slice(from).find((x) => (x.message as SipRequest).method === 'INVITE');
    expect(sent?.to).toEqual({ transport: 'TLS', address: '10.0.0.50', port: 5091 });
    expect((sent?.message as SipRequest).uri).toBe(UE_CONTACT);
  });

  it('a first Path URI naming a host is resolved', async () => {
    const s = stack();
    await registerThrough(s, PCSCF_SOURCE, ['<sip:pcscf@localhost:5090;lr>']);
    const from = await invite(s, 'path-named');
    const isInvite = (x: { message: unknown }): boolean => (x.message as SipRequest).method === 'INVITE';
    // The resolver answers off the event loop: wait for it (a second at most).
    for (let i = 0; i < 100 && !s.sent.slice(from).some(isInvite); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    const sent = s.sent.slice(from).find(isInvite);
    expect(sent?.to.port).toBe(5090);
    expect(['127.0.0.1', '::1']).toContain(sent?.to.address);
    expect((sent?.message as SipRequest).routes.map((r) => r.raw)).toEqual(['<sip:pcscf@localhost:5090;lr>']);
  });

  it.each(['fails', 'answers 503'])(
    'a first Path URI naming a host with two addresses: the second when the first %s (RFC 3263 §4.3)',
    async (how) => {
      const pair = [
        { address: '10.0.0.51', family: 4 },
        { address: '10.0.0.52', family: 4 },
      ];
      const s = stack({}, { lookup: () => Promise.resolve(pair) });
      const first: Peer = { transport: 'UDP', address: '10.0.0.51', port: 5090 };
      if (how === 'fails') s.unreachable(first);
      await registerThrough(s, PCSCF_SOURCE, ['<sip:pcscf@pcscf.lab.test:5090;lr>']);
      const from = await invite(s, 'path-pair');
      if (how === 'answers 503')
        await s.receive(answerLines(forwarded(s, first, from)!, '503 Service Unavailable'), first);
      const inv = forwarded(s, { transport: 'UDP', address: '10.0.0.52', port: 5090 }, from);
      expect(inv?.uri).toBe(UE_CONTACT);
      expect(inv!.routes.map((r) => r.raw)).toEqual(['<sip:pcscf@pcscf.lab.test:5090;lr>']);
    },
  );

  it('a refresh without Path goes back to the contact', async () => {
    const s = stack();
    await registerThrough(s, PCSCF_SOURCE, ['<sip:pcscf@10.0.0.50:5090;lr>']);
    expect(forwarded(s, PCSCF, await invite(s, 'path-before'))?.uri).toBe(UE_CONTACT);
    const ue: Peer = { transport: 'UDP', address: '10.9.9.9', port: 5064 };
    await s.receive(
      [
        `REGISTER sip:${AT} SIP/2.0`,
        `Via: SIP/2.0/UDP ${ue.address}:${ue.port};branch=z9hG4bK-direct;rport`,
        'Max-Forwards: 70',
        `From: <sip:1002@${SERVER.address}>;tag=ue`,
        `To: <sip:1002@${SERVER.address}>`,
        'Call-ID: ue-register@10.9.9.9',
        'CSeq: 2 REGISTER',
        `Contact: <${UE_CONTACT}>`,
        'Expires: 3600',
      ],
      ue,
    );
    const from = await invite(s, 'path-cleared');
    const inv = forwarded(s, ue, from);
    expect(inv?.uri).toBe(UE_CONTACT);
    expect(inv?.routes).toEqual([]);
    expect(forwarded(s, PCSCF, from)).toBeUndefined();
  });
});
