// Address classes the NAT handling needs (the original's NAT fix, done per RFC 3581): CIDR matching for
// LOCAL_NETWORK_CIDR (IPv4 and IPv6 prefixes), and the private / shared / loopback ranges of RFC 1918,
// RFC 6598, RFC 1122 and, for IPv6, RFC 4193 (unique local) and RFC 4291 (link-local, loopback) whose
// addresses in a Contact cannot be reached from outside their network.
import { isIPv4, isIPv6 } from 'node:net';

export interface Cidr {
  v6: boolean;
  base: bigint;
  mask: bigint;
}

function ipv4Bits(ip: string): bigint {
  const p = ip.split('.');
  return BigInt(((Number(p[0]) << 24) | (Number(p[1]) << 16) | (Number(p[2]) << 8) | Number(p[3])) >>> 0);
}

/** An IPv6 address as 128 bits (with an embedded dotted IPv4 tail when written so). */
function ipv6Bits(ip: string): bigint {
  let text = ip.toLowerCase().replace(/%.*$/, '');
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = Number(ipv4Bits(dotted[1]!));
    text = `${text.slice(0, -dotted[1]!.length)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const h = head === '' ? [] : head!.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function cidr(address: string, bits: number): Cidr | undefined {
  const v6 = isIPv6(address);
  if (!v6 && !isIPv4(address)) return undefined;
  const width = v6 ? 128 : 32;
  if (!Number.isInteger(bits) || bits < 0 || bits > width) return undefined;
  const all = (1n << BigInt(width)) - 1n;
  const mask = bits === 0 ? 0n : (all << BigInt(width - bits)) & all;
  return { v6, base: (v6 ? ipv6Bits(address) : ipv4Bits(address)) & mask, mask };
}

/** Parses "192.168.0.0/16, fd00::/8" (already validated by the settings); bad parts are skipped. */
export function parseCidrList(text: string): Cidr[] {
  const out: Cidr[] = [];
  for (const part of text.split(',')) {
    const m = /^\s*([0-9a-fA-F:.]+)\/(\d{1,3})\s*$/.exec(part);
    const c = m ? cidr(m[1]!, Number(m[2])) : undefined;
    if (c !== undefined) out.push(c);
  }
  return out;
}

/** Is this one valid CIDR (IPv4 or IPv6)? For the settings' validation. */
export function isCidr(text: string): boolean {
  const m = /^([0-9a-fA-F:.]+)\/(\d{1,3})$/.exec(text.trim());
  return m !== null && cidr(m[1]!, Number(m[2])) !== undefined;
}

export function inCidrs(ip: string, cidrs: readonly Cidr[]): boolean {
  const v6 = isIPv6(ip);
  if (!v6 && !isIPv4(ip)) return false;
  const n = v6 ? ipv6Bits(ip) : ipv4Bits(ip);
  return cidrs.some((c) => c.v6 === v6 && (n & c.mask) === c.base);
}

const PRIVATE = parseCidrList(
  '10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, 169.254.0.0/16, fc00::/7, fe80::/10',
);
const LOOPBACK = parseCidrList('127.0.0.0/8, ::1/128');

/** RFC 1918 / RFC 6598 / link-local: not reachable from another network. */
export function isPrivateIpv4(ip: string): boolean {
  return isIPv4(ip) && inCidrs(ip, PRIVATE);
}

/** Private to its network, IPv4 (as isPrivateIpv4) or IPv6 (unique local fc00::/7, link-local fe80::/10). */
export function isPrivateAddress(ip: string): boolean {
  return inCidrs(ip, PRIVATE);
}

export function isLoopback(ip: string): boolean {
  return inCidrs(ip, LOOPBACK);
}
