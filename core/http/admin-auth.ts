// The management login (the original had none): one admin password, set by IMS_ADMIN_PASSWORD or
// generated on first start and shown once; only its scrypt hash is stored (in the database's settings
// table). A good password opens a session token (random, 12 h, kept across restarts:
// console-sessions.ts; a new password ends them all, but for the session that changed it from the
// console: changePassword); failed logins from one address (an
// IPv6 one by its /64, which one host holds whole) are slowed down: after 5 failures in a minute, it waits
// a minute. A password is checked off the event loop (scrypt takes about 30 ms: SIP waits for none of it),
// a few at a time: more at once are told to wait, so a flood of guesses cannot queue up behind them.
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { Database } from 'better-sqlite3';
import { SettingError } from '../config/settings';
import { SILENT_LOG, type Log } from '../observe/log';
import { failureKey } from '../sip/auth/failure-key';
import { ConsoleSessions } from './console-sessions';

const HASH_KEY = 'admin.password_hash';
const SESSION_MS = 12 * 3600_000;
const MAX_FAILURES = 5;
const FAILURE_WINDOW_MS = 60_000;
const LOCK_MS = 60_000;
/** The shortest admin password taken (IMS_ADMIN_PASSWORD, or a new one set from the console). */
export const MIN_PASSWORD_LENGTH = 8;
/** The longest password a login checks (UTF-16 code units): a longer one could never log in. */
export const MAX_PASSWORD_LENGTH = 1024;
/** Addresses whose failures are remembered before those past their minute are forgotten. */
const MAX_TRACKED = 10_000;

export function hash(password: string, salt: Buffer): string {
  return `scrypt$${salt.toString('base64')}$${scryptSync(password, salt, 32).toString('base64')}`;
}

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, length: number) => Promise<Buffer>;

/** hash() off the event loop: a new password set from the console (SIP waits for none of it). */
async function hashAsync(password: string): Promise<string> {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('base64')}$${(await scryptAsync(password, salt, 32)).toString('base64')}`;
}

/**
 * Why a new admin password is refused, or undefined when it is taken: the one rule of IMS_ADMIN_PASSWORD
 * and of a password set from the console. The lock-out lets 5 guesses a minute from each address: a
 * short password falls to a few (OWASP ASVS 2.1.1 asks for 12 at least of a user's password; 8 keeps the
 * README's `change-me` working).
 */
export function passwordProblem(password: string): string | undefined {
  if ([...password].length < MIN_PASSWORD_LENGTH) return `at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `at most ${MAX_PASSWORD_LENGTH} characters`;
  return undefined;
}

/** Checks at most this many passwords at once (scrypt on the thread pool); the others wait their turn. */
const MAX_CHECKING = 4;
/**
 * Logins waiting for a check, at most from one place and from all: beyond, one is told to try again
 * (503). One place's bound keeps a flood from a few addresses from filling the queue and turning the
 * admin's login away (320 guesses from one address did); a place locked out is answered at once.
 */
export const MAX_WAITING_PER_PLACE = 32;
export const MAX_WAITING = 4096;

function parts(stored: string): { salt: Buffer; expected: Buffer } | undefined {
  const [kind, salt, digest] = stored.split('$');
  if (kind !== 'scrypt' || salt === undefined || digest === undefined) return undefined;
  return { salt: Buffer.from(salt, 'base64'), expected: Buffer.from(digest, 'base64') };
}

/** At start-up only (the configured password against the stored hash). */
function verify(password: string, stored: string): boolean {
  const p = parts(stored);
  return p !== undefined && timingSafeEqual(p.expected, scryptSync(password, p.salt, p.expected.length));
}

async function verifyAsync(password: string, stored: string): Promise<boolean> {
  const p = parts(stored);
  return (
    p !== undefined && timingSafeEqual(p.expected, await scryptAsync(password, p.salt, p.expected.length))
  );
}

/** Whose failures a login counts in: an IPv4 address, or an IPv6 address's /64 (as the SIP lock-out's). */
export { failureKey };

/** A password refused: 401 wrong, 429 the place locked out, 503 too many waiting (both with retryAfter). */
export type Refusal = { ok: false; status: 401 | 429 | 503; retryAfter?: number };

export type LoginOutcome =
  /** `tooShort`: the password is shorter than IMS Lab now asks (set by an older IMS Lab, kept since). */
  { ok: true; token: string; expiresAt: number; tooShort?: true } | Refusal;

/** `sessionsEnded`: the other sessions the change logged out. */
export type PasswordChange = { ok: true; sessionsEnded: number } | Refusal;

export class AdminAuth {
  private readonly sessions: ConsoleSessions;
  /** Per place: its failures within the window, since when, and the end of its lock (the steady clock). */
  private readonly failures = new Map<string, { count: number; since: number; lockedUntil: number }>();
  private stored: string;
  /** Passwords being checked now, and the logins waiting for a check to end. */
  private checking = 0;
  private readonly turns: (() => void)[] = [];
  private waiting = 0;
  private readonly waitingBy = new Map<string, number>();
  /** Per place (failureKey): the end of the last login queued from there. */
  private readonly queues = new Map<string, Promise<void>>();
  /** The password generated at this start, to be shown once; undefined otherwise. */
  readonly generated: string | undefined;
  /** Started with IMS_ADMIN_PASSWORD: a start with it set again puts that password back. */
  readonly configured: boolean;

  constructor(
    private readonly db: Database,
    configured: string | undefined,
    private readonly now: () => number = Date.now,
    /** Told of each login, failed login and lock-out, with the address (as the SIP side's digests are). */
    private readonly log: Log = SILENT_LOG,
    /**
     * The steady clock (ms) failures and lock-outs are measured on; `now` (the wall clock) only dates the
     * sessions, which outlive a restart. On the wall clock, a clock stepped back an hour (NTP, a VM
     * resumed) locked the admin out of the console and the mml CLI for an hour and a minute.
     */
    private readonly elapsed: () => number = () => performance.now(),
  ) {
    this.sessions = new ConsoleSessions(db, now);
    const get = db.prepare<[string], string>('SELECT value FROM settings WHERE key = ?').pluck();
    const existing = get.get(HASH_KEY);
    let generated: string | undefined;
    this.configured = configured !== undefined && configured !== '';
    const problem = this.configured ? passwordProblem(configured!) : undefined;
    if (problem !== undefined) {
      throw new SettingError(
        'IMS_ADMIN_PASSWORD',
        `${problem} (it guards the console and MML; unset, one is generated)`,
      );
    }
    if (configured !== undefined && configured !== '') {
      if (existing === undefined || !verify(configured, existing))
        this.save(hash(configured, randomBytes(16)));
    } else if (existing === undefined) {
      generated = randomBytes(12).toString('base64url');
      this.save(hash(generated, randomBytes(16)));
    }
    this.generated = generated;
    this.stored = get.get(HASH_KEY)!;
  }

  /**
   * Checks a password. The logins from one place are checked one after another, so that the lock after
   * MAX_FAILURES stops the next guess (run together, 100 wrong ones let 8 through), and at most
   * MAX_CHECKING at once from all places, the others waiting their turn (10 scripts logging in at once
   * were told "too many failed logins" though none had failed).
   */
  async login(password: string, address: string): Promise<LoginOutcome> {
    const refused = await this.inTurn(password, address, 'login');
    if (refused !== undefined) return refused;
    this.log.info(`console: admin logged in from ${address}`);
    const expiresAt = this.now() + SESSION_MS;
    const token = this.sessions.start(`admin@${address}`, expiresAt);
    if ([...password].length < MIN_PASSWORD_LENGTH) return { ok: true, token, expiresAt, tooShort: true };
    return { ok: true, token, expiresAt };
  }

  /**
   * A new admin password from the session holding `token`, once `current` is checked as a login's
   * password is (in the same turns, its failure counted towards the same lock-out: trying current
   * passwords here is no way round it). `next` obeys passwordProblem (the caller has checked it). Only its
   * scrypt hash is stored; every other session ends, `token`'s stays.
   */
  async changePassword(
    current: string,
    next: string,
    token: string,
    address: string,
  ): Promise<PasswordChange> {
    const refused = await this.inTurn(current, address, 'password change');
    if (refused !== undefined) return refused;
    const value = await hashAsync(next);
    const sessionsEnded = this.save(value, token);
    this.log.info(
      `console: admin password changed from ${address}; ${sessionsEnded} other session(s) ended` +
        (this.configured ? ' (IMS_ADMIN_PASSWORD, if set at the next start, puts its own back)' : ''),
    );
    return { ok: true, sessionsEnded };
  }

  /** Checks a password in its place's turn (login's rules): undefined when right, else the refusal. */
  private async inTurn(password: string, address: string, what: string): Promise<Refusal | undefined> {
    const key = failureKey(address);
    const locked = this.lockedFor(key);
    if (locked !== undefined) return locked;
    const waitingHere = this.waitingBy.get(key) ?? 0;
    if (this.waiting >= MAX_WAITING || waitingHere >= MAX_WAITING_PER_PLACE)
      return { ok: false, status: 503, retryAfter: 1 };
    this.waiting++;
    this.waitingBy.set(key, waitingHere + 1);
    const previous = this.queues.get(key);
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    this.queues.set(key, mine);
    try {
      await previous;
      return await this.check(password, address, key, what);
    } finally {
      this.waiting--;
      const left = this.waitingBy.get(key)! - 1;
      if (left === 0) this.waitingBy.delete(key);
      else this.waitingBy.set(key, left);
      done();
      if (this.queues.get(key) === mine) this.queues.delete(key);
    }
  }

  /** The 429 for a place locked out now, or undefined. */
  private lockedFor(key: string): Refusal | undefined {
    const f = this.failures.get(key);
    const now = this.elapsed();
    if (f === undefined || f.lockedUntil <= now) return undefined;
    return { ok: false, status: 429, retryAfter: Math.ceil((f.lockedUntil - now) / 1000) };
  }

  /** A check slot: at once when fewer than MAX_CHECKING run, else when one ends. */
  private async turn(): Promise<void> {
    if (this.checking < MAX_CHECKING) {
      this.checking++;
      return;
    }
    await new Promise<void>((resolve) => this.turns.push(resolve));
  }

  /** A check ended: its slot goes to the next waiting, if any. */
  private endTurn(): void {
    const next = this.turns.shift();
    if (next !== undefined) next();
    else this.checking--;
  }

  private async check(
    password: string,
    address: string,
    key: string,
    what: string,
  ): Promise<Refusal | undefined> {
    const locked = this.lockedFor(key); // by the logins from here that went before this one
    if (locked !== undefined) return locked;
    let good = false;
    if (password.length <= MAX_PASSWORD_LENGTH) {
      await this.turn();
      try {
        // Checked again when the password changed meanwhile: the old one opens nothing once replaced.
        let against: string;
        do {
          against = this.stored;
          good = await verifyAsync(password, against);
        } while (against !== this.stored);
      } finally {
        this.endTurn();
      }
    }
    const now = this.elapsed();
    if (good) {
      this.failures.delete(key);
      return undefined;
    }
    const last = this.failures.get(key); // others from the same place may have failed meanwhile
    const entry =
      last !== undefined && now - last.since < FAILURE_WINDOW_MS
        ? last
        : { count: 0, since: now, lockedUntil: 0 };
    entry.count++;
    this.log.info(`console: ${what} failed from ${address}`);
    if (entry.count >= MAX_FAILURES) {
      entry.lockedUntil = now + LOCK_MS;
      this.log.warning(
        `console: locked out ${key} for ${LOCK_MS / 1000} s: ${entry.count} failed logins within a minute`,
      );
    }
    this.failures.set(key, entry);
    if (this.failures.size > MAX_TRACKED) this.forgetOld(now);
    return { ok: false, status: 401 };
  }

  /** Failures from many places (a guesser moving through addresses): forget those whose minute is over. */
  private forgetOld(now: number): void {
    for (const [key, f] of this.failures) {
      if (f.lockedUntil <= now && now - f.since >= FAILURE_WINDOW_MS) this.failures.delete(key);
    }
  }

  /** Who holds this token, or undefined when it is unknown or expired. */
  session(token: string | undefined): string | undefined {
    return token === undefined ? undefined : this.sessions.holder(token);
  }

  logout(token: string): void {
    this.sessions.end(token);
  }

  /** Stores a new password's hash; every session ends but `keep`'s. The number ended. */
  private save(value: string, keep?: string): number {
    this.db
      .prepare(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(HASH_KEY, value);
    this.stored = value;
    return this.sessions.endAll(keep); // a new password: whoever held the old one is logged out
  }
}
