// This process's memory, read so that it never throws. Node's process.memoryUsage() (and .rss()) reads
// the resident set from /proc/self/statm, which needs a file descriptor: with every descriptor in use
// (`ulimit -n` reached by idle TCP connections, console WebSockets) it threw EMFILE, and thrown from the
// perf sampler's timer it ended the process, SIP and all. When the read fails the figures come from V8's
// heap statistics (no file needed) and the last resident set read; `fresh` says which.
import { getHeapStatistics } from 'node:v8';

export interface ProcessMemory {
  /** Bytes; the last figure read when the read fails (0 before any read succeeded). */
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** false: read from V8's heap statistics, rss the last figure read (the read failed: EMFILE, say). */
  fresh: boolean;
}

export interface ProcessMemoryReader {
  (): ProcessMemory;
  /** The resident set alone (DSP SRVSTAT); the last one read when it cannot be read now. */
  rss(): number;
  /** Why the last read failed ('EMFILE: too many open files, ...'); undefined when it worked. */
  failure(): string | undefined;
}

export interface ProcessMemorySources {
  /** Default process.memoryUsage (which may throw). */
  memoryUsage?: () => NodeJS.MemoryUsage;
  /** Default process.memoryUsage.rss (which may throw). */
  rss?: () => number;
  /** Default node:v8 getHeapStatistics. */
  heapStatistics?: () => { used_heap_size: number; total_heap_size: number; external_memory: number };
}

/** A reader that remembers the last figures it read, to answer with them when a read fails. */
export function processMemoryReader(sources: ProcessMemorySources = {}): ProcessMemoryReader {
  const usage = sources.memoryUsage ?? ((): NodeJS.MemoryUsage => process.memoryUsage());
  const readRss = sources.rss ?? ((): number => process.memoryUsage.rss());
  const heap = sources.heapStatistics ?? getHeapStatistics;
  let lastRss = 0;
  let lastArrayBuffers = 0;
  let failure: string | undefined;
  const read = (): ProcessMemory => {
    try {
      const m = usage();
      failure = undefined;
      lastRss = m.rss;
      lastArrayBuffers = m.arrayBuffers;
      return {
        rss: m.rss,
        heapUsed: m.heapUsed,
        heapTotal: m.heapTotal,
        external: m.external,
        arrayBuffers: m.arrayBuffers,
        fresh: true,
      };
    } catch (err) {
      failure = (err as Error).message ?? String(err);
      return fromHeap();
    }
  };
  const fromHeap = (): ProcessMemory => {
    try {
      const h = heap();
      return {
        rss: lastRss,
        heapUsed: h.used_heap_size,
        heapTotal: h.total_heap_size,
        external: h.external_memory,
        arrayBuffers: lastArrayBuffers,
        fresh: false,
      };
    } catch {
      return {
        rss: lastRss,
        heapUsed: 0,
        heapTotal: 0,
        external: 0,
        arrayBuffers: lastArrayBuffers,
        fresh: false,
      };
    }
  };
  read.rss = (): number => {
    try {
      lastRss = readRss();
      failure = undefined;
    } catch (err) {
      // The last figure read (EMFILE: no descriptor to read /proc/self/statm with).
      failure = (err as Error).message ?? String(err);
    }
    return lastRss;
  };
  read.failure = (): string | undefined => failure;
  return read;
}

/** The process's reader, shared by the perf sampler, /metrics and the MML commands. */
export const processMemory: ProcessMemoryReader = processMemoryReader();
