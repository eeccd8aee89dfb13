// The management login (the original had none): one admin password, set by IMS_ADMIN_PASSWORD or
// generated on first start and shown once; only its scrypt hash is stored (in the database's settings
// table). A good password opens a session token (random, 12 h); failed logins from one address are
// slowed down: after 5 failures in a minute, that address waits a minute.
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Database } from 'better-sqlite3';

const HASH_KEY = 'admin.password_hash';
const SESSION_MS = 12 * 3600_000;
const MAX_FAILURES = 5;
const FAILURE_WINDOW_MS = 60_000;
const LOCK_MS = 60_000;

function hash(password: string, salt: Buffer): string {
  return `scrypt$${salt.toString('base64')}$${scryptSync(password, salt, 32).toString('base64')}`;
}

function verify(password: string, stored: string): boolean {
  const [kind, salt, digest] = stored.split('$');
  if (kind !== 'scrypt' || salt === undefined || digest === undefined) return false;
  const expected = Buffer.from(digest, 'base64');
  const actual = scryptSync(password, Buffer.from(salt, 'base64'), expected.length);
  return timingSafeEqual(expected, actual);
}

export type LoginOutcome =
  { ok: true; token: string; expiresAt: number } | { ok: false; status: 401 | 429; retryAfter?: number };

export class AdminAuth {
  private readonly sessions = new Map<string, { who: string; expiresAt: number }>();
  private readonly failures = new Map<string, { count: number; since: number; lockedUntil: number }>();
  private stored: string;
  /** The password generated at this start, to be shown once; undefined otherwise. */
  readonly generated: string | undefined;

  constructor(
    private readonly db: Database,
    configured: string | undefined,
    private readonly now: () => number = Date.now,
  ) {
    const get = db.prepare<[string], string>('SELECT value FROM settings WHERE key = ?').pluck();
    const existing = get.get(HASH_KEY);
    let generated: string | undefined;
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

  login(password: unknown, address: string): LoginOutcome {
    const now = this.now();
    const f = this.failures.get(address);
    if (f !== undefined && f.lockedUntil > now) {
      return { ok: false, status: 429, retryAfter: Math.ceil((f.lockedUntil - now) / 1000) };
    }
    if (typeof password === 'string' && password.length <= 1024 && verify(password, this.stored)) {
      this.failures.delete(address);
      const token = randomBytes(24).toString('base64url');
      const expiresAt = now + SESSION_MS;
      this.sessions.set(token, { who: `admin@${address}`, expiresAt });
      return { ok: true, token, expiresAt };
    }
    const entry =
      f !== undefined && now - f.since < FAILURE_WINDOW_MS ? f : { count: 0, since: now, lockedUntil: 0 };
    entry.count++;
    if (entry.count >= MAX_FAILURES) entry.lockedUntil = now + LOCK_MS;
    this.failures.set(address, entry);
    return { ok: false, status: 401 };
  }

  /** Who holds this token, or undefined when it is unknown or expired. */
  session(token: string | undefined): string | undefined {
    if (token === undefined) return undefined;
    const s = this.sessions.get(token);
    if (s === undefined) return undefined;
    if (s.expiresAt <= this.now()) {
      this.sessions.delete(token);
      return undefined;
    }
    return s.who;
  }

  logout(token: string): void {
    this.sessions.delete(token);
  }

  private save(value: string): void {
    this.db
      .prepare(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(HASH_KEY, value);
    this.stored = value;
  }
}
