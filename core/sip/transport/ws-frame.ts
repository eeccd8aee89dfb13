// RFC 7118 §5.1: a WebSocket message holds exactly one SIP message. The parser frames a WebSocket
// message as a datagram (§18.3: octets beyond Content-Length are ignored), so a second message in the
// same frame, or any bytes after the body, were dropped unsaid. What is left after the message is
// measured here; the transport serves the first message (as Kamailio does), drops the rest, counts it
// and logs a WARNING (sip-transport.ts).
import type { SipMessage } from '../message/index';

/** Bytes of `frame` after `msg` (its body's end), not counting trailing CR, LF, space or tab. */
export function bytesAfterMessage(frame: Buffer, msg: SipMessage): number {
  const source = msg.source;
  let end = frame.length;
  const after = source.byteOffset - frame.byteOffset + source.length;
  while (end > after && isBlank(frame[end - 1]!)) end--;
  return end - after;
}

function isBlank(byte: number): boolean {
  return byte === 0x0d || byte === 0x0a || byte === 0x20 || byte === 0x09;
}
