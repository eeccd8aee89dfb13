// A call's recording (RECORD=YES) written to its WAV file while the call is up: the payloads placed on
// the call's timeline (RtpSession.recordAt) wait here for about a second, then go to the file in one
// write, off the packet path (the file's writes run one after another on libuv's threads), and the
// header's sizes follow each write. Memory stays about a second of audio a call, whatever its length,
// and a recording cut by a kill -9 or a power cut is a readable WAV of what was written (the header
// is rewritten after each block, so it never claims more data than the file holds).
//
// A payload placed behind what was written (a packet later than the last 200 ms) is written at its
// place in the file: the timeline stays the one the whole recording would have had in memory.
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { endianness } from 'node:os';
import { dirname } from 'node:path';

/** 8 kHz 16-bit mono (what G.711 decodes to). */
const RATE = 8000;
/** The canonical 44-byte header: RIFF, fmt (16 bytes, PCM), data. */
export const WAV_HEADER_BYTES = 44;
/** A block is written once a second of audio is waiting ... */
const BLOCK_SAMPLES = RATE;
/** ... behind the newest 200 ms, kept back for the packets that come a little late (reordered). */
const LATE_SAMPLES = RATE / 5;
const BIG_ENDIAN = endianness() === 'BE';

/** The WAV header of 16-bit mono PCM at `rate` holding `dataBytes` of samples. */
export function wavHeader(dataBytes: number, rate = RATE): Buffer {
  const h = Buffer.alloc(WAV_HEADER_BYTES);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVE', 8, 'latin1');
  h.write('fmt ', 12, 'latin1');
  h.writeUInt32LE(16, 16); // fmt chunk size
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 2, 28); // byte rate
  h.writeUInt16LE(2, 32); // block align
  h.writeUInt16LE(16, 34); // bits per sample
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

/** Samples as little-endian bytes (a WAV's order), a copy. */
function leBytes(samples: Int16Array): Buffer {
  const b = Buffer.from(samples.buffer.slice(samples.byteOffset, samples.byteOffset + samples.byteLength));
  return BIG_ENDIAN ? b.swap16() : b;
}

interface Piece {
  /** Where it starts on the recording's timeline (samples). */
  offset: number;
  samples: Int16Array;
}

export class RecordingFile {
  /** Payloads not yet handed to a write, in arrival order (a later one over an earlier one wins). */
  private pending: Piece[] = [];
  /** Samples the recording spans, written or not. */
  private end = 0;
  /** Samples [0, written) are handed to writes: the file's data up to there, zeros where nothing came. */
  private written = 0;
  private file: string | undefined;
  private handle: FileHandle | undefined;
  /** The file's operations, one after another. */
  private queue: Promise<void> = Promise.resolve();
  /** Operations queued and not done: no new block while one is (they would pile up on a slow disk). */
  private busy = 0;
  private finished = false;
  /** Why the file could not be written: nothing more is kept. */
  failure: Error | undefined;

  /** A payload of the far end's, at its place on the timeline (RtpSession.recordAt). */
  put(offset: number, samples: Int16Array): void {
    if (this.finished || this.failure !== undefined) return;
    this.pending.push({ offset, samples });
    this.end = Math.max(this.end, offset + samples.length);
    this.blockDue();
  }

  /** Writes a block when a second is waiting and the file is free (after a write, too: a slow disk). */
  private blockDue(): void {
    if (this.finished || this.file === undefined || this.busy > 0) return;
    if (this.end - this.written >= BLOCK_SAMPLES + LATE_SAMPLES) this.flush(this.end - LATE_SAMPLES);
  }

  /**
   * From now on the recording goes to `file` (the call was answered): the folder is made, the file
   * created with an empty WAV's header; what came before (early media) goes in with the first block.
   */
  writeTo(file: string): void {
    if (this.file !== undefined || this.finished) return;
    this.file = file;
    this.enqueue(async () => {
      await mkdir(dirname(file), { recursive: true });
      this.handle = await open(file, 'w');
      await this.handle.write(wavHeader(0), 0, WAV_HEADER_BYTES, 0);
    });
  }

  /**
   * Writes what is left, the header's final sizes, and closes the file (opening `file` first if the
   * recording had none yet). Resolves with the file, or undefined when it could not be written.
   */
  async finish(file?: string): Promise<string | undefined> {
    if (this.file === undefined && file !== undefined) this.writeTo(file);
    this.finished = true;
    if (this.file === undefined) return undefined;
    this.flush(this.end);
    this.enqueue(async () => {
      const h = this.handle;
      this.handle = undefined;
      await h?.close();
    });
    await this.queue;
    return this.failure === undefined ? this.file : undefined;
  }

  /** Nothing is written (a call never answered); a file opened meanwhile is closed as it is. */
  discard(): void {
    this.pending = [];
    this.end = this.written;
    void this.finish();
  }

  /**
   * Hands [written, upTo) to a write, zeros where nothing came, and every payload placed before
   * `written` (late) to a write at its place; payloads beyond upTo stay.
   */
  private flush(upTo: number): void {
    const from = this.written;
    const block = new Int16Array(Math.max(0, upTo - from));
    const late: Piece[] = [];
    const keep: Piece[] = [];
    for (const p of this.pending) {
      const pEnd = p.offset + p.samples.length;
      if (p.offset < from)
        late.push({ offset: p.offset, samples: p.samples.subarray(0, Math.min(pEnd, from) - p.offset) });
      const a = Math.max(p.offset, from);
      const b = Math.min(pEnd, upTo);
      if (a < b) block.set(p.samples.subarray(a - p.offset, b - p.offset), a - from);
      if (pEnd > upTo) {
        const c = Math.max(p.offset, upTo);
        keep.push({ offset: c, samples: p.samples.subarray(c - p.offset) });
      }
    }
    this.pending = keep;
    if (block.length === 0 && late.length === 0) return;
    this.written = Math.max(from, upTo);
    const dataBytes = this.written * 2;
    const bytes = leBytes(block);
    const lateBytes = late.map((p) => ({ at: WAV_HEADER_BYTES + p.offset * 2, bytes: leBytes(p.samples) }));
    this.enqueue(async () => {
      const h = this.handle!;
      for (const l of lateBytes) await h.write(l.bytes, 0, l.bytes.length, l.at);
      if (bytes.length > 0) await h.write(bytes, 0, bytes.length, WAV_HEADER_BYTES + from * 2);
      // After the data: a header never claims bytes the file does not hold yet.
      await h.write(wavHeader(dataBytes), 0, WAV_HEADER_BYTES, 0);
    });
  }

  private enqueue(op: () => Promise<void>): void {
    this.busy++;
    this.queue = this.queue
      .then(async () => {
        if (this.failure === undefined) await op();
      })
      .catch(async (err: unknown) => {
        this.failure ??= err instanceof Error ? err : new Error(String(err));
        this.pending = [];
        const h = this.handle;
        this.handle = undefined;
        await h?.close().catch(() => undefined);
      })
      .finally(() => {
        this.busy--;
        this.blockDue();
      });
  }
}
