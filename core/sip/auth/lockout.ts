// Slows password guessing to nothing, without letting one phone lock out its neighbours. A source is an
// IPv4 address or an IPv6 address's /64 (failure-key.ts: one host holds a whole /64), as the console's
// login counts it:
//  - a (source address, user name) pair that fails authentication `failures` times within
//    `windowSeconds` is refused for `lockSeconds`, whatever it sends (so a right guess during the lock
//    does not help either); another phone behind the same NAT, with its own user name, is not affected;
//  - a source address that fails `sourceFailures` times within the window, whatever user names it tries
//    (password spraying, an enumeration run), is refused as a whole for `lockSeconds`.
// A user name that does not exist is counted exactly like one that does: the lockout says nothing about
// which users exist. Bounded memory: at most `maxSources` keys of each kind (a full table drops a key
// that is not locked: FailureWindows), and records past their window and lock forgotten once a minute.
// Windows and locks are measured on the steady clock: on the wall clock, a clock stepped back an hour
// (NTP, a VM resumed) locked users out for an hour more, and one stepped forward lifted every lock at once.
import { failureKey, sourceKey } from './failure-key';

export interface LockoutPolicy {
  /** Failures of one (source, user name) pair before it is locked (0: never). */
  failures: number;
  windowSeconds: number;
  lockSeconds: number;
  /** Failures of one source, across user names, before the whole source is locked (0: never). */
  sourceFailures?: number;
  maxSources?: number;
}

/** What a failure locked: the pair, the whole source, or nothing. */
export type LockScope = 'user' | 'source';

interface FailureRecord {
  /** Failure times (ms) within the window, oldest first. */
  failures: number[];
  lockedUntil: number;
}

/**
 * Failure records by key, in two tables so that the bound costs nothing and lifts no lock: records not
 * locked, oldest first, and records locked, in the order their locks began (every lock lasts
 * lockSeconds: the first ends first). A table full of keys drops a record not locked (a lock already over
 * first, else the oldest open one); only when every record is locked does the lock nearest its end go.
 * A flood of new (address, user name) pairs lifted the locks before (the oldest key went, locked or not).
 */
class FailureWindows {
  private readonly open = new Map<string, FailureRecord>();
  private readonly locked = new Map<string, FailureRecord>();

  constructor(private readonly max: () => number) {}

  lockedFor(key: string, now: number): number {
    const r = this.locked.get(key);
    if (r === undefined) return 0;
    const left = r.lockedUntil - now;
    return left > 0 ? Math.ceil(left / 1000) : 0;
  }

  /** Records a failure; true when it reached `limit` within the window (and locked the key). */
  fail(key: string, now: number, limit: number, windowMs: number, lockMs: number): boolean {
    if (limit <= 0) return false;
    let r = this.open.get(key);
    if (r === undefined) {
      r = this.locked.get(key);
      if (r !== undefined && r.lockedUntil <= now) {
        // Its lock is over: an open record again.
        this.locked.delete(key);
        this.open.set(key, r);
      } else if (r === undefined) {
        if (this.size >= this.max()) this.dropOne(now);
        r = { failures: [], lockedUntil: 0 };
        this.open.set(key, r);
      }
    }
    const horizon = now - windowMs;
    while (r.failures.length > 0 && r.failures[0]! < horizon) r.failures.shift();
    r.failures.push(now);
    if (r.failures.length >= limit) {
      r.lockedUntil = now + lockMs;
      r.failures.length = 0;
      this.open.delete(key);
      this.locked.delete(key); // (re)locked: last in lock order
      this.locked.set(key, r);
      return true;
    }
    return false;
  }

  /** Makes room for one record (see the class comment). */
  private dropOne(now: number): void {
    const first = this.locked.entries().next().value;
    if (first !== undefined && first[1].lockedUntil <= now) this.locked.delete(first[0]);
    else if (this.open.size > 0) this.open.delete(this.open.keys().next().value as string);
    else if (first !== undefined) this.locked.delete(first[0]);
  }

  clear(key: string, now: number): void {
    this.open.delete(key);
    const r = this.locked.get(key);
    if (r !== undefined && r.lockedUntil <= now) this.locked.delete(key);
  }

  /** Removes every lock and failure record whose key matches (MML: lifting a lockout). */
  remove(match: (key: string) => boolean): number {
    let n = 0;
    for (const table of [this.open, this.locked])
      for (const key of [...table.keys()])
        if (match(key)) {
          table.delete(key);
          n++;
        }
    return n;
  }

  /** Forgets the records whose lock is over and whose failures have all left the window. */
  forgetOld(now: number, windowMs: number): void {
    const horizon = now - windowMs;
    for (const table of [this.open, this.locked])
      for (const [key, r] of table)
        if (r.lockedUntil <= now && (r.failures.length === 0 || r.failures[r.failures.length - 1]! < horizon))
          table.delete(key);
  }

  lockedKeys(now: number): string[] {
    return [...this.locked].filter(([, r]) => r.lockedUntil > now).map(([k]) => k);
  }

  get size(): number {
    return this.open.size + this.locked.size;
  }

  /** Is any key locked (its lock perhaps over)? */
  get anyLocked(): boolean {
    return this.locked.size > 0;
  }
}

const SEP = '\u0000';

/** How often records past their window and lock are forgotten (a scan of both tables, at most). */
const FORGET_EVERY_MS = 60_000;

export class Lockout {
  private readonly pairs = new FailureWindows(() => this.policy.maxSources ?? 100_000);
  private readonly sources = new FailureWindows(() => this.policy.maxSources ?? 100_000);
  /** When the tables are next scanned for records that say nothing any more. */
  private nextForget = 0;

  constructor(
    public policy: LockoutPolicy,
    /** The steady clock, in ms (never the wall clock: see the top). */
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Is this source (and, when given, this user name from it) locked out now? The seconds left, 0 when
   * it is not.
   */
  lockedFor(address: string, user?: string): number {
    const source = failureKey(address);
    const now = this.now();
    if (now >= this.nextForget) this.forgetOld(now);
    const whole = this.sources.lockedFor(source, now);
    // The pair's key is made only when some pair is locked: none is, on a registrar nobody guesses at.
    const pair =
      user === undefined || !this.pairs.anyLocked ? 0 : this.pairs.lockedFor(source + SEP + user, now);
    return Math.max(whole, pair);
  }

  /**
   * Each address that ever failed was kept until 100,000 of them had (9 MB for 14,000 after a
   * sipvicious run, for the life of the process): a record whose lock is over and whose failures have
   * left the window says nothing, and goes (as the console's login failures do).
   */
  private forgetOld(now: number): void {
    this.nextForget = now + FORGET_EVERY_MS;
    const windowMs = this.policy.windowSeconds * 1000;
    this.pairs.forgetOld(now, windowMs);
    this.sources.forgetOld(now, windowMs);
  }

  /** Records a failed attempt; returns what this failure locked, if anything. */
  fail(address: string, user: string): LockScope | undefined {
    const source = failureKey(address);
    const now = this.now();
    const windowMs = this.policy.windowSeconds * 1000;
    const lockMs = this.policy.lockSeconds * 1000;
    const pair = this.pairs.fail(source + SEP + user, now, this.policy.failures, windowMs, lockMs);
    const whole = this.sources.fail(source, now, this.policy.sourceFailures ?? 0, windowMs, lockMs);
    return whole ? 'source' : pair ? 'user' : undefined;
  }

  /** A success clears the pair's failure history (not the source's: a sprayer may know one password). */
  succeed(address: string, user: string): void {
    // Nothing to clear (and no key to make) while no pair has failed: every success, usually.
    if (this.pairs.size > 0) this.pairs.clear(failureKey(address) + SEP + user, this.now());
  }

  /** Lifts the locks (and failure counts) of a source, or of a user name from any source. */
  lift(which: { source?: string; user?: string }): number {
    // An address, or the /64 DSP LOCKOUT lists (sourceKey); text that is neither matches no lock.
    const wanted = which.source === undefined ? undefined : (sourceKey(which.source) ?? which.source);
    const match = (key: string): boolean => {
      const [source, user] = key.split(SEP);
      return (wanted === undefined || source === wanted) && (which.user === undefined || user === which.user);
    };
    const pairs = this.pairs.remove(match);
    const sources = which.user === undefined ? this.sources.remove(match) : 0;
    return pairs + sources;
  }

  /** The locks in force: source (an IPv6 one as its /64), and the user name for a pair lock. */
  locks(): { source: string; user: string | undefined; secondsLeft: number }[] {
    const now = this.now();
    const out: { source: string; user: string | undefined; secondsLeft: number }[] = [];
    for (const key of this.sources.lockedKeys(now))
      out.push({ source: key, user: undefined, secondsLeft: this.sources.lockedFor(key, now) });
    for (const key of this.pairs.lockedKeys(now)) {
      const [source, user] = key.split(SEP) as [string, string];
      out.push({ source, user, secondsLeft: this.pairs.lockedFor(key, now) });
    }
    return out;
  }

  get tracked(): number {
    return this.pairs.size + this.sources.size;
  }
}
