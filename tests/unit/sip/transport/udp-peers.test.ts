// Shared Peers for UDP sources (udp-peers.ts) and response targets that reuse the source (§18.2.2,
// RFC 3581 §4): what lingers with every server transaction for 32 s.
import { describe, expect, it } from 'vitest';
import { responseTarget } from '../../../../core/sip/transport/response-target';
import { UdpPeers } from '../../../../core/sip/transport/udp-peers';
import { request } from '../../../support/sip-text';

describe('UdpPeers', () => {
  it('hands out one Peer per source, IPv4 unmapped', () => {
    const peers = new UdpPeers();
    const a = peers.peer('::ffff:127.0.0.1', 5060);
    expect(a).toEqual({ transport: 'UDP', address: '127.0.0.1', port: 5060 });
    expect(peers.peer(`::ffff:127.0.0.${1}`, 5060)).toBe(a);
    expect(peers.peer('::ffff:127.0.0.1', 5062)).not.toBe(a);
    expect(peers.peer('::1', 5060)).toEqual({ transport: 'UDP', address: '::1', port: 5060 });
  });

  it('stays bounded: past a few thousand sources it starts over', () => {
    const peers = new UdpPeers();
    const first = peers.peer('10.0.0.1', 1);
    for (let port = 2; port < 10_000; port++) peers.peer('10.0.0.1', port);
    expect(peers.peer('10.0.0.1', 1)).not.toBe(first);
    expect(peers.peer('10.0.0.1', 1)).toEqual(first);
  });
});

describe('responseTarget', () => {
  const source = { transport: 'UDP', address: '10.0.0.5', port: 5062 } as const;

  it('is the source itself when received and rport name it', () => {
    const r = request('INVITE', {
      Via: 'SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bK-a;rport=5062;received=10.0.0.5',
    });
    expect(responseTarget(r.topVia, source)).toBe(source);
    const plain = request('INVITE', { Via: 'SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bK-b' });
    expect(responseTarget(plain.topVia, source)).toBe(source);
  });

  it('is a Peer of its own where the Via says otherwise (no rport: the sent-by port, §18.2.2)', () => {
    const r = request('INVITE', { Via: 'SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK-c;received=10.0.0.5' });
    expect(responseTarget(r.topVia, source)).toEqual({ transport: 'UDP', address: '10.0.0.5', port: 5060 });
  });

  it('is a link-local source with its zone, though received carries none', () => {
    const local = { transport: 'UDP', address: 'fe80::1%eth0', port: 5062 } as const;
    const r = request('OPTIONS', { Via: 'SIP/2.0/UDP [fe80::1]:5062;branch=z9hG4bK-z;rport' });
    const stamped = r.topVia.stamped(local.address, local.port);
    expect(stamped).toBe('SIP/2.0/UDP [fe80::1]:5062;branch=z9hG4bK-z;rport=5062;received=fe80::1');
    const answered = request('OPTIONS', { Via: stamped });
    expect(responseTarget(answered.topVia, local)).toBe(local);
  });
});
