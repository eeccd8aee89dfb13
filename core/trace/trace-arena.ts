// Where the ring keeps its messages' bytes: a bounded set of fixed-size chunks written one after another
// in capture order. The ring lets messages go oldest first, so the oldest chunk empties first; an empty
// chunk is kept as the one spare (and written again) or dropped, so a ring that shrinks gives memory
// back. The trace thus makes no garbage buffers (a dead buffer lingers until a full GC, and a ring that
// lets one go per message keeps tens of MB of them), and what the ring holds is what it counts.
// A message larger than a chunk gets a buffer of its own.
//
// A copy stays valid while the ring holds its message: once let go, its bytes may be written over by a
// later message. Whoever keeps a message longer (trace.db's batch, a reader) copies it.

/** The largest chunk; a small ring gets smaller ones (at least 16 per ring), never below MIN_CHUNK. */
export const MAX_CHUNK_BYTES = 1024 * 1024;
const MIN_CHUNK_BYTES = 16 * 1024;

/** The chunk size for a ring of `maxBytes`: a power of two, at most a sixteenth of the ring. */
export function chunkBytesFor(maxBytes: number): number {
  let size = MAX_CHUNK_BYTES;
  while (size > MIN_CHUNK_BYTES && size * 16 > maxBytes) size /= 2;
  return size;
}

/** Where a copy is: a chunk (or a buffer of its own), from start to end. */
export interface Placement {
  chunk: Buffer;
  start: number;
  end: number;
}

interface Chunk {
  readonly buf: Buffer;
  /** Bytes written (the next copy goes there). */
  used: number;
  /** Copies in it the ring still holds. */
  live: number;
}

export class TraceArena {
  /** Oldest first; the last is written to. */
  private chunks: Chunk[] = [];
  private spare: Buffer | undefined;
  /** Bytes of every buffer held: chunks, spare, buffers of their own (messages larger than a chunk). */
  private held = 0;

  constructor(private chunkSize: number) {}

  /** Every byte the arena holds: its chunks (written or not), the spare, the large messages' buffers. */
  get bytes(): number {
    return this.held;
  }

  get chunkBytes(): number {
    return this.chunkSize;
  }

  /** Chunks from now on are of this size (a spare of another size is dropped). */
  setChunkBytes(size: number): void {
    this.chunkSize = size;
    if (this.spare !== undefined && this.spare.length !== size) this.dropSpare();
  }

  /** Bytes a copy of `size` bytes would add to `bytes` now (0 when it fits the chunk or the spare). */
  growthFor(size: number): number {
    if (size > this.chunkSize) return size;
    const c = this.chunks[this.chunks.length - 1];
    if (c !== undefined && c.used + size <= c.buf.length) return 0;
    if (c !== undefined && c.live === 0 && c.buf.length === this.chunkSize) return 0;
    return this.spare === undefined ? this.chunkSize : 0;
  }

  get hasSpare(): boolean {
    return this.spare !== undefined;
  }

  /** Gives the spare chunk back (the ring is over its bytes). */
  dropSpare(): void {
    this.held -= this.spare?.length ?? 0;
    this.spare = undefined;
  }

  /** Copies `src`, and says where the copy is in `at`; it lives until `release`. */
  copy(src: Buffer, at: Placement): void {
    const size = src.length;
    if (size > this.chunkSize) {
      this.held += size;
      const own = Buffer.allocUnsafeSlow(size);
      src.copy(own);
      at.chunk = own;
      at.start = 0;
      at.end = size;
      return;
    }
    let c: Chunk | undefined = this.chunks[this.chunks.length - 1];
    if (c !== undefined && c.live === 0) {
      // Every copy in it was let go (it is the only chunk): write it again, or drop it when of an old size.
      if (c.buf.length === this.chunkSize) c.used = 0;
      else {
        this.chunks.pop();
        this.held -= c.buf.length;
        c = undefined;
      }
    }
    if (c === undefined || c.used + size > c.buf.length) {
      let buf = this.spare;
      this.spare = undefined;
      if (buf === undefined) {
        buf = Buffer.allocUnsafeSlow(this.chunkSize);
        this.held += buf.length;
      }
      c = { buf, used: 0, live: 0 };
      this.chunks.push(c);
    }
    src.copy(c.buf, c.used);
    at.chunk = c.buf;
    at.start = c.used;
    at.end = c.used + size;
    c.used += size;
    c.live++;
  }

  /** The ring let go of a copy; copies are let go in the order they were made. */
  release(at: Placement): void {
    const c = this.chunks[0];
    if (c === undefined || at.chunk !== c.buf) {
      this.held -= at.chunk.length; // a buffer of its own: FIFO, a carved copy is in the oldest chunk
      return;
    }
    if (--c.live > 0 || this.chunks.length === 1) return;
    this.chunks.shift();
    if (this.spare === undefined && c.buf.length === this.chunkSize) this.spare = c.buf;
    else this.held -= c.buf.length;
  }

  /** Forgets every copy and gives every chunk back. */
  clear(): void {
    this.chunks = [];
    this.spare = undefined;
    this.held = 0;
  }
}
