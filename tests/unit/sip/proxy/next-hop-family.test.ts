// A next hop named by a host with an A and an AAAA record (or `localhost` on a stock Debian /etc/hosts,
// `::1 localhost`): getaddrinfo answers IPv6 first (RFC 6724), and the proxy sent to ::1 from its
// IPv4-only listener: "500 (next hop unreachable)", nothing reached the peer. It takes the address of a
// family its listener sends on (RFC 3263 §4.3: the next one where one cannot be used), and a name with
// none is refused naming the name and its addresses.
import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import type { SipResponse } from '../../../../core/sip/message/index';
import { sendFamilies, usableAddress } from '../../../../core/sip/transport/host-addresses';
import { CALLER, inviteLines } from './call-steps';
import { kinds, stack } from './stack';

const BOTH: LookupAddress[] = [
  { address: '::1', family: 6 },
  { address: '192.0.2.77', family: 4 },
];

function inviteVia(callId: string, host: string): string[] {
  return [...inviteLines(callId), `Route: <sip:${host}:5090;lr>`];
}

describe('a next hop whose name has IPv4 and IPv6 addresses', () => {
  it('is sent to its IPv4 address from an IPv4 listener', async () => {
    const s = stack({ relayForeign: true }, { lookup: () => Promise.resolve(BOTH) });
    await s.receive(inviteVia('both-families', 'both.lab'), CALLER);
    expect(kinds(s.sentTo({ transport: 'UDP', address: '192.0.2.77', port: 5090 }))).toEqual(['INVITE']);
    expect(s.sent.filter((m) => m.to.address === '::1')).toEqual([]);
  });

  it('an IPv6-only name from an IPv4 listener: 500 naming the name and its address', async () => {
    const lookup = (): Promise<LookupAddress[]> => Promise.resolve([{ address: '::1', family: 6 }]);
    const s = stack({ relayForeign: true }, { lookup });
    await s.receive(inviteVia('v6-only', 'v6.lab'), CALLER);
    const final = s.sentTo(CALLER).at(-1) as SipResponse;
    expect(final.status).toBe(500);
    expect(final.reasonText).toBe(
      'Server Internal Error (v6.lab resolves to ::1, no IPv4 address: IMS Lab listens on IPv4 only)',
    );
  });
});

describe('the family of the address taken', () => {
  it('follows the listener: IPv4 only, IPv6 only, or both with IPv4 first', () => {
    expect(sendFamilies('0.0.0.0')).toEqual([4]);
    expect(sendFamilies('127.0.0.1')).toEqual([4]);
    expect(sendFamilies('::1')).toEqual([6]);
    expect(sendFamilies('::')).toEqual([4, 6]);
    expect(usableAddress('both.lab', BOTH, [4, 6])).toBe('192.0.2.77');
    expect(usableAddress('both.lab', BOTH, [6])).toBe('::1');
    expect(usableAddress('v6.lab', [{ address: '::1', family: 6 }], [4, 6])).toBe('::1');
    expect(() => usableAddress('none.lab', [], [4])).toThrow('none.lab has no address');
  });
});
