// Where a WebSocket stream stands between messages (core/sip/transport/ws-partial.ts), fed the frames of
// RFC 6455 §5.2 split at every place a read can end: a message begun is partial until its last frame's
// last byte; control frames end no message, also between a fragmented message's frames (§5.4).
import { describe, expect, it } from 'vitest';
import { WsPartialMessage } from '../../../../core/sip/transport/ws-partial';

/** A client frame (masked with a zero key, so the payload reads as sent). */
function frame(opcode: number, payload: Buffer, fin = true): Buffer {
  const n = payload.length;
  const len = n < 126 ? Buffer.from([0x80 | n]) : Buffer.from([0x80 | 126, n >> 8, n & 0xff]);
  if (n > 0xffff) throw new Error('test frames stay under 64 KB');
  return Buffer.concat([Buffer.from([(fin ? 0x80 : 0) | opcode]), len, Buffer.alloc(4), payload]);
}

const TEXT = 0x1;
const CONTINUATION = 0x0;
const PING = 0x9;

describe('WsPartialMessage', () => {
  it('is partial from a frame header’s first byte to its payload’s last, wherever the reads end', () => {
    const whole = frame(TEXT, Buffer.alloc(300, 0x41)); // a 16-bit extended length
    for (let cut = 1; cut < whole.length; cut++) {
      const s = new WsPartialMessage();
      expect(s.push(whole.subarray(0, cut))).toBe(false);
      expect(s.partial).toBe(true);
      expect(s.push(whole.subarray(cut))).toBe(true);
      expect(s.partial).toBe(false);
    }
  });

  it('reads several frames in one chunk, and a 64-bit length', () => {
    const s = new WsPartialMessage();
    const long = Buffer.from([0x81, 0x80 | 127, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]); // 65,536 bytes
    expect(s.push(Buffer.concat([frame(TEXT, Buffer.from('a')), frame(TEXT, Buffer.alloc(0)), long]))).toBe(
      true,
    );
    expect(s.partial).toBe(true);
    expect(s.push(Buffer.alloc(65_535))).toBe(false);
    expect(s.push(Buffer.alloc(1))).toBe(true);
    expect(s.partial).toBe(false);
  });

  it('ends no message with a control frame, alone or between fragments', () => {
    const s = new WsPartialMessage();
    expect(s.push(frame(PING, Buffer.from('p')))).toBe(false);
    expect(s.partial).toBe(false);
    expect(s.push(frame(TEXT, Buffer.from('IN'), false))).toBe(false);
    expect(s.partial).toBe(true);
    expect(s.push(frame(PING, Buffer.alloc(0)))).toBe(false);
    expect(s.partial).toBe(true);
    expect(s.push(frame(CONTINUATION, Buffer.from('VITE'), false))).toBe(false);
    expect(s.partial).toBe(true);
    expect(s.push(frame(CONTINUATION, Buffer.from(' sip:'), true))).toBe(true);
    expect(s.partial).toBe(false);
  });
});
