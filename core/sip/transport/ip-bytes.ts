// IP addresses as bytes, for STUN's XOR-MAPPED-ADDRESS and the synthetic headers of pcap export and
// HEP: IPv4 (4 bytes), IPv6 (16, with '::' and an embedded IPv4 tail expanded), and a pair of ends put
// in one family.
import { isIPv4, isIPv6 } from 'node:net';

export function ipv4Bytes(a: string): Buffer {
  return Buffer.from(a.split('.').map(Number));
}

export function ipv6Bytes(a: string): Buffer {
  let text = a.split('%')[0]!;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4 !== null) {
    const b = ipv4Bytes(v4[1]!);
    text = `${text.slice(0, v4.index)}${b.readUInt16BE(0).toString(16)}:${b.readUInt16BE(2).toString(16)}`;
  }
  const [left, right] = text.includes('::') ? text.split('::') : [text, undefined];
  const head = left === '' ? [] : left!.split(':');
  const tail = right === undefined || right === '' ? [] : right.split(':');
  const groups =
    right === undefined
      ? head
      : [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16) & 0xffff, i * 2));
  return out;
}

const unmapped = (a: string): string =>
  a.toLowerCase().startsWith('::ffff:') && isIPv4(a.slice(7)) ? a.slice(7) : a;

/** Both ends in one family: IPv4 when both are (IPv4-mapped included), else IPv6 (IPv4 mapped). */
export function addressPair(src: string, dst: string): { v6: boolean; src: Buffer; dst: Buffer } {
  const s = unmapped(src);
  const d = unmapped(dst);
  if (isIPv4(s) && isIPv4(d)) return { v6: false, src: ipv4Bytes(s), dst: ipv4Bytes(d) };
  const six = (a: string): Buffer =>
    isIPv6(a) ? ipv6Bytes(a) : ipv6Bytes(`::ffff:${isIPv4(a) ? a : '0.0.0.0'}`);
  return { v6: true, src: six(s), dst: six(d) };
}
