// The RTP fixed header (RFC 3550 §5.1): V=2, no padding, no extension, no CSRC, then the payload.
export const RTP_HEADER_SIZE = 12;

export interface RtpHeader {
  marker: boolean;
  payloadType: number;
  sequence: number;
  timestamp: number;
  ssrc: number;
}

/** Writes header and payload into a new buffer. */
export function rtpPacket(h: RtpHeader, payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(RTP_HEADER_SIZE + payload.length);
  out[0] = 0x80;
  out[1] = (h.marker ? 0x80 : 0) | (h.payloadType & 0x7f);
  out.writeUInt16BE(h.sequence & 0xffff, 2);
  out.writeUInt32BE(h.timestamp >>> 0, 4);
  out.writeUInt32BE(h.ssrc >>> 0, 8);
  out.set(payload, RTP_HEADER_SIZE);
  return out;
}

export interface ParsedRtp extends RtpHeader {
  payload: Buffer;
}

/** Parses an RTP packet (CSRCs, extension and padding skipped); undefined when it is not RTP v2. */
export function parseRtp(buf: Buffer): ParsedRtp | undefined {
  if (buf.length < RTP_HEADER_SIZE || buf[0]! >> 6 !== 2) return undefined;
  const cc = buf[0]! & 0x0f;
  let offset = RTP_HEADER_SIZE + cc * 4;
  if (buf[0]! & 0x10) {
    if (buf.length < offset + 4) return undefined;
    offset += 4 + buf.readUInt16BE(offset + 2) * 4;
  }
  let end = buf.length;
  if (buf[0]! & 0x20) end -= buf[buf.length - 1]!;
  if (offset > end) return undefined;
  return {
    marker: (buf[1]! & 0x80) !== 0,
    payloadType: buf[1]! & 0x7f,
    sequence: buf.readUInt16BE(2),
    timestamp: buf.readUInt32BE(4),
    ssrc: buf.readUInt32BE(8),
    payload: buf.subarray(offset, end),
  };
}
