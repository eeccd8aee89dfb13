// Two limits of the process that end in a crash or a deaf server when nobody says they are near, watched at
// each perf sample (once a second) and said once in the log when reached, once when back, and by /healthz
// ("degraded") while they last:
// - file descriptors: every one in use (`ulimit -n` reached by idle TCP connections or console WebSockets),
//   new connections are refused by the kernel/libuv and no file can be opened (log lines, the CDR's CSV).
//   Seen as the read of the process's memory failing with EMFILE (process-memory.ts: it needs one).
// - the JavaScript heap: V8 ends the process (fatal OOM, no event to catch) when its old generation
//   reaches its limit (--max-old-space-size); in use above HEAP_WARN_SHARE of it after a full collection,
//   the operator is told while there is time.
import { readFileSync } from 'node:fs';
import { getHeapSpaceStatistics, getHeapStatistics, type HeapSpaceInfo } from 'node:v8';
import type { Log } from './log';
import { processMemory } from './process-memory';

/** The heap share of the old generation's limit, after a full collection, that is warned of. */
export const HEAP_WARN_SHARE = 0.88;
/** Below this share the warning is over (lower than the warning's, so that it does not come and go). */
export const HEAP_CLEAR_SHARE = 0.75;
/** Samples in a row whose read worked before the descriptors count as available again. */
export const DESCRIPTORS_CLEAR_SAMPLES = 3;
/**
 * V8's heap_size_limit is the old generation's limit plus room for the young one: three semi-spaces of
 * 16 MB on 64-bit Node 20-22 (V8 Heap::MaxReserved; measured: --max-old-space-size=64 gives 112 MB).
 */
export const YOUNG_GENERATION_RESERVE = 48 * 1024 * 1024;
/** The young generation's spaces: not what the old generation's limit counts. */
const YOUNG_SPACES = new Set(['new_space', 'new_large_object_space']);

const MB = 1024 * 1024;

export interface HeapFigures {
  /** Bytes in use in the old generation (old, code and large-object spaces). */
  oldUsed: number;
  /** The old generation's limit (--max-old-space-size), bytes. */
  oldLimit: number;
}

/** The old generation's use and limit from V8's statistics. */
export function heapFigures(
  spaces: readonly HeapSpaceInfo[] = getHeapSpaceStatistics(),
  heapSizeLimit: number = getHeapStatistics().heap_size_limit,
): HeapFigures {
  let oldUsed = 0;
  for (const s of spaces) if (!YOUNG_SPACES.has(s.space_name)) oldUsed += s.space_used_size;
  const oldLimit =
    heapSizeLimit > 2 * YOUNG_GENERATION_RESERVE ? heapSizeLimit - YOUNG_GENERATION_RESERVE : heapSizeLimit;
  return { oldUsed, oldLimit };
}

/** The process's limit of open files (`ulimit -n`) from /proc/self/limits; undefined where unknown. */
export function openFilesLimit(
  read = (): string => readFileSync('/proc/self/limits', 'latin1'),
): number | undefined {
  try {
    const m = /^Max open files\s+(\d+)/m.exec(read());
    return m === null ? undefined : Number(m[1]);
  } catch {
    return undefined;
  }
}

export interface ResourceWatchOptions {
  log: Log;
  /** Why the last read of the process's memory failed (default: process-memory.ts's). */
  memoryFailure?: () => string | undefined;
  /** Default heapFigures(). */
  heap?: () => HeapFigures;
  /** `ulimit -n`, named in the warning (default: read now from /proc/self/limits). */
  openFilesLimit?: number;
  /** Seconds, for how long the descriptors were used up (default: the monotonic clock). */
  now?: () => number;
}

const isDescriptorShortage = (failure: string): boolean => /\b(EMFILE|ENFILE)\b/.test(failure);
const mb = (bytes: number): string => (bytes / MB).toFixed(1);

export class ResourceWatch {
  private readonly log: Log;
  private readonly memoryFailure: () => string | undefined;
  private readonly heap: () => HeapFigures;
  private readonly fileLimit: number | undefined;
  private readonly now: () => number;
  /** Since when every descriptor is in use (seconds), and the fault; undefined while they are not. */
  private descriptors: { since: number; failure: string } | undefined;
  private descriptorsFine = 0;
  private heapProblem: string | undefined;

  constructor(options: ResourceWatchOptions) {
    this.log = options.log;
    this.memoryFailure = options.memoryFailure ?? processMemory.failure;
    this.heap = options.heap ?? heapFigures;
    this.fileLimit = 'openFilesLimit' in options ? options.openFilesLimit : openFilesLimit();
    this.now = options.now ?? ((): number => performance.now() / 1000);
  }

  /** After a sample: `fullCollections` ran in its interval (the heap is judged after one). */
  check(fullCollections: number): void {
    this.checkDescriptors();
    this.checkHeap(fullCollections);
  }

  /** What is short now, for /healthz; undefined when nothing is. */
  problem(): string | undefined {
    if (this.descriptors !== undefined) return this.descriptorsText(this.descriptors.failure);
    return this.heapProblem;
  }

  private descriptorsText(failure: string): string {
    const limit =
      this.fileLimit === undefined ? '' : `; this process may have ${this.fileLimit} open (ulimit -n)`;
    return `file descriptors used up (${failure}${limit}): new TCP, TLS, WebSocket and console connections are refused and no file can be opened until some close; UDP SIP goes on`;
  }

  private checkDescriptors(): void {
    const failure = this.memoryFailure();
    if (failure !== undefined && isDescriptorShortage(failure)) {
      this.descriptorsFine = 0;
      if (this.descriptors !== undefined) return;
      this.descriptors = { since: this.now(), failure };
      this.log.warning(this.descriptorsText(failure));
      return;
    }
    if (this.descriptors === undefined) return;
    if (++this.descriptorsFine < DESCRIPTORS_CLEAR_SAMPLES) return;
    const seconds = Math.round(this.now() - this.descriptors.since);
    this.log.info(
      `file descriptors available again, after ${seconds} s with every one in use (EMFILE): connections are accepted; log lines of that time may be missing from the file`,
    );
    this.descriptors = undefined;
  }

  private checkHeap(fullCollections: number): void {
    const { oldUsed, oldLimit } = this.heap();
    if (oldLimit <= 0) return;
    const share = oldUsed / oldLimit;
    if (this.heapProblem === undefined) {
      if (fullCollections === 0 || share < HEAP_WARN_SHARE) return;
      this.heapProblem = `the JavaScript heap is nearly full: ${mb(oldUsed)} of ${mb(oldLimit)} MB in use (${Math.round(share * 100)}%) after a full collection; when it is full the process ends: give Node a larger heap (node --max-old-space-size=<MB>) or keep less in it (users, bindings, the log and trace in memory)`;
      this.log.warning(this.heapProblem);
      return;
    }
    if (share >= HEAP_CLEAR_SHARE) return;
    this.heapProblem = undefined;
    this.log.info(`the JavaScript heap has room again: ${mb(oldUsed)} of ${mb(oldLimit)} MB in use`);
  }
}
