// Tells when the users table changed, whoever changed it: this appliance (ADD/MOD/RMV/IMP USER, the
// dialer's account made by STR DIALSVC, the HA1 values of a new realm) or another process writing the
// same database file (`server.js users import` beside the running server). Every change moves the
// users_version counter (migration 5's triggers, by any connection), so one read of a one-row table
// tells: after each MML statement (check()), and once a second for the other processes, which send
// nothing this process could hear. The users store keeps its credentials cache by the same counter.
import type { Database } from 'better-sqlite3';

/** How often another process's change is looked for (the credentials cache checks as often). */
export const USERS_CHECK_MS = 1000;

export interface UsersChange {
  /** Users now. */
  total: number;
  at: number;
}

export class UsersChanges {
  readonly #version;
  readonly #count;
  #seen: number;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    db: Database,
    /** Told once per change seen (several changes between two checks are one). */
    private readonly changed: (e: UsersChange) => void,
  ) {
    this.#version = db.prepare<[], number>('SELECT n FROM users_version').pluck();
    this.#count = db.prepare<[], number>('SELECT COUNT(*) FROM users').pluck();
    this.#seen = this.#version.get() ?? 0;
  }

  /** Looks for other processes' changes every intervalMs until stop(). */
  start(intervalMs = USERS_CHECK_MS): void {
    this.#timer ??= setInterval(() => this.check(), intervalMs);
    this.#timer.unref?.();
  }

  /** Reads the counter; tells when it moved since the last read. */
  check(now: number = Date.now()): void {
    let version: number;
    try {
      version = this.#version.get() ?? 0;
    } catch {
      return; // the database is closing (the appliance stopping): nothing to tell
    }
    if (version === this.#seen) return;
    this.#seen = version;
    this.changed({ total: this.#count.get() ?? 0, at: now });
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
