// STUN keep-alives on the SIP UDP port (RFC 5626 §4.4.2 and §8). A UA using SIP Outbound over UDP sends
// STUN Binding requests (RFC 5389) to the port it registered through, every Flow-Timer seconds or so; the
// answer keeps its NAT binding open and tells it the address the server sees (XOR-MAPPED-ADDRESS): a
// change means its flow broke and it registers again. Without an answer it counts the flow as failed.
// A STUN message is told from SIP by its first byte (the two top bits are zero; SIP starts with a
// letter) and the magic cookie (RFC 5389 §6, RFC 7983 §7). A request with a comprehension-required
// attribute not understood here gets a 420 error response instead (§7.3.1).
import { isIP } from 'node:net';
import { crc32 } from 'node:zlib';
import { ipv4Bytes, ipv6Bytes } from './ip-bytes';
import type { Peer } from './peer';

const HEADER_BYTES = 20;
const MAGIC_COOKIE = 0x2112a442;
const BINDING_REQUEST = 0x0001;
const BINDING_SUCCESS = 0x0101;
const BINDING_ERROR = 0x0111;
const XOR_MAPPED_ADDRESS = 0x0020;
const MESSAGE_INTEGRITY = 0x0008;
const ERROR_CODE = 0x0009;
const UNKNOWN_ATTRIBUTES = 0x000a;
const FINGERPRINT = 0x8028;
/** §15.6: class 4, number 20, and its reason phrase. */
const UNKNOWN_ATTRIBUTE_ERROR = Buffer.from('\x00\x00\x04\x14Unknown Attribute', 'latin1');
/**
 * The comprehension-required attributes understood (§18.2: those RFC 5389 defines; 0x0002-0x0005,
 * 0x0007 and 0x000B are RFC 3489's, reserved now, and CHANGE-REQUEST 0x0003 is RFC 5780's, not done
 * here). Most are known but unexpected in a Binding request, and ignored (§7.3). USERNAME and
 * MESSAGE-INTEGRITY among them: a usage says whether a credential mechanism is used (§10), and RFC
 * 5626's keep-alives set up none, so this server has no password to check them with; it ignores them
 * and answers without MESSAGE-INTEGRITY, as a public STUN server does. ICE's PRIORITY and USE-CANDIDATE
 * (RFC 8445 §16.1) are not understood: the SIP port is no ICE agent, and its 420 tells one so.
 */
const KNOWN_REQUIRED: ReadonlySet<number> = new Set([
  0x0001, // MAPPED-ADDRESS
  0x0006, // USERNAME
  MESSAGE_INTEGRITY,
  ERROR_CODE,
  UNKNOWN_ATTRIBUTES,
  0x0014, // REALM
  0x0015, // NONCE
  XOR_MAPPED_ADDRESS,
]);
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
 * The answer to a Binding request from `source`: its success response (RFC 5389 §10.1.2) with its
 * XOR-MAPPED-ADDRESS, or the 420 error response when it has comprehension-required attributes not
 * understood here (§7.3.1); either with a FINGERPRINT when the request had one (§7.3.1). Undefined for
 * any other STUN message (an indication or a response is not answered).
 */
export function stunBindingResponse(request: Buffer, source: Peer): Buffer | undefined {
  if (!isStun(request) || request.readUInt16BE(0) !== BINDING_REQUEST) return undefined;
  const unknown = unknownRequired(request);
  if (unknown !== undefined) return stunResponse(request, BINDING_ERROR, unknownAttributeError(unknown));
  const address = mappedAddress(request, source);
  if (address === undefined) return undefined;
  return stunResponse(request, BINDING_SUCCESS, [[XOR_MAPPED_ADDRESS, address]]);
}

/**
 * A response to `request` (same cookie and transaction ID) of this type with these attributes, each
 * padded to 4 bytes (§15), and a FINGERPRINT when the request had one.
 */
function stunResponse(request: Buffer, type: number, attributes: [number, Buffer][]): Buffer {
  const fingerprint = hasFingerprint(request);
  let length = fingerprint ? 8 : 0;
  for (const [, value] of attributes) length += 4 + padded(value.length);
  const out = Buffer.alloc(HEADER_BYTES + length); // zeros: the padding too
  out.writeUInt16BE(type, 0);
  out.writeUInt16BE(length, 2);
  request.copy(out, 4, 4, HEADER_BYTES); // the cookie and the transaction ID
  let at = HEADER_BYTES;
  for (const [attribute, value] of attributes) {
    out.writeUInt16BE(attribute, at);
    out.writeUInt16BE(value.length, at + 2);
    value.copy(out, at + 4);
    at += 4 + padded(value.length);
  }
  if (fingerprint) {
    out.writeUInt16BE(FINGERPRINT, at);
    out.writeUInt16BE(4, at + 2);
    out.writeUInt32BE((crc32(out.subarray(0, at)) ^ FINGERPRINT_XOR) >>> 0, at + 4);
  }
  return out;
}

/** §15: an attribute's value is padded to a multiple of 4 bytes. */
function padded(length: number): number {
  return (length + 3) & ~3;
}

/**
 * §7.3: the comprehension-required attributes (0x0000-0x7FFF, §15) of the request not understood here,
 * each once; undefined when there is none (the optional ones, 0x8000-0xFFFF, are ignored). The scan stops
 * at MESSAGE-INTEGRITY (§15.4: what follows it but FINGERPRINT is ignored), and at the end of the
 * message even if the last attribute's length runs past it.
 */
function unknownRequired(request: Buffer): number[] | undefined {
  let unknown: number[] | undefined;
  for (let at = HEADER_BYTES; at + 4 <= request.length;) {
    const type = request.readUInt16BE(at);
    if (type === MESSAGE_INTEGRITY) break;
    if (type < 0x8000 && !KNOWN_REQUIRED.has(type)) {
      unknown ??= [];
      if (!unknown.includes(type)) unknown.push(type);
    }
    at += 4 + padded(request.readUInt16BE(at + 2));
  }
  return unknown;
}

/** §7.3.1: ERROR-CODE 420 (§15.6) and UNKNOWN-ATTRIBUTES listing the types (§15.9). */
function unknownAttributeError(unknown: number[]): [number, Buffer][] {
  const list = Buffer.alloc(2 * unknown.length);
  unknown.forEach((type, i) => list.writeUInt16BE(type, 2 * i));
  return [
    [ERROR_CODE, UNKNOWN_ATTRIBUTE_ERROR],
    [UNKNOWN_ATTRIBUTES, list],
  ];
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
