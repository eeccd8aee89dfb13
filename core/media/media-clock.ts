// One clock drives every stream's sending (DESIGN.md: no timer object per packet): it sleeps until the
// earliest packet due, then lets each stream send what its schedule says is due. Streams start on a
// 5 ms phase grid, so however many calls run, the clock wakes at most 200 times a second. Time is
// performance.now(): monotonic, immune to wall-clock steps.
import { performance } from 'node:perf_hooks';

export interface PacedStream {
  /** Monotonic ms of the next packet due; Infinity when nothing more is due. */
  readonly nextAt: number;
  /** Send what is due at `now`. */
  pump(now: number): void;
}

/** Streams start on this grid (ms). */
export const PHASE_MS = 5;

export class MediaClock {
  private readonly streams = new Set<PacedStream>();
  private timer: NodeJS.Timeout | undefined;
  private wakeAt = Infinity;
  /** Faults of a stream's pump (reported, never thrown into the timer). */
  onError: ((err: unknown) => void) | undefined;

  constructor(readonly now: () => number = () => performance.now()) {}

  get size(): number {
    return this.streams.size;
  }

  /** The first instant on the phase grid at or after `now`. */
  startTime(now = this.now()): number {
    return Math.ceil(now / PHASE_MS) * PHASE_MS;
  }

  add(s: PacedStream): void {
    this.streams.add(s);
    this.schedule();
  }

  remove(s: PacedStream): void {
    this.streams.delete(s);
    if (this.streams.size === 0) this.stop();
  }

  /** Runs every due stream now (also what the timer calls). */
  tick(): void {
    this.timer = undefined;
    this.wakeAt = Infinity;
    const now = this.now();
    for (const s of this.streams) {
      if (s.nextAt > now) continue;
      try {
        s.pump(now);
      } catch (err) {
        this.onError?.(err);
      }
    }
    this.schedule();
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.wakeAt = Infinity;
  }

  private schedule(): void {
    let next = Infinity;
    for (const s of this.streams) if (s.nextAt < next) next = s.nextAt;
    if (next === Infinity || next >= this.wakeAt) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.wakeAt = next;
    this.timer = setTimeout(() => this.tick(), Math.max(0, next - this.now()));
  }
}
