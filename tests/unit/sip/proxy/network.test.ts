import { isIPv4 } from 'node:net';
import { describe, expect, it } from 'vitest';
import { inCidrs, isLoopback, isPrivateAddress, parseCidrList } from '../../../../core/sip/proxy/network';

describe('address classes', () => {
  it('matches IPv4 prefixes at their edges', () => {
    const nets = parseCidrList('192.168.1.0/24, 10.0.0.0/8, 0.0.0.0/32, 203.0.113.7/32');
    for (const ip of ['192.168.1.0', '192.168.1.255', '10.255.255.255', '10.0.0.0', '0.0.0.0', '203.0.113.7'])
      expect(inCidrs(ip, nets), ip).toBe(true);
    for (const ip of ['192.168.2.0', '192.168.0.255', '11.0.0.0', '9.255.255.255', '0.0.0.1', '203.0.113.8'])
      expect(inCidrs(ip, nets), ip).toBe(false);
    expect(inCidrs('255.255.255.255', parseCidrList('0.0.0.0/0'))).toBe(true);
    expect(inCidrs('255.255.255.255', parseCidrList('255.255.255.254/31'))).toBe(true);
    expect(inCidrs('255.255.255.253', parseCidrList('255.255.255.254/31'))).toBe(false);
  });

  it('takes only what node:net calls IPv4 as IPv4', () => {
    const all = parseCidrList('0.0.0.0/0');
    for (const ip of [
      '1.2.3',
      '1.2.3.4.5',
      '01.2.3.4',
      '1.2.3.04',
      '256.1.1.1',
      '1.2.3.4 ',
      '',
      '1..2.3',
      '.1.2.3',
      'a.b.c.d',
      '1.2.3.1000',
    ])
      expect(inCidrs(ip, all), JSON.stringify(ip)).toBe(isIPv4(ip));
  });

  it('keeps IPv4 and IPv6 apart, and matches IPv6 prefixes', () => {
    const nets = parseCidrList('fd00::/8, 10.0.0.0/8');
    expect(inCidrs('fd12::1', nets)).toBe(true);
    expect(inCidrs('fe80::1', nets)).toBe(false);
    expect(inCidrs('::ffff:10.0.0.1', parseCidrList('10.0.0.0/8'))).toBe(false);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('127.1.2.3')).toBe(true);
    expect(isLoopback('128.0.0.1')).toBe(false);
    expect(isPrivateAddress('172.31.255.255')).toBe(true);
    expect(isPrivateAddress('172.32.0.0')).toBe(false);
    expect(isPrivateAddress('100.64.0.1')).toBe(true);
    expect(isPrivateAddress('fe80::abcd')).toBe(true);
    expect(isPrivateAddress('2001:db8::1')).toBe(false);
  });
});
