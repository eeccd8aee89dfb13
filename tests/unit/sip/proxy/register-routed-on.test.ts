// A REGISTER with a Route past IMS Lab (a phone using it as outbound proxy or P-CSCF in front of a real
// registrar, §16.4) is routed on, or refused as relaying is (403 with PROXY.RELAY_FOREIGN off); it is
// not registered here. It was: the registration landed in IMS Lab and never reached the registrar.
import { describe, expect, it } from 'vitest';
import type { SipRequest, SipResponse } from '../../../../core/sip/message/index';
import type { Peer } from '../../../../core/sip/transport/peer';
import { CALLER } from './call-steps';
import { SERVER, kinds, stack } from './stack';

const REGISTRAR: Peer = { transport: 'UDP', address: '10.0.0.99', port: 5080 };

const register = (route: string): string[] => [
  `REGISTER sip:${SERVER.address} SIP/2.0`,
  `Via: SIP/2.0/UDP ${CALLER.address}:${CALLER.port};branch=z9hG4bK-routed;rport`,
  'Max-Forwards: 70',
  `From: <sip:1001@${SERVER.address}>;tag=r`,
  `To: <sip:1001@${SERVER.address}>`,
  'Call-ID: routed-reg',
  'CSeq: 1 REGISTER',
  `Route: ${route}`,
  `Contact: <sip:1001@${CALLER.address}:${CALLER.port}>`,
  'Expires: 60',
];

describe('a REGISTER with a Route past IMS Lab', () => {
  it('is refused as relaying with PROXY.RELAY_FOREIGN off, and nothing is registered', async () => {
    const s = stack({ relayForeign: false });
    await s.receive(register(`<sip:${REGISTRAR.address}:${REGISTRAR.port};lr>`), CALLER);
    const answer = s.sentTo(CALLER).at(-1) as SipResponse;
    expect(answer.status).toBe(403);
    expect([...s.location.entries()]).toEqual([]);
  });

  it('goes on to the Route with relaying on, its Route kept, and nothing is registered', async () => {
    const s = stack({ relayForeign: true });
    await s.receive(register(`<sip:${REGISTRAR.address}:${REGISTRAR.port};lr>`), CALLER);
    const forwarded = s.sentTo(REGISTRAR);
    expect(kinds(forwarded)).toEqual(['REGISTER']);
    expect((forwarded[0] as SipRequest).routes.map((r) => r.raw)).toEqual([
      `<sip:${REGISTRAR.address}:${REGISTRAR.port};lr>`,
    ]);
    expect([...s.location.entries()]).toEqual([]);
  });

  it('with only our own Route is registered here, as before', async () => {
    const s = stack();
    await s.receive(register(`<sip:${SERVER.address}:${SERVER.port};lr>`), CALLER);
    expect((s.sentTo(CALLER).at(-1) as SipResponse).status).toBe(200);
    expect([...s.location.entries()].map(([aor]) => aor)).toHaveLength(1);
  });
});
