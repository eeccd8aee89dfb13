// REG.NAT_KEEPALIVE (nat-keepalive.ts): the phones registered over UDP behind a NAT get CRLF CRLF every
// interval, the bindings read a slice a tick; phones reached at their Contact, over connections, SIP
// Outbound flows or a Path get none. Ticked by hand (the appliance ticks once a second).
import { describe, expect, it } from 'vitest';
import { bindingTarget } from '../../../../core/sip/proxy/binding-target';
import { KEEPALIVE, MIN_SCAN, NatKeepalive } from '../../../../core/sip/proxy/nat-keepalive';
import { parseCidrList } from '../../../../core/sip/proxy/network';
import type { Binding } from '../../../../core/sip/registrar/binding';
import type { Peer } from '../../../../core/sip/transport/peer';

const LOCAL = parseCidrList('192.168.0.0/16');

function binding(user: string, over: Partial<Binding>): Binding {
  return {
    aor: `sip:${user}@lab.example`,
    contact: `sip:${user}@192.168.1.50:5060`,
    contactParams: '',
    expiresAt: Date.now() + 3_600_000,
    q: undefined,
    callId: `reg-${user}`,
    cseq: 1,
    sourceAddress: '203.0.113.5',
    sourcePort: 40_000,
    transport: 'UDP',
    userAgent: '',
    createdAt: 0,
    updatedAt: 0,
    ...over,
  };
}

function pinger(bindings: Binding[], interval: { s: number }) {
  const sent: Peer[] = [];
  const k = new NatKeepalive({
    bindings: () => bindings.map((b) => [b.aor, [b]] as [string, Binding[]]),
    target: (b) => bindingTarget(b, LOCAL),
    send: (data, to) => {
      expect(data).toEqual(KEEPALIVE);
      sent.push(to);
    },
    intervalS: () => interval.s,
  });
  return { k, sent };
}

describe('NAT keep-alives (REG.NAT_KEEPALIVE)', () => {
  it('pings each NATed UDP phone once an interval, at the address its REGISTER came from', () => {
    const natted = [1, 2, 3, 4, 5].map((n) => binding(`10${n}`, { sourcePort: 40_000 + n }));
    const { k, sent } = pinger(natted, { s: 5 });
    for (let i = 0; i < 5; i++) k.tick();
    expect(sent.map((p) => p.port).sort()).toEqual([40_001, 40_002, 40_003, 40_004, 40_005]);
    expect(sent.every((p) => p.address === '203.0.113.5' && p.transport === 'UDP')).toBe(true);
    for (let i = 0; i < 5; i++) k.tick();
    expect(sent).toHaveLength(10); // the next interval, each again
  });

  it('reads the bindings a slice a tick (MIN_SCAN or more), not all at once every interval', () => {
    const count = 5 * MIN_SCAN;
    const natted = Array.from({ length: count }, (_, n) =>
      binding(`u${n}`, { sourceAddress: `203.0.113.${n % 200}`, sourcePort: 20_000 + Math.floor(n / 200) }),
    );
    const { k, sent } = pinger(natted, { s: 10 });
    k.tick();
    expect(sent).toHaveLength(MIN_SCAN);
    for (let i = 0; i < 4; i++) k.tick();
    expect(sent).toHaveLength(count);
    expect(new Set(sent.map((p) => `${p.address} ${p.port}`)).size).toBe(count);
    for (let i = 0; i < 5; i++) k.tick(); // the rest of the interval: nothing
    expect(sent).toHaveLength(count);
    k.tick(); // the next round
    expect(sent).toHaveLength(count + MIN_SCAN);
  });

  it('pings no phone reached at its Contact, over a connection, a SIP Outbound flow or a Path', () => {
    const none = [
      // On the local network, sending from its Contact's address: no NAT between.
      binding('direct', { sourceAddress: '192.168.1.50', sourcePort: 5060 }),
      binding('tcp', { transport: 'TCP' }),
      binding('flow', {
        contactParams: ';reg-id=1;+sip.instance="<urn:uuid:00000000-0000-0000-0000-000000000001>"',
      }),
      binding('path', { path: ['<sip:edge.example;lr>'] }),
    ];
    const { k, sent } = pinger(none, { s: 1 });
    k.tick();
    k.tick();
    expect(sent).toEqual([]);
  });

  it('pings an address once however many bindings share it (one phone, several lines)', () => {
    const lines = ['1001', '1002', '1003'].map((u) => binding(u, {}));
    const { k, sent } = pinger(lines, { s: 1 });
    k.tick();
    expect(sent).toHaveLength(1);
  });

  it('sends nothing at 0, and starts a new interval when the setting shrinks', () => {
    const natted = [binding('1001', {})];
    const interval = { s: 0 };
    const { k, sent } = pinger(natted, interval);
    k.tick();
    expect(sent).toEqual([]);
    interval.s = 3600;
    k.tick();
    expect(sent).toHaveLength(1);
    interval.s = 2; // an hour's round left: a new one of 2 s starts now
    k.tick();
    k.tick();
    expect(sent).toHaveLength(2);
  });
});
