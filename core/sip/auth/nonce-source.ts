// The source a nonce is bound to (RFC 7616 §5.5: "the client's IP address" in the nonce), as 8 bytes: an
// IPv6 address's /64, or an IPv4 address as ffff:ffff:a.b.c.d (a prefix in ff00::/8, multicast, which
// is no unicast source's), ff00:0:0:0 for text that is no address (multicast too: all zero was ::/64's,
// ::1's binding, which was then said to be "no address"). The same grouping as the lock-out's
// (failure-key.ts): an IPv6 host's privacy addresses change within its /64 (RFC 8981), an IPv4-mapped
// IPv6 address (a dual-stack socket's ::ffff:a.b.c.d) is its IPv4 address, and the port is left out (a
// phone behind NAT, or reconnecting over TCP, comes back from another port). Parsed by hand, character
// by character: this runs twice for every challenged request (node:net's isIPv6 and a split cost 3 µs
// an IPv6 address, fifteen times more).

import { prefix64 } from './failure-key';

export const SOURCE_BYTES = 8;

/** The first byte of a binding to no address (the rest zero): ff00::/64 is no source's. */
const NO_ADDRESS = 0xff;

/** The 8 groups of the IPv6 address being read (one event loop: one at a time). */
const groups = new Uint16Array(8);

/** Writes `address`'s binding at out[at..at+8). */
export function writeSource(address: string, out: Buffer, at: number): void {
  if (ipv4(address, 0, address.length, out, at + 4) || ipv6(address, out, at)) return;
  out[at] = NO_ADDRESS;
  for (let i = 1; i < SOURCE_BYTES; i++) out[at + i] = 0;
}

/** The binding at raw[at..at+8) as the lock-out names it: `192.0.2.7`, `2001:db8:1:2::/64`, `::/64`. */
export function sourceText(raw: Buffer, at: number): string {
  if (raw.readUInt32BE(at) === 0xffffffff)
    return `${raw[at + 4]}.${raw[at + 5]}.${raw[at + 6]}.${raw[at + 7]}`;
  const words: string[] = [];
  for (let i = 0; i < 4; i++) words.push(raw.readUInt16BE(at + 2 * i).toString(16));
  return words.join(':') === 'ff00:0:0:0' ? 'no address' : prefix64(words);
}

/** text[from..to) as a dotted-quad IPv4 address into out[at..at+4); false for anything else. */
function ipv4(text: string, from: number, to: number, out: Buffer, at: number): boolean {
  // An IPv4 binding's first 4 bytes (ipv6() overwrites them all when it reads a dotted tail).
  for (let i = 1; i <= 4; i++) out[at - i] = 0xff;
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let i = from; i <= to; i++) {
    const c = i === to ? 0x2e : text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39 && digits < 3) {
      value = value * 10 + (c - 0x30);
      digits++;
    } else if (c === 0x2e && digits > 0 && value <= 255 && part < 4) {
      out[at + part++] = value;
      value = 0;
      digits = 0;
    } else return false;
  }
  return part === 4;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x66 ? l - 0x57 : -1;
}

/**
 * An IPv6 address (RFC 4291 §2.2, a zone `%eth0` ignored) into out[at..at+8) as its /64, or an
 * IPv4-mapped one as IPv4; false for anything else.
 */
function ipv6(text: string, out: Buffer, at: number): boolean {
  const zone = text.indexOf('%');
  const end = zone < 0 ? text.length : zone;
  let n = 0; // groups read
  let gap = -1; // where "::" stands, in groups
  let i = 0;
  if (text.charCodeAt(0) === 0x3a) {
    if (text.charCodeAt(1) !== 0x3a) return false;
    gap = 0;
    i = 2;
  }
  while (i < end) {
    const start = i;
    let value = 0;
    let h: number;
    while (i < end && (h = hexValue(text.charCodeAt(i))) >= 0) {
      value = value * 16 + h;
      i++;
    }
    if (i < end && text.charCodeAt(i) === 0x2e) {
      // A dotted quad in the last two groups (§2.2 form 3).
      if (n > 6 || !ipv4(text, start, end, out, at + 4)) return false;
      groups[n++] = (out[at + 4]! << 8) | out[at + 5]!;
      groups[n++] = (out[at + 6]! << 8) | out[at + 7]!;
      break;
    }
    if (i === start || i - start > 4 || n === 8) return false;
    groups[n++] = value;
    if (i === end) break;
    if (text.charCodeAt(i++) !== 0x3a || i === end) return false;
    if (text.charCodeAt(i) === 0x3a) {
      if (gap >= 0) return false;
      gap = n;
      i++;
    }
  }
  if (gap < 0 ? n !== 8 : n > 7) return false;
  // Spread the groups after "::" to the end, zeros between.
  if (gap >= 0) {
    const tail = n - gap;
    for (let k = 0; k < tail; k++) groups[7 - k] = groups[n - 1 - k]!;
    for (let k = gap; k < 8 - tail; k++) groups[k] = 0;
  }
  if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0) {
    if (groups[5] === 0xffff) {
      out.writeUInt32BE(0xffffffff, at);
      out.writeUInt16BE(groups[6]!, at + 4);
      out.writeUInt16BE(groups[7]!, at + 6);
      return true;
    }
  }
  for (let k = 0; k < 4; k++) out.writeUInt16BE(groups[k]!, at + 2 * k);
  return true;
}
