// Where a WebSocket connection's bytes stand between messages (RFC 6455 §5.2), so that a message begun
// can be held to SIP.MESSAGE_TIMEOUT as on TCP and TLS (tcp.ts): a peer dripping a frame a byte at a
// time reset the idle timer with every byte and held its connection for ever. The `ws` module parses
// the frames; this only walks their headers and skips their payloads (a few comparisons per frame, no
// copy but of a header split across reads), so it can run on every read of the hot path.

/** Opcodes (§5.2): 0 continuation, 1 text, 2 binary; 8 and above are control frames. */
const FIRST_CONTROL_OPCODE = 0x8;

/** The longest frame header: 2 bytes, an 8-byte extended length, a 4-byte mask (§5.2). */
const MAX_HEADER = 14;

export class WsPartialMessage {
  /** Bytes of a frame header received so far (a header may be split across reads). */
  private readonly header = Buffer.alloc(MAX_HEADER);
  private headerLength = 0;
  /** Payload bytes of the current frame still to come. */
  private payloadLeft = 0;
  /** A data frame without FIN was received: the message goes on in continuation frames (§5.4). */
  private fragmented = false;
  /** The current frame is a data frame with FIN: a message ends with its payload. */
  private frameEndsMessage = false;

  /**
   * Reads one chunk of the stream; true when a data message (its last frame) ended in it. Control
   * frames (Ping, Pong, Close) end no message: between a fragmented message's frames they do not
   * restart its clock.
   */
  push(chunk: Buffer): boolean {
    let ended = false;
    let i = 0;
    while (i < chunk.length) {
      if (this.payloadLeft > 0) {
        const take = Math.min(this.payloadLeft, chunk.length - i);
        this.payloadLeft -= take;
        i += take;
        if (this.payloadLeft === 0 && this.frameEndsMessage) ended = true;
        continue;
      }
      this.header[this.headerLength++] = chunk[i++]!;
      const need = this.headerNeeded();
      if (need === undefined || this.headerLength < need) continue;
      this.payloadLeft = this.payloadLength();
      this.headerLength = 0;
      const data = this.opcode < FIRST_CONTROL_OPCODE;
      if (data) this.fragmented = !this.fin;
      this.frameEndsMessage = data && this.fin;
      if (this.payloadLeft === 0 && this.frameEndsMessage) ended = true;
    }
    return ended;
  }

  /** True while part of a message (a frame, or a fragmented message's frames) has come. */
  get partial(): boolean {
    return this.headerLength > 0 || this.payloadLeft > 0 || this.fragmented;
  }

  private get fin(): boolean {
    return (this.header[0]! & 0x80) !== 0;
  }

  private get opcode(): number {
    return this.header[0]! & 0x0f;
  }

  /** The header's full length once its first two bytes are in; undefined before. */
  private headerNeeded(): number | undefined {
    if (this.headerLength < 2) return undefined;
    const len7 = this.header[1]! & 0x7f;
    const masked = (this.header[1]! & 0x80) !== 0;
    return 2 + (len7 === 126 ? 2 : len7 === 127 ? 8 : 0) + (masked ? 4 : 0);
  }

  private payloadLength(): number {
    const len7 = this.header[1]! & 0x7f;
    if (len7 === 126) return this.header.readUInt16BE(2);
    if (len7 === 127) return Number(this.header.readBigUInt64BE(2));
    return len7;
  }
}
