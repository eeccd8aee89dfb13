// The console's login sessions, kept in the database's settings table so that they outlive a restart: a
// setting that takes effect after one (Configuration says "Restart to apply") no longer sends every
// open console back to the login page. Only a SHA-256 of each token is stored (a copy of the database
// opens no session), with its holder and expiry; expired ones are dropped as they are found, at each
// login and at start-up, and a new admin password ends them all.
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';

const PREFIX = 'admin.session.';

/**
 * Sessions held at most: past it a login ends the one nearest its expiry. A script that logs in every
 * few seconds and never logs out added a session (memory, a settings row) at each run for 12 hours.
 */
export const MAX_SESSIONS = 10_000;

const digest = (token: string): string => createHash('sha256').update(token).digest('hex');

export class ConsoleSessions {
  /** By the token's digest. */
  private readonly open = new Map<string, { who: string; expiresAt: number }>();

  constructor(
    private readonly db: Database,
    private readonly now: () => number,
    private readonly max = MAX_SESSIONS,
  ) {
    const rows = db
      .prepare<[string], { key: string; value: string }>('SELECT key, value FROM settings WHERE key LIKE ?')
      .all(`${PREFIX}%`);
    for (const { key, value } of rows) {
      const space = value.indexOf(' ');
      const expiresAt = Number(value.slice(0, space));
      if (space > 0 && expiresAt > now())
        this.open.set(key.slice(PREFIX.length), { who: value.slice(space + 1), expiresAt });
      else this.forget(key.slice(PREFIX.length));
    }
  }

  /** A new session for `who` until `expiresAt`; its token. */
  start(who: string, expiresAt: number): string {
    // A tab closed without Log out, a script that logs in at each run: their sessions were kept until
    // a restart (the token never came back to be found expired). Each login drops the expired ones.
    const now = this.now();
    for (const [id, s] of this.open) if (s.expiresAt <= now) this.forget(id);
    if (this.open.size >= this.max) this.forget(this.nearestExpiry());
    const token = randomBytes(24).toString('base64url');
    const id = digest(token);
    this.open.set(id, { who, expiresAt });
    this.persist(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      `${PREFIX}${id}`,
      `${expiresAt} ${who}`,
    );
    return token;
  }

  /** Who holds this token, or undefined when it is unknown or expired. */
  holder(token: string): string | undefined {
    const id = digest(token);
    const s = this.open.get(id);
    if (s === undefined) return undefined;
    if (s.expiresAt > this.now()) return s.who;
    this.forget(id);
    return undefined;
  }

  end(token: string): void {
    this.forget(digest(token));
  }

  /** Ends every session but `keep`'s (the admin password changed); the number of live ones ended. */
  endAll(keep?: string): number {
    const kept = keep === undefined ? '' : digest(keep);
    const now = this.now();
    let ended = 0;
    for (const [id, s] of this.open) {
      if (id === kept) continue;
      if (s.expiresAt > now) ended++;
      this.open.delete(id);
    }
    this.persist('DELETE FROM settings WHERE key LIKE ? AND key <> ?', `${PREFIX}%`, `${PREFIX}${kept}`);
    return ended;
  }

  private nearestExpiry(): string {
    let nearest = '';
    let at = Infinity;
    for (const [id, s] of this.open)
      if (s.expiresAt < at) {
        at = s.expiresAt;
        nearest = id;
      }
    return nearest;
  }

  private forget(id: string): void {
    this.open.delete(id);
    this.persist('DELETE FROM settings WHERE key = ?', `${PREFIX}${id}`);
  }

  /**
   * Writes a session's row. One that cannot be written (a full disk, a damaged database) leaves the
   * session as it is in memory, lost only at a restart: a login answered 500 locked the operator out of
   * the console and the mml client on a full disk, when CLR CDR is what makes room.
   */
  private persist(sql: string, ...params: string[]): void {
    try {
      this.db.prepare(sql).run(...params);
    } catch {
      // kept in memory; /healthz says what is wrong with the data folder
    }
  }
}
