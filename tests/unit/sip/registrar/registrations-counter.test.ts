// sip_registrations_total{result}: what became of each REGISTER, as Kamailio's registrar:accepted_regs and
// rejected_regs say (IMS Lab had only the bindings gauge and 200s mixed with INVITE's and BYE's). Every
// result is a series at 0 before the first, so that increase() sees the first one.
import { describe, expect, it } from 'vitest';
import type { Peer } from '../../../../core/sip/transport/peer';
import { SERVER, stack } from '../proxy/stack';

const PHONE: Peer = { transport: 'UDP', address: '10.0.0.7', port: 5066 };

function register(s: ReturnType<typeof stack>, user: string, cseq: number, expires: number): Promise<void> {
  return s.receive(
    [
      `REGISTER sip:${SERVER.address} SIP/2.0`,
      `Via: SIP/2.0/UDP ${PHONE.address}:${PHONE.port};branch=z9hG4bK-rc-${user}-${cseq};rport`,
      'Max-Forwards: 70',
      `From: <sip:${user}@${SERVER.address}>;tag=rc`,
      `To: <sip:${user}@${SERVER.address}>`,
      `Call-ID: rc-${user}@10.0.0.7`,
      `CSeq: ${cseq} REGISTER`,
      `Contact: <sip:${user}@${PHONE.address}:${PHONE.port}>`,
      `Expires: ${expires}`,
    ],
    PHONE,
  );
}

describe('sip_registrations_total', () => {
  it('counts accepted, removed and rejected REGISTERs, each at 0 before its first', async () => {
    const s = stack();
    const counter = s.counters.all().find((c) => c.name === 'sip_registrations_total')!;
    expect(counter.entries().sort()).toEqual([
      ['accepted', 0],
      ['rejected', 0],
      ['removed', 0],
    ]);
    await register(s, '1002', 1, 600); // bound
    await register(s, '1002', 2, 600); // refreshed
    await register(s, '1002', 3, 0); // removed (§10.2.2)
    await register(s, '4242', 1, 600); // no such user: 404
    s.statuses['1003'] = 'SUSPENDED';
    await register(s, '1003', 1, 600); // 403
    expect([counter.get('accepted'), counter.get('removed'), counter.get('rejected')]).toEqual([2, 1, 2]);
  });
});

describe("the SIP stack's counters before any event", () => {
  it('have their known series at 0 (a family with none showed no sample at all)', () => {
    const s = stack();
    const zeros = (name: string): string[] => {
      const c = s.counters.all().find((x) => x.name === name)!;
      expect(c.total()).toBe(0);
      return c.entries().map(([v]) => v);
    };
    expect(zeros('sip_retransmissions_absorbed_total')).toEqual(
      expect.arrayContaining(['INVITE', 'BYE', 'REGISTER']),
    );
    expect(zeros('sip_late_parse_errors_total')).toEqual(
      expect.arrayContaining(['header', 'missing-header']),
    );
    expect(zeros('sip_unroutable_total').sort()).toEqual([
      'no-usable-address',
      'other',
      'unresolved',
      'unsupported-transport',
    ]);
  });
});
