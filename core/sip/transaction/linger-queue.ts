// The compact records that wait out a 64*T1 timer in the layer's tables, oldest first: Completed
// non-INVITE server transactions (Timer J, §17.2.2) and Accepted INVITE transactions (Timers L and M,
// RFC 6026 §7.1, §7.2). Every one waits the same 64*T1 (when T1 changes, later ones may wait behind an
// older, longer one: they absorb retransmissions a little longer, which is harmless; so may an Accepted
// record made when its call settled, a while after its timer started), so a FIFO with one timer on the
// wheel for its head replaces a timer each.
import type { TimerEntry, TimerTarget, TimerWheel } from './timer-wheel';

/** A record the layer keeps under `key` until `due` (ms since the epoch, on the wheel's clock). */
export interface Lingering {
  readonly key: string;
  readonly due: number;
}

export class LingerQueue<T extends Lingering> implements TimerTarget {
  private items: (T | undefined)[] = [];
  private head = 0;
  private timer: TimerEntry | undefined;

  constructor(
    private readonly timers: TimerWheel,
    /** Its timer fired: the layer drops it from its table. */
    private readonly expire: (c: T) => void,
  ) {}

  get size(): number {
    return this.items.length - this.head;
  }

  add(c: T): void {
    this.items.push(c);
    this.arm();
  }

  onTimer(): void {
    this.timer = undefined;
    const now = this.timers.time;
    while (this.head < this.items.length && this.items[this.head]!.due <= now) {
      const c = this.items[this.head]!;
      this.items[this.head++] = undefined;
      this.expire(c);
    }
    // Compact now and then, so that the array does not grow without bound.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    this.arm();
  }

  /** Drops everything (shutdown). */
  clear(): void {
    this.timers.cancel(this.timer);
    this.timer = undefined;
    this.items = [];
    this.head = 0;
  }

  private arm(): void {
    if (this.timer !== undefined || this.head >= this.items.length) return;
    this.timer = this.timers.start(this, 'J/L/M', Math.max(0, this.items[this.head]!.due - this.timers.time));
  }
}
