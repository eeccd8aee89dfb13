// Address classes the NAT handling needs (the original's NAT fix, done per RFC 3581): CIDR matching for
// LOCAL_NETWORK_CIDR (IPv4 and IPv6 prefixes), and the private / shared / loopback ranges of RFC 1918,
// RFC 6598, RFC 1122 and, for IPv6, RFC 4193 (unique local) and RFC 4291 (link-local, loopback) whose
// addresses in a Contact cannot be reached from outside their network.
import { isIPv4, isIPv6 } from 'node:net';

export interface Cidr {
  v6: boolean;
  base: bigint;
  mask: bigint;
  /** An IPv4 prefix's base and mask as unsigned 32-bit numbers (IPv4 is matched without BigInt). */
  base4: number;
  mask4: number;
}

/** A dotted-quad IPv4 address as an unsigned 32-bit number; -1 when it is not one (e.g. IPv6). */
function ipv4Number(ip: string): number {
  let n = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      // No leading zeros (as node:net's isIPv4), at most 3 digits, at most 255.
      if ((digits > 0 && part === 0) || ++digits > 3) return -1;
      part = part * 10 + (c - 0x30);
      if (part > 255) return -1;
    } else if (c === 0x2e && digits > 0 && dots < 3) {
      n = n * 256 + part;
      part = digits = 0;
      dots++;
    } else return -1;
  }
  return dots === 3 && digits > 0 ? n * 256 + part : -1;
}

function ipv4Bits(ip: string): bigint {
  return BigInt(ipv4Number(ip));
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
  const base = (v6 ? ipv6Bits(address) : ipv4Bits(address)) & mask;
  return { v6, base, mask, base4: v6 ? 0 : Number(base), mask4: v6 ? 0 : Number(mask) };
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
  const v4 = ipv4Number(ip);
  if (v4 >= 0) {
    for (const c of cidrs) if (!c.v6 && (v4 & c.mask4) >>> 0 === c.base4) return true;
    return false;
  }
  if (!isIPv6(ip)) return false;
  const n = ipv6Bits(ip);
  return cidrs.some((c) => c.v6 && (n & c.mask) === c.base);
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
