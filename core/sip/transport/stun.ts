// STUN keep-alives on the SIP UDP port (RFC 5626 §4.4.2 and §8). A UA using SIP Outbound over UDP sends
// STUN Binding requests (RFC 5389) to the port it registered through, every Flow-Timer seconds or so; the
// answer keeps its NAT binding open and tells it the address the server sees (XOR-MAPPED-ADDRESS): a
// change means its flow broke and it registers again. Without an answer it counts the flow as failed.
// A STUN message is told from SIP by its first byte (the two top bits are zero; SIP starts with a
// letter) and the magic cookie (RFC 5389 §6, RFC 7983 §7).
import { isIP } from 'node:net';
import { crc32 } from 'node:zlib';
import { ipv4Bytes, ipv6Bytes } from './ip-bytes';
import type { Peer } from './peer';

const HEADER_BYTES = 20;
const MAGIC_COOKIE = 0x2112a442;
const BINDING_REQUEST = 0x0001;
const BINDING_SUCCESS = 0x0101;
const XOR_MAPPED_ADDRESS = 0x0020;
const FINGERPRINT = 0x8028;
/** RFC 5389 §15.5: the CRC-32 of the message XOR-ed with this. */
const FINGERPRINT_XOR = 0x5354554e;

/** Is this datagram a STUN message (RFC 5389 §6: top bits 00, length a multiple of 4 that fits, cookie)? */
export function isStun(data: Buffer): boolean {
  return (
    data.length >= HEADER_BYTES &&
    data[0]! < 0x40 &&
    data.readUInt16BE(2) === data.length - HEADER_BYTES &&
    (data.length & 3) === 0 &&
    data.readUInt32BE(4) === MAGIC_COOKIE
  );
}

/**
 * The Binding success response to a Binding request from `source` (RFC 5389 §10.1.2), with its
 * XOR-MAPPED-ADDRESS, and a FINGERPRINT when the request had one (§7.3.1); undefined for any other
 * STUN message (an indication or a response is not answered).
 */
export function stunBindingResponse(request: Buffer, source: Peer): Buffer | undefined {
  if (!isStun(request) || request.readUInt16BE(0) !== BINDING_REQUEST) return undefined;
  const address = mappedAddress(request, source);
  if (address === undefined) return undefined;
  const fingerprint = hasFingerprint(request);
  const length = 4 + address.length + (fingerprint ? 8 : 0);
  const out = Buffer.alloc(HEADER_BYTES + length);
  out.writeUInt16BE(BINDING_SUCCESS, 0);
  out.writeUInt16BE(length, 2);
  request.copy(out, 4, 4, HEADER_BYTES); // the cookie and the transaction ID
  out.writeUInt16BE(XOR_MAPPED_ADDRESS, HEADER_BYTES);
  out.writeUInt16BE(address.length, HEADER_BYTES + 2);
  address.copy(out, HEADER_BYTES + 4);
  if (fingerprint) {
    const at = out.length - 8;
    out.writeUInt16BE(FINGERPRINT, at);
    out.writeUInt16BE(4, at + 2);
    out.writeUInt32BE((crc32(out.subarray(0, at)) ^ FINGERPRINT_XOR) >>> 0, at + 4);
  }
  return out;
}

/** §15.2: family, port and address, each XOR-ed with the cookie (and for IPv6 the transaction ID). */
function mappedAddress(request: Buffer, source: Peer): Buffer | undefined {
  const family = isIP(source.address);
  if (family === 0) return undefined;
  const bytes = family === 4 ? ipv4Bytes(source.address) : ipv6Bytes(source.address);
  const value = Buffer.alloc(4 + bytes.length);
  value[1] = family === 4 ? 0x01 : 0x02;
  value.writeUInt16BE(source.port ^ (MAGIC_COOKIE >>> 16), 2);
  const mask = request.subarray(4, HEADER_BYTES); // the cookie, then the transaction ID
  for (let i = 0; i < bytes.length; i++) value[4 + i] = bytes[i]! ^ mask[i]!;
  return value;
}

/** Does the request end with a FINGERPRINT attribute (§15.5: it is always the last)? */
function hasFingerprint(request: Buffer): boolean {
  return request.length >= HEADER_BYTES + 8 && request.readUInt16BE(request.length - 8) === FINGERPRINT;
}
