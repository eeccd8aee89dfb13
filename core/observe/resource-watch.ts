// A limit of the process that leaves a deaf server when nobody says it is reached, watched at each perf
// sample (once a second) and said once in the log when reached, once when back, and by /healthz
// ("degraded") while it lasts:
// - file descriptors: every one in use (`ulimit -n` reached by idle TCP connections or console WebSockets),
//   new connections are refused by the kernel/libuv and no file can be opened (log lines, the CDR's CSV).
//   Seen as the read of the process's memory failing with EMFILE (process-memory.ts: it needs one).
import { readFileSync } from 'node:fs';
import type { Log } from './log';
import { processMemory } from './process-memory';

/** Samples in a row whose read worked before the descriptors count as available again. */
export const DESCRIPTORS_CLEAR_SAMPLES = 3;

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
  /** `ulimit -n`, named in the warning (default: read now from /proc/self/limits). */
  openFilesLimit?: number;
  /** Seconds, for how long the descriptors were used up (default: the monotonic clock). */
  now?: () => number;
}

const isDescriptorShortage = (failure: string): boolean => /\b(EMFILE|ENFILE)\b/.test(failure);

export class ResourceWatch {
  private readonly log: Log;
  private readonly memoryFailure: () => string | undefined;
  private readonly fileLimit: number | undefined;
  private readonly now: () => number;
  /** Since when every descriptor is in use (seconds), and the fault; undefined while they are not. */
  private descriptors: { since: number; failure: string } | undefined;
  private descriptorsFine = 0;

  constructor(options: ResourceWatchOptions) {
    this.log = options.log;
    this.memoryFailure = options.memoryFailure ?? processMemory.failure;
    this.fileLimit = 'openFilesLimit' in options ? options.openFilesLimit : openFilesLimit();
    this.now = options.now ?? ((): number => performance.now() / 1000);
  }

  /** After a sample. */
  check(): void {
    this.checkDescriptors();
  }

  /** What is short now, for /healthz; undefined when nothing is. */
  problem(): string | undefined {
    if (this.descriptors !== undefined) return this.descriptorsText(this.descriptors.failure);
    return undefined;
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
}
