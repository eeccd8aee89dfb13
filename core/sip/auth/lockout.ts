// Slows password guessing to nothing: a source address that fails authentication `failures` times within
// `windowSeconds` is refused for `lockSeconds`, whatever it sends (so a right guess during the lock does
// not help either). Bounded memory: at most `maxSources` addresses are tracked, oldest evicted first.

export interface LockoutPolicy {
  failures: number;
  windowSeconds: number;
  lockSeconds: number;
  maxSources?: number;
}

interface SourceRecord {
  /** Failure times (ms) within the window, oldest first. */
  failures: number[];
  lockedUntil: number;
}

export class Lockout {
  private readonly sources = new Map<string, SourceRecord>();

  constructor(
    public policy: LockoutPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  /** Is this source locked out now? Returns the seconds left, 0 when it is not. */
  lockedFor(source: string): number {
    const r = this.sources.get(source);
    if (r === undefined) return 0;
    const left = r.lockedUntil - this.now();
    return left > 0 ? Math.ceil(left / 1000) : 0;
  }

  /** Records a failed attempt; returns true when this failure locked the source. */
  fail(source: string): boolean {
    if (this.policy.failures <= 0) return false;
    const now = this.now();
    let r = this.sources.get(source);
    if (r === undefined) {
      if (this.sources.size >= (this.policy.maxSources ?? 100_000)) {
        const oldest = this.sources.keys().next().value;
        if (oldest !== undefined) this.sources.delete(oldest);
      }
      r = { failures: [], lockedUntil: 0 };
      this.sources.set(source, r);
    }
    const horizon = now - this.policy.windowSeconds * 1000;
    while (r.failures.length > 0 && r.failures[0]! < horizon) r.failures.shift();
    r.failures.push(now);
    if (r.failures.length >= this.policy.failures) {
      r.lockedUntil = now + this.policy.lockSeconds * 1000;
      r.failures.length = 0;
      return true;
    }
    return false;
  }

  /** A success clears the source's failure history. */
  succeed(source: string): void {
    const r = this.sources.get(source);
    if (r !== undefined && r.lockedUntil <= this.now()) this.sources.delete(source);
  }

  get tracked(): number {
    return this.sources.size;
  }
}
