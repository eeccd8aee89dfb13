// Address classes the NAT handling needs (the original's NAT fix, done per RFC 3581): IPv4 CIDR
// matching for LOCAL_NETWORK_CIDR, and the private / shared / loopback ranges of RFC 1918, RFC 6598
// and RFC 1122 whose addresses in a Contact cannot be reached from outside their network.
import { isIPv4 } from 'node:net';

export interface Cidr {
  base: number;
  mask: number;
}

function ipv4ToInt(ip: string): number {
  const p = ip.split('.');
  return ((Number(p[0]) << 24) | (Number(p[1]) << 16) | (Number(p[2]) << 8) | Number(p[3])) >>> 0;
}

/** Parses "192.168.0.0/16, 10.0.0.0/8" (already validated by the settings); bad parts are skipped. */
export function parseCidrList(text: string): Cidr[] {
  const out: Cidr[] = [];
  for (const part of text.split(',')) {
    const m = /^\s*(\d+\.\d+\.\d+\.\d+)\/(\d{1,2})\s*$/.exec(part);
    if (!m || !isIPv4(m[1]!)) continue;
    const bits = Number(m[2]);
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    out.push({ base: (ipv4ToInt(m[1]!) & mask) >>> 0, mask });
  }
  return out;
}

export function inCidrs(ip: string, cidrs: readonly Cidr[]): boolean {
  if (!isIPv4(ip)) return false;
  const n = ipv4ToInt(ip);
  return cidrs.some((c) => (n & c.mask) >>> 0 === c.base);
}

const PRIVATE = parseCidrList('10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, 169.254.0.0/16');
const LOOPBACK = parseCidrList('127.0.0.0/8');

/** RFC 1918 / RFC 6598 / link-local: not reachable from another network. */
export function isPrivateIpv4(ip: string): boolean {
  return inCidrs(ip, PRIVATE);
}

export function isLoopback(ip: string): boolean {
  return inCidrs(ip, LOOPBACK) || ip === '::1';
}
