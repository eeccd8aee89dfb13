// The always-on memory of the trace: the newest messages, bounded by a count and by bytes (the arena's
// chunks holding their data, plus a per-record and a per-dialog allowance, measured), with an index by
// Call-ID. The oldest go first, from the ring and from their dialog; a dialog whose last held message goes
// is forgotten. Records are reused (HeldMessage, TraceDialog) and bytes written into the arena
// (TraceArena), so the ring makes next to no garbage for the GC to find late.
import type { TappedMessage } from '../sip/transport/message-tap';
import { HeldMessage } from './held-message';
import { chunkBytesFor, TraceArena } from './trace-arena';
import { addMessage, newDialog, removeMessage, type TraceDialog } from './trace-dialog';
import { fieldsFor, knownMethod, RECORD_OVERHEAD_BYTES } from './trace-message';

/**
 * Bytes a dialog costs beyond its messages, in the JS heap: its record, its Call-ID's own copy, its entry
 * in the index. Measured by tests/bench/trace-overhead.ts (100,000 messages each of its own Call-ID of 45
 * characters, less the same in 10 dialogs, divided by 100,000): 306 B with Node 20; plus its first line
 * (about 60 B) once its first message goes.
 */
export const DIALOG_OVERHEAD_BYTES = 360;

/** Records kept for reuse at most (a ring that shrinks lets the rest go). */
const SPARE_RECORDS = 1024;

export interface RingLimits {
  maxMessages: number;
  maxBytes: number;
}

export class TraceRing {
  /** Held messages: the oldest and the newest of a list through them (no array to grow and copy). */
  private oldest: HeldMessage | undefined;
  private newest: HeldMessage | undefined;
  private held = 0;
  /** Records let go, for reuse: messages and dialogs. */
  private spareRecords: HeldMessage[] = [];
  private spareDialogs: TraceDialog[] = [];
  /** The held messages' bytes (a new one when the ring is made smaller: repack). */
  private arena: TraceArena;
  /** Peer addresses seen lately, so that a record refers to one string per address, not one per message. */
  private addresses = new Map<string, string>();
  /** By Call-ID, in order of their first message. */
  readonly dialogs = new Map<string, TraceDialog>();
  /** Messages let go to keep within the limits, since the start. */
  evicted = 0;

  /**
   * Told of a dialog the ring is about to forget (its last message let go), while its record still holds
   * that message: the Trace view's live list drops it (sip-trace.ts onGone).
   */
  onForget: ((d: TraceDialog) => void) | undefined;

  constructor(private limits: RingLimits) {
    this.arena = new TraceArena(chunkBytesFor(limits.maxBytes));
  }

  get size(): number {
    return this.held;
  }

  /** What the ring holds: the arena's buffers, and the records and dialogs at their measured cost. */
  get heldBytes(): number {
    return this.arena.bytes + this.size * RECORD_OVERHEAD_BYTES + this.dialogs.size * DIALOG_OVERHEAD_BYTES;
  }

  setLimits(limits: RingLimits): void {
    this.limits = limits;
    const chunkBytes = chunkBytesFor(limits.maxBytes);
    if (chunkBytes < this.arena.chunkBytes && this.size > 0) this.repack(chunkBytes);
    else this.arena.setChunkBytes(chunkBytes);
    this.trim();
  }

  /**
   * A ring made smaller: its chunks are of the old, larger size, and the oldest holds messages until all
   * of them go (RINGMB 16 to 1 let every message go and still held a 1 MiB chunk). The newest messages
   * that fit, with a chunk of slack, are copied into chunks of the new size; trim then goes exact.
   */
  private repack(chunkBytes: number): void {
    let need = 0;
    for (let m = this.oldest; m !== undefined; m = m.newer) need += m.end - m.start + RECORD_OVERHEAD_BYTES;
    const budget = this.limits.maxBytes - chunkBytes;
    while (this.size > 0 && (need > budget || this.size > this.limits.maxMessages)) {
      const m = this.oldest!;
      need -= m.end - m.start + RECORD_OVERHEAD_BYTES;
      this.evictOldest();
    }
    const arena = new TraceArena(chunkBytes);
    for (let m = this.oldest; m !== undefined; m = m.newer) arena.copy(m.data, m);
    this.arena = arena;
  }

  /**
   * Keeps a tapped message (the tap lends its bytes: they are copied into the arena) and indexes it by
   * Call-ID, its dialog created when new. Returns the message, valid while the ring holds it, and its dialog.
   */
  add(seq: number, t: TappedMessage): { message: HeldMessage; dialog: TraceDialog } {
    const m = this.spareRecords.pop() ?? new HeldMessage();
    this.makeRoom(t.data.length);
    this.arena.copy(t.data, m);
    const f = fieldsFor(t);
    m.seq = seq;
    m.timeUs = t.timeUs;
    m.direction = t.direction;
    m.transport = t.transport;
    m.local = t.local; // the transport's own endpoint object: fixed once it listens
    m.remote.address = this.address(t.remote.address);
    m.remote.port = t.remote.port;
    m.method = knownMethod(f.method);
    m.status = f.status;
    m.cseqMethod = f.cseqMethod !== '' ? knownMethod(f.cseqMethod) : m.method;
    m.retransmission = false;
    m.error = t.error;
    let d = this.dialogs.get(f.callId);
    if (d === undefined) {
      // A Call-ID read from a parsed message is a slice of its whole header text: keep a copy of its own
      // (text beyond latin1 when an unparsed message's was read as UTF-8, trace-message.ts fieldsFor).
      const wide = /[\u0100-\uffff]/.test(f.callId);
      m.callId = Buffer.from(f.callId, wide ? 'utf8' : 'latin1').toString(wide ? 'utf8' : 'latin1');
      d = newDialog(m, this.spareDialogs.pop());
      this.dialogs.set(m.callId, d);
    } else m.callId = d.callId;
    addMessage(d, m);
    m.newer = undefined;
    if (this.newest !== undefined) this.newest.newer = m;
    else this.oldest = m;
    this.newest = m;
    this.held++;
    this.trim();
    return { message: m, dialog: d };
  }

  /** Held messages, oldest first. */
  *messages(): IterableIterator<HeldMessage> {
    for (let m = this.oldest; m !== undefined; m = m.newer) yield m;
  }

  clear(): number {
    const n = this.size;
    this.oldest = this.newest = undefined;
    this.held = 0;
    this.spareRecords = [];
    this.spareDialogs = [];
    this.arena.clear();
    this.addresses.clear();
    this.dialogs.clear();
    return n;
  }

  /**
   * When a copy of `size` bytes needs a new chunk and the bytes would go over, the oldest messages go
   * first, until the chunk fits or theirs empties (and is written again).
   */
  private makeRoom(size: number): void {
    for (
      let need = this.arena.growthFor(size);
      need > 0 && this.size > 0;
      need = this.arena.growthFor(size)
    ) {
      if (this.heldBytes + need <= this.limits.maxBytes) return;
      this.evictOldest();
    }
  }

  private address(a: string): string {
    const known = this.addresses.get(a);
    if (known !== undefined) return known;
    if (this.addresses.size >= 4096) this.addresses.clear();
    this.addresses.set(a, a);
    return a;
  }

  private trim(): void {
    while (this.size > 0 && (this.size > this.limits.maxMessages || this.heldBytes > this.limits.maxBytes)) {
      if (this.size <= this.limits.maxMessages && this.arena.hasSpare) this.arena.dropSpare();
      else this.evictOldest();
    }
    if (this.size === 0 && this.heldBytes > this.limits.maxBytes) this.arena.clear();
  }

  private evictOldest(): void {
    const m = this.oldest!;
    this.oldest = m.newer;
    if (this.oldest === undefined) this.newest = undefined;
    this.held--;
    this.evicted++;
    const d = this.dialogs.get(m.callId);
    if (d !== undefined) {
      if (d.held === 1) this.onForget?.(d);
      // FIFO: a dialog's oldest held message is the ring's oldest of it.
      removeMessage(d, m);
      if (d.held === 0) {
        this.dialogs.delete(m.callId);
        d.serial++; // whoever still refers to it can tell
        if (this.spareDialogs.length < SPARE_RECORDS) this.spareDialogs.push(d);
      }
    }
    this.arena.release(m);
    m.reset();
    if (this.spareRecords.length < SPARE_RECORDS) this.spareRecords.push(m);
  }
}
