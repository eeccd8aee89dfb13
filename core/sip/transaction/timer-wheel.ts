// A hashed timer wheel for transaction timers (RFC 3261 §17: A-K, plus RFC 6026's L and M). Tens of
// thousands of live transactions each hold one or two timers; starting and cancelling one is O(1)
// (intrusive doubly-linked buckets), and a single Node timeout drives the wheel while anything is due.
// In manual mode (tests) nothing is scheduled: the test moves time with advanceTo().
// Its clock is monotonic by default (performance.now): a timer's "after 32 s" means 32 s whatever the
// wall clock does. On Date.now, a clock stepped back an hour (NTP, an operator) held every
// retransmission and timeout for that hour, and one stepped forward fired them all at once.

const monotonicNow = (): number => performance.now();

export interface TimerTarget {
  onTimer(name: string): void;
}

/** A started timer; keep it to cancel it. */
export class TimerEntry {
  prev: TimerEntry | undefined;
  next: TimerEntry | undefined;
  slot = -1;
  rounds = 0;

  constructor(
    readonly target: TimerTarget,
    readonly name: string,
    readonly due: number,
  ) {}

  get active(): boolean {
    return this.slot >= 0;
  }
}

export interface WheelOptions {
  /** Milliseconds per slot (default 10). */
  tickMs?: number;
  /** Number of slots (default 4096: a 41 s revolution at 10 ms). */
  slots?: number;
  /**
   * Time source (default performance.now, monotonic). The registrar's wheel runs on the wall clock, as
   * its bindings' expiry times are (persisted across restarts).
   */
  now?: () => number;
  /** No Node timers: time moves only through advanceTo() (default false). */
  manual?: boolean;
}

export class TimerWheel {
  /** Told of a timer callback that threw (the wheel goes on with the others). */
  onError: ((err: unknown, timer: string) => void) | undefined;
  private readonly tickMs: number;
  private readonly buckets: (TimerEntry | undefined)[];
  private readonly now: () => number;
  private readonly manual: boolean;
  /** Time (ms) of the last processed tick. */
  private current: number;
  private size = 0;
  private handle: NodeJS.Timeout | undefined;

  constructor(options: WheelOptions = {}) {
    this.tickMs = options.tickMs ?? 10;
    this.buckets = new Array<TimerEntry | undefined>(options.slots ?? 4096).fill(undefined);
    this.now = options.now ?? monotonicNow;
    this.manual = options.manual ?? false;
    this.current = Math.floor(this.now() / this.tickMs) * this.tickMs;
  }

  /** The wheel's clock (the fake one in manual mode). */
  get time(): number {
    return this.now();
  }

  /** Live timers. */
  get pending(): number {
    return this.size;
  }

  /** Starts a timer firing `target.onTimer(name)` after `ms` (at the next tick for 0). */
  start(target: TimerTarget, name: string, ms: number): TimerEntry {
    const now = this.now();
    // After an idle spell the wheel has not ticked: restart it at the present.
    if (this.size === 0) this.current = Math.floor(now / this.tickMs) * this.tickMs;
    const due = now + Math.max(0, ms);
    const entry = new TimerEntry(target, name, due);
    const ticks = Math.max(1, Math.ceil((due - this.current) / this.tickMs));
    const n = this.buckets.length;
    entry.rounds = Math.floor((ticks - 1) / n);
    entry.slot = (Math.floor(this.current / this.tickMs) + ticks) % n;
    const head = this.buckets[entry.slot];
    entry.next = head;
    if (head) head.prev = entry;
    this.buckets[entry.slot] = entry;
    this.size++;
    this.schedule();
    return entry;
  }

  cancel(entry: TimerEntry | undefined): void {
    if (entry === undefined || entry.slot < 0) return;
    if (entry.prev) entry.prev.next = entry.next;
    else this.buckets[entry.slot] = entry.next;
    if (entry.next) entry.next.prev = entry.prev;
    entry.prev = entry.next = undefined;
    entry.slot = -1;
    this.size--;
  }

  /** Processes every tick up to `time` (the real clock's now in normal mode). */
  advanceTo(time: number): void {
    const n = this.buckets.length;
    this.skipRevolutions(time);
    while (this.current + this.tickMs <= time) {
      this.current += this.tickMs;
      const slot = Math.floor(this.current / this.tickMs) % n;
      let e = this.buckets[slot];
      while (e !== undefined) {
        const next = e.next;
        if (e.rounds > 0) {
          e.rounds--;
        } else {
          this.cancel(e);
          try {
            e.target.onTimer(e.name);
          } catch (err) {
            this.onError?.(err, e.name);
          }
        }
        e = next;
      }
      if (this.size === 0) {
        // Nothing left: jump to the present instead of walking empty slots.
        this.current = Math.floor(time / this.tickMs) * this.tickMs;
        break;
      }
    }
  }

  /**
   * A wall clock stepped forward by days (a bench PC's clock set right, NTP after a boot without a
   * real-time clock): instead of walking each tick of the gap (a 29-day step held the loop 4.6 s), whole
   * revolutions are taken at once: a timer with rounds to go past them keeps the rest, one due within
   * them fires now (late, as every timer of the gap is).
   */
  private skipRevolutions(time: number): void {
    const n = this.buckets.length;
    const revolutions = Math.floor((time - this.current) / (n * this.tickMs)) - 1;
    if (revolutions <= 0) return;
    const due: TimerEntry[] = [];
    for (const head of this.buckets) {
      for (let e = head; e !== undefined; e = e.next) {
        if (e.rounds >= revolutions) e.rounds -= revolutions;
        else due.push(e);
      }
    }
    this.current += revolutions * n * this.tickMs;
    for (const e of due.sort((a, b) => a.due - b.due)) {
      if (!e.active) continue; // cancelled by an earlier one's callback
      this.cancel(e);
      try {
        e.target.onTimer(e.name);
      } catch (err) {
        this.onError?.(err, e.name);
      }
    }
  }

  /** Cancels everything (shutdown). */
  clear(): void {
    for (let i = 0; i < this.buckets.length; i++) {
      let e = this.buckets[i];
      while (e !== undefined) {
        const next = e.next;
        e.slot = -1;
        e.prev = e.next = undefined;
        e = next;
      }
      this.buckets[i] = undefined;
    }
    this.size = 0;
    if (this.handle) clearTimeout(this.handle);
    this.handle = undefined;
  }

  private schedule(): void {
    if (this.manual || this.handle !== undefined) return;
    this.handle = setTimeout(() => this.run(), this.tickMs);
    this.handle.unref();
  }

  private run(): void {
    this.handle = undefined;
    this.advanceTo(this.now());
    if (this.size > 0) this.schedule();
  }
}
