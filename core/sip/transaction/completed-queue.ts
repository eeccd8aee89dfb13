// The Completed non-INVITE transactions waiting out Timer J, oldest first. Every one waits the same 64*T1
// (when T1 changes, later ones may wait behind an older, longer one: they absorb retransmissions a little
// longer, which is harmless), so a FIFO with one timer on the wheel for its head replaces a timer each.
import type { CompletedNonInvite } from './completed-non-invite';
import type { TimerEntry, TimerTarget, TimerWheel } from './timer-wheel';

export class CompletedQueue implements TimerTarget {
  private items: (CompletedNonInvite | undefined)[] = [];
  private head = 0;
  private timer: TimerEntry | undefined;

  constructor(
    private readonly timers: TimerWheel,
    /** Timer J fired for this one. */
    private readonly expire: (c: CompletedNonInvite) => void,
  ) {}

  get size(): number {
    return this.items.length - this.head;
  }

  add(c: CompletedNonInvite): void {
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
    this.timer = this.timers.start(this, 'J', Math.max(0, this.items[this.head]!.due - this.timers.time));
  }
}
