// The always-on memory of the trace: the newest messages, bounded by a count and by bytes (data plus a
// per-record and a per-dialog allowance, measured), with an index by Call-ID. The oldest go first, from the ring and from their
// dialog; a dialog whose last held message goes is forgotten.
import { addMessage, newDialog, type TraceDialog } from './trace-dialog';
import { sizeOf, type TraceMessage } from './trace-message';

/** Bytes a dialog costs beyond its messages (its summary, its sets, its index entry), as measured. */
export const DIALOG_OVERHEAD_BYTES = 1024;

export interface RingLimits {
  maxMessages: number;
  maxBytes: number;
}

export class TraceRing {
  /** Held messages, oldest first from `head`. */
  private items: (TraceMessage | undefined)[] = [];
  private head = 0;
  private bytes = 0;
  /** By Call-ID, in order of their first message. */
  readonly dialogs = new Map<string, TraceDialog>();
  /** Messages let go to keep within the limits, since the start. */
  evicted = 0;

  constructor(private limits: RingLimits) {}

  get size(): number {
    return this.items.length - this.head;
  }

  get heldBytes(): number {
    return this.bytes;
  }

  setLimits(limits: RingLimits): void {
    this.limits = limits;
    this.trim();
  }

  /** Keeps a message (its dialog created when new); returns the dialog. */
  add(m: TraceMessage): TraceDialog {
    let d = this.dialogs.get(m.callId);
    if (d === undefined) {
      // A Call-ID read from a parsed message is a slice of its whole header text: keep a copy of its own.
      m.callId = Buffer.from(m.callId, 'latin1').toString('latin1');
      d = newDialog(m);
      this.dialogs.set(m.callId, d);
      this.bytes += DIALOG_OVERHEAD_BYTES;
    } else m.callId = d.callId;
    addMessage(d, m);
    this.items.push(m);
    this.bytes += sizeOf(m);
    this.trim();
    return d;
  }

  /** Held messages, oldest first. */
  *messages(): IterableIterator<TraceMessage> {
    for (let i = this.head; i < this.items.length; i++) yield this.items[i]!;
  }

  clear(): number {
    const n = this.size;
    this.items = [];
    this.head = 0;
    this.bytes = 0;
    this.dialogs.clear();
    return n;
  }

  private trim(): void {
    while (this.size > 0 && (this.size > this.limits.maxMessages || this.bytes > this.limits.maxBytes)) {
      const m = this.items[this.head]!;
      this.items[this.head++] = undefined;
      this.bytes -= sizeOf(m);
      this.evicted++;
      const d = this.dialogs.get(m.callId);
      if (d !== undefined) {
        // FIFO: a dialog's oldest held message is the ring's oldest of it.
        if (d.messages[0] === m) d.messages.shift();
        else d.messages.splice(d.messages.indexOf(m), 1);
        if (d.messages.length === 0) {
          this.dialogs.delete(m.callId);
          this.bytes -= DIALOG_OVERHEAD_BYTES;
        }
      }
    }
    // Compact now and then, so the array does not grow without bound.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
