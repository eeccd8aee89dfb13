// A message the ring holds: a record the ring reuses once it lets the message go, its bytes in the ring's
// arena. The ring lets go of thousands of messages a second; records and byte buffers made per message
// would live long enough to reach V8's old generation and die there, and dead objects there stay until
// the next full GC, so the process would hold several times what the ring does. Reused, they never die.
// A held message is valid while the ring holds it: whoever keeps one longer copies it (ownCopy).
import type { TapDirection } from '../sip/transport/message-tap';
import type { TransportName } from '../sip/transport/peer';
import type { Parties, TraceEndpoint, TraceMessage } from './trace-message';

const EMPTY = Buffer.alloc(0);
const NOWHERE: TraceEndpoint = { address: '', port: 0 };

export class HeldMessage implements TraceMessage {
  seq = 0;
  timeUs = 0;
  direction: TapDirection = 'in';
  transport: TransportName = 'UDP';
  local: TraceEndpoint = NOWHERE;
  /** Its own, filled again when the record is reused. */
  readonly remote = { address: '', port: 0 };
  callId = '';
  method = '';
  status = 0;
  cseqMethod = '';
  parties: Parties | undefined = undefined;
  retransmission = false;
  error: string | undefined = undefined;
  /** Where its bytes are: a chunk of the arena (or a buffer of their own), from start to end. */
  chunk: Buffer = EMPTY;
  start = 0;
  end = 0;
  /** The next message the ring holds (TraceRing's list, oldest first). */
  newer: HeldMessage | undefined = undefined;
  /** The dialog's message before and after it (TraceDialog's list). */
  prev: HeldMessage | undefined = undefined;
  next: HeldMessage | undefined = undefined;

  get data(): Buffer {
    return this.chunk.subarray(this.start, this.end);
  }

  /** Lets go of what it refers to, before it waits for reuse. */
  reset(): void {
    this.chunk = EMPTY;
    this.parties = undefined;
    this.error = undefined;
    this.callId = '';
    this.prev = this.next = this.newer = undefined;
  }
}

/** A message with copies of its own (bytes, ends): safe to keep after the ring lets it go. */
export function ownCopy(m: TraceMessage): TraceMessage {
  return {
    seq: m.seq,
    timeUs: m.timeUs,
    direction: m.direction,
    transport: m.transport,
    local: m.local,
    remote: { address: m.remote.address, port: m.remote.port },
    data: Buffer.from(m.data),
    callId: m.callId,
    method: m.method,
    status: m.status,
    cseqMethod: m.cseqMethod,
    ...(m.parties === undefined ? {} : { parties: m.parties }),
    retransmission: m.retransmission,
    error: m.error,
  };
}
