// RFC 3327 §5.3 at the registrar: the Path values of a REGISTER (every field, in order) are the path
// vector of each binding it creates or refreshes and come back in the 200; a refresh without Path leaves
// the binding none; Path without Supported: path is refused 420 naming path; a Path value that is not a
// <sip:...> name-addr is a 400. Registered through such an edge proxy, the UE is also given a Service-Route
// to us (RFC 3608) and its P-Associated-URI (RFC 7315). On the proxy tests' stack (fake clock, recorded
// sends).
import { describe, expect, it } from 'vitest';
import type { SipResponse } from '../../../../core/sip/message/index';
import type { Peer } from '../../../../core/sip/transport/peer';
import { SERVER, stack } from '../proxy/stack';

/** The edge proxy (a P-CSCF) the REGISTER comes through; the UE's contact is behind it. */
const PCSCF: Peer = { transport: 'UDP', address: '10.0.0.50', port: 5090 };
const UE_CONTACT = 'sip:1002@10.9.9.9:5064';
const AT = `${SERVER.address}:${SERVER.port}`;
const AOR = 'sip:1002@lab.example';

type Stack = ReturnType<typeof stack>;

async function register(s: Stack, cseq: number, extra: string[]): Promise<SipResponse> {
  const before = s.sent.length;
  await s.receive(
    [
      `REGISTER sip:${AT} SIP/2.0`,
      `Via: SIP/2.0/UDP ${PCSCF.address}:${PCSCF.port};branch=z9hG4bK-pcscf-${cseq};rport`,
      `Via: SIP/2.0/UDP 10.9.9.9:5064;branch=z9hG4bK-ue-${cseq}`,
      'Max-Forwards: 69',
      `From: <sip:1002@${SERVER.address}>;tag=ue`,
      `To: <sip:1002@${AT}>`,
      'Call-ID: path-register@10.9.9.9',
      `CSeq: ${cseq} REGISTER`,
      `Contact: <${UE_CONTACT}>`,
      'Expires: 600',
      ...extra,
    ],
    PCSCF,
  );
  const answers = s.sentTo(PCSCF, before);
  expect(answers).toHaveLength(1);
  return answers[0] as SipResponse;
}

describe('RFC 3327 §5.3: the registrar and Path', () => {
  it('stores every Path value in order with the binding, and copies them into the 200', async () => {
    const s = stack();
    const ok = await register(s, 1, [
      'Supported: path',
      'Path: <sip:pcscf@10.0.0.50:5090;lr>',
      'Path: <sip:sbc@10.0.0.60;lr>, "Edge" <sip:edge@10.0.0.70;lr>;x=1',
    ]);
    expect(ok.status).toBe(200);
    const path = [
      '<sip:pcscf@10.0.0.50:5090;lr>',
      '<sip:sbc@10.0.0.60;lr>',
      '"Edge" <sip:edge@10.0.0.70;lr>;x=1',
    ];
    expect(ok.headerValues('path').join(', ')).toBe(path.join(', '));
    expect(s.location.lookup(AOR)).toMatchObject([{ contact: UE_CONTACT, path }]);
    // As an IMS registrar: the route to us for the UE's own requests (RFC 3608 §6.1), at the address the
    // edge proxy reached us at, and the UE's default public identity (RFC 7315 §4.1).
    expect(ok.headerValues('service-route')).toEqual([`<sip:${AT};lr>`]);
    expect(ok.headerValues('p-associated-uri')).toEqual([`<${AOR}>`]);
  });

  it('a refresh with another Path replaces it, one without Path clears it', async () => {
    const s = stack();
    await register(s, 1, ['Supported: path', 'Path: <sip:pcscf@10.0.0.50:5090;lr>']);
    await register(s, 2, ['Supported: path', 'Path: <sip:pcscf2@10.0.0.51;lr>']);
    expect(s.location.lookup(AOR)[0]?.path).toEqual(['<sip:pcscf2@10.0.0.51;lr>']);
    const ok = await register(s, 3, ['Supported: path']);
    expect(ok.status).toBe(200);
    expect(ok.has('path')).toBe(false);
    expect(ok.has('service-route') || ok.has('p-associated-uri')).toBe(false); // a phone registered directly
    expect(s.location.lookup(AOR)).toHaveLength(1);
    expect(s.location.lookup(AOR)[0]).not.toHaveProperty('path');
  });

  it('refuses Path without Supported: path with 420 naming path, and binds nothing', async () => {
    const s = stack();
    const refused = await register(s, 1, ['Supported: outbound', 'Path: <sip:pcscf@10.0.0.50:5090;lr>']);
    expect(refused.status).toBe(420);
    expect(refused.header('unsupported')).toBe('path');
    expect(s.location.lookup(AOR)).toEqual([]);
    const none = await register(s, 2, ['Path: <sip:pcscf@10.0.0.50:5090;lr>']);
    expect(none.status).toBe(420);
  });

  it('refuses a Path value that is not a <sip:...> name-addr with 400, and binds nothing', async () => {
    const s = stack();
    for (const [i, bad] of [
      'Path: <tel:+15550100>',
      'Path: sip:pcscf@10.0.0.50;lr',
      'Path: <sip:x;lr',
    ].entries()) {
      const refused = await register(s, i + 1, ['Supported: path', bad]);
      expect(refused.status).toBe(400);
    }
    expect(s.location.lookup(AOR)).toEqual([]);
  });
});
