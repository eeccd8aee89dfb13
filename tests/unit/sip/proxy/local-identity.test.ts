// Our address on the wire as each peer sees it (local-identity.ts): listening on both families, an IPv6
// peer gets the IPv6 address in our Via and Record-Route and an IPv4 peer the IPv4 one, and a dialog
// between the two families is Record-Routed once for each side (RFC 5658 §4).
import { describe, expect, it } from 'vitest';
import { LocalIdentity } from '../../../../core/sip/proxy/local-identity';

const identity = (advertised: string, alternate?: string): LocalIdentity =>
  new LocalIdentity({
    advertised,
    ...(alternate === undefined ? {} : { alternate }),
    bindHost: '::',
    port: 5060,
    domain: 'ims.lab',
    domains: [],
    ports: { TLS: 5061 },
  });

describe('LocalIdentity with an address per family', () => {
  it("names the address of the peer's family in Via and Record-Route", () => {
    const me = identity('192.0.2.10', '2001:db8::10');
    expect(me.via('UDP', 'z9hG4bK1', '2001:db8::99')).toBe(
      'SIP/2.0/UDP [2001:db8::10]:5060;branch=z9hG4bK1;rport',
    );
    expect(me.via('UDP', 'z9hG4bK1', '198.51.100.7')).toBe(
      'SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK1;rport',
    );
    expect(me.recordRoute('TLS', undefined, '2001:db8::99')).toBe(
      '<sip:[2001:db8::10]:5061;lr;transport=tls>',
    );
    expect(me.recordRoute('UDP', undefined, '198.51.100.7')).toBe('<sip:192.0.2.10:5060;lr>');
    expect(me.differs('198.51.100.7', '2001:db8::99')).toBe(true);
    expect(me.differs('2001:db8::98', '2001:db8::99')).toBe(false);
  });

  it('works the other way round: IPv6 advertised, IPv4 the alternate', () => {
    const me = identity('2001:db8::10', '192.0.2.10');
    expect(me.addressFor('198.51.100.7')).toBe('192.0.2.10');
    expect(me.addressFor('2001:db8::99')).toBe('2001:db8::10');
    expect(me.addressFor(undefined)).toBe('2001:db8::10');
  });

  it('recognises both addresses as its own (a Route naming either is popped, §16.4)', () => {
    const me = identity('192.0.2.10', '2001:db8::10');
    expect(me.isMe('2001:db8::10', 5060)).toBe(true);
    expect(me.isMe('192.0.2.10', 5060)).toBe(true);
    expect(me.isMe('2001:db8::11', 5060)).toBe(false);
  });

  it('with one address (one family), names it to every peer and never doubles the Record-Route', () => {
    const me = identity('192.0.2.10');
    expect(me.via('UDP', 'z9hG4bK1', '2001:db8::99')).toBe(
      'SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK1;rport',
    );
    expect(me.differs('198.51.100.7', '2001:db8::99')).toBe(false);
  });
});
