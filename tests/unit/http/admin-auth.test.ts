// The console's login: failures counted per address (an IPv6 one by its /64), the password checked off
// the event loop and a few at a time; and the password changed from a session (changePassword): the
// current one checked as a login's, the new one under IMS_ADMIN_PASSWORD's rule.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AdminAuth,
  failureKey,
  hash,
  MAX_WAITING,
  MAX_WAITING_PER_PLACE,
  passwordProblem,
} from '../../../core/http/admin-auth';
import { ConsoleSessions, MAX_SESSIONS } from '../../../core/http/console-sessions';
import { closeDatabase, openDatabase, type Database } from '../../../core/store/database';

const dirs: string[] = [];
const dbs: Database[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) closeDatabase(db);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function folder(): Database {
  const dir = mkdtempSync(join(tmpdir(), 'ims-admin-auth-'));
  dirs.push(dir);
  const db = openDatabase(dir);
  dbs.push(db);
  return db;
}

function auth(): AdminAuth {
  return new AdminAuth(folder(), 'right-password');
}

/** A log that keeps its lines ("INFO ...") in `lines`. */
function recordingLog(lines: string[]) {
  return {
    debug: () => undefined,
    info: (m: string) => lines.push(`INFO ${m}`),
    warning: (m: string) => lines.push(`WARNING ${m}`),
    error: (m: string) => lines.push(`ERROR ${m}`),
  };
}

const tokenOf = async (a: AdminAuth, password = 'right-password', address = '192.0.2.7'): Promise<string> => {
  const r = await a.login(password, address);
  if (!r.ok) throw new Error('login refused');
  return r.token;
};

describe('failureKey', () => {
  it('is the IPv4 address, or the /64 of an IPv6 one', () => {
    expect(failureKey('192.0.2.7')).toBe('192.0.2.7');
    expect(failureKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(failureKey('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    // RFC 5952 §4.2: the zero groups written `::` (DSP LOCKOUT printed 0:0:0:0::/64 for ::1).
    expect(failureKey('2001:DB8::1')).toBe('2001:db8::/64');
    expect(failureKey('::1')).toBe('::/64');
    expect(failureKey('0:0:0:1::9')).toBe('0:0:0:1::/64');
    expect(failureKey('2001:0:0:1::9')).toBe('2001:0:0:1::/64');
  });
});

describe('AdminAuth.login', () => {
  it('locks a place out after 5 failures: every address of one IPv6 /64 alike, not another /64', async () => {
    const a = auth();
    for (let i = 1; i <= 5; i++)
      expect(await a.login('wrong', `2001:db8::${i}`)).toMatchObject({ status: 401 });
    expect(await a.login('right-password', '2001:db8::99')).toMatchObject({ ok: false, status: 429 });
    expect(await a.login('right-password', '2001:db8:0:1::1')).toMatchObject({ ok: true });
  });

  it('logs each login, failed login and lock-out with the address, never the password', async () => {
    const lines: string[] = [];
    const a = new AdminAuth(folder(), 'right-password', Date.now, recordingLog(lines));
    expect(await a.login('right-password', '192.0.2.5')).toMatchObject({ ok: true });
    for (let i = 0; i < 5; i++) await a.login('guess-number-x', '192.0.2.6');
    expect(await a.login('guess-number-x', '192.0.2.6')).toMatchObject({ status: 429 });
    expect(lines).toEqual([
      'INFO console: admin logged in from 192.0.2.5',
      ...Array.from({ length: 5 }, () => 'INFO console: login failed from 192.0.2.6'),
      'WARNING console: locked out 192.0.2.6 for 60 s: 5 failed logins within a minute',
    ]);
    expect(lines.join('\n')).not.toContain('guess-number-x');
  });

  it('keeps a lock-out to its minute across a wall clock stepped back an hour (it locked the admin out for 61 min)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ims-admin-auth-'));
    dirs.push(dir);
    const db = openDatabase(dir);
    dbs.push(db);
    const clock = { wall: 1_800_000_000_000, steady: 5_000 };
    const a = new AdminAuth(
      db,
      'right-password',
      () => clock.wall,
      undefined,
      () => clock.steady,
    );
    for (let i = 0; i < 5; i++) await a.login('wrong', '192.0.2.8');
    clock.wall -= 3_600_000;
    expect(await a.login('right-password', '192.0.2.8')).toEqual({ ok: false, status: 429, retryAfter: 60 });
    clock.steady += 60_000;
    const session = await a.login('right-password', '192.0.2.8');
    // The session is dated on the wall clock (it outlives a restart): 12 h from the stepped time.
    expect(session).toMatchObject({ ok: true, expiresAt: clock.wall + 12 * 3_600_000 });
  });

  it('checks the password off the event loop, at most 4 at once', async () => {
    const a = auth();
    const order: string[] = [];
    const one = a.login('wrong', '192.0.2.1').then(() => order.push('checked'));
    setImmediate(() => order.push('the loop ran'));
    await one;
    // scrypt (about 30 ms) ran on the thread pool while the loop went on; a synchronous check would
    // have finished before the loop's next turn.
    expect(order).toEqual(['the loop ran', 'checked']);
    // More than 4 at once wait their turn: none is refused for it (scripts logging in together were told
    // "too many failed logins" though none had failed).
    const checks = [1, 2, 3, 4, 5, 6].map((i) => a.login('wrong', `192.0.2.${i + 10}`));
    const outcomes = await Promise.all(checks);
    expect(outcomes.map((o) => o.ok || o.status)).toEqual([401, 401, 401, 401, 401, 401]);
    const together = await Promise.all(
      Array.from({ length: 10 }, () => a.login('right-password', '192.0.2.9')),
    );
    expect(together.every((o) => o.ok)).toBe(true);
  });

  it('checks the logins of one place in turn: 30 guesses at once, 5 checked, the rest locked out', async () => {
    const a = auth();
    const outcomes = await Promise.all(Array.from({ length: 30 }, () => a.login('wrong', '198.51.100.7')));
    const statuses = outcomes.map((o) => (o.ok ? 200 : o.status));
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(25);
  });

  it("lets the admin in while others flood the login: one address's 320 guesses, or 9 addresses' 32 each", async () => {
    const a = auth();
    const flood = Array.from({ length: 320 }, () => a.login('wrong', '198.51.100.8'));
    expect(await a.login('right-password', '192.0.2.50')).toMatchObject({ ok: true });
    const many = Array.from({ length: 9 * 32 }, (_, i) => a.login('wrong', `203.0.113.${i % 9}`));
    expect(await a.login('right-password', '192.0.2.51')).toMatchObject({ ok: true });
    const statuses = (await Promise.all([...flood, ...many])).map((o) => (o.ok ? 200 : o.status));
    // Each place had its 5 guesses checked; the rest were locked out or told to come back.
    expect(statuses.filter((s) => s === 401)).toHaveLength(5 * 10);
    expect(statuses.every((s) => s === 401 || s === 429 || s === 503)).toBe(true);
  });

  it(`tells a login to come back (503) past ${MAX_WAITING_PER_PLACE} waiting from one address, as README says`, async () => {
    const a = auth();
    const waiting = Array.from({ length: MAX_WAITING_PER_PLACE }, () => a.login('wrong', '198.51.100.9'));
    expect(await a.login('wrong', '198.51.100.9')).toEqual({ ok: false, status: 503, retryAfter: 1 });
    expect(await a.login('right-password', '192.0.2.52')).toMatchObject({ ok: true }); // another address
    await Promise.all(waiting);
    // README's HTTP API says the same numbers (it said 256).
    const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
    const httpApi = /### HTTP API\n([^]*?)\n###/.exec(readme)![1]!.replace(/\s+/g, ' ');
    expect(httpApi).toContain(
      `past ${MAX_WAITING_PER_PLACE} logins waiting from one address, or ${MAX_WAITING.toLocaleString('en')} from all`,
    );
  });

  it('opens a session when the database cannot be written (a full disk): in memory until a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ims-admin-full-'));
    dirs.push(dir);
    const db = openDatabase(dir);
    dbs.push(db);
    const a = new AdminAuth(db, 'right-password');
    db.pragma('query_only = ON'); // every write now fails, as on a full disk
    const r = await a.login('right-password', '192.0.2.3');
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(a.session(r.token)).toBe('admin@192.0.2.3');
      a.logout(r.token);
      expect(a.session(r.token)).toBeUndefined();
    }
    db.pragma('query_only = OFF');
  });
});

describe('AdminAuth sessions', () => {
  it('IMS_ADMIN_PASSWORD of fewer than 8 characters stops the start, naming it; nothing is stored', () => {
    const db = folder();
    const hashes = () =>
      db.prepare("SELECT value FROM settings WHERE key = 'admin.password_hash'").pluck().all();
    expect(() => new AdminAuth(db, 'pass123')).toThrow(/^IMS_ADMIN_PASSWORD: at least 8 characters/);
    expect(hashes()).toEqual([]);
    // Characters, not bytes: eight CJK characters are enough, seven are not.
    expect(() => new AdminAuth(db, '管理员密码一二')).toThrow(/IMS_ADMIN_PASSWORD/);
    expect(() => new AdminAuth(db, '管理员密码一二三')).not.toThrow();
    expect(hashes()).toHaveLength(1);
    // Unset or empty: a password is generated, as before.
    expect(new AdminAuth(folder(), '').generated).toMatch(/^[\w-]{16}$/);
  });

  it("says when the stored password is shorter than 8 characters (an older IMS Lab's), and still logs in", async () => {
    const db = folder();
    db.prepare("INSERT INTO settings (key, value) VALUES ('admin.password_hash', ?)").run(
      hash('abc', Buffer.alloc(16, 1)),
    );
    const a = new AdminAuth(db, undefined);
    expect(await a.login('abc', '192.0.2.7')).toMatchObject({ ok: true, tooShort: true });
    const long = new AdminAuth(folder(), 'right-password');
    expect(await long.login('right-password', '192.0.2.7')).not.toHaveProperty('tooShort');
  });

  it('outlive a restart (a new AdminAuth on the same database); logout ends one for good', async () => {
    const db = folder();
    const first = new AdminAuth(db, 'right-password');
    const kept = await tokenOf(first);
    const ended = await tokenOf(first);
    first.logout(ended);
    const restarted = new AdminAuth(db, 'right-password');
    expect(restarted.session(kept)).toBe('admin@192.0.2.7');
    expect(restarted.session(ended)).toBeUndefined();
    expect(restarted.session('made-up')).toBeUndefined();
    // Only a digest of the token is stored: the database alone opens no session.
    const stored = db.prepare("SELECT key || ' ' || value AS row FROM settings").pluck().all() as string[];
    expect(stored.join('\n')).not.toContain(kept);
  });

  it('end at their expiry, before and after a restart, and all of them with a new password', async () => {
    const db = folder();
    let now = 1_000_000;
    const a = new AdminAuth(db, 'right-password', () => now);
    const early = await tokenOf(a);
    now += 6 * 3600_000;
    const late = await tokenOf(a);
    now += 6 * 3600_000 + 1; // the first one's 12 h are over
    expect(a.session(early)).toBeUndefined();
    const b = new AdminAuth(db, 'right-password', () => now);
    expect([b.session(early), b.session(late)]).toEqual([undefined, 'admin@192.0.2.7']);
    const changed = new AdminAuth(db, 'another-password', () => now);
    expect(changed.session(late)).toBeUndefined();
  });

  it('that nobody ends (a tab closed, a script logging in at each run) go at the next login after expiry', async () => {
    const db = folder();
    let now = 1_000_000;
    const a = new AdminAuth(db, 'right-password', () => now);
    for (let i = 0; i < 40; i++) await tokenOf(a); // never logged out, never seen again
    const rows = (): number =>
      db.prepare("SELECT count(*) FROM settings WHERE key LIKE 'admin.session.%'").pluck().get() as number;
    expect(rows()).toBe(40);
    now += 12 * 3600_000 + 1;
    const fresh = await tokenOf(a);
    expect(rows()).toBe(1); // kept until a restart before
    expect(a.session(fresh)).toBe('admin@192.0.2.7');
  });

  it(`are held ${MAX_SESSIONS} at most: past it a login ends the one nearest its expiry`, () => {
    const db = folder();
    let now = 1_000_000;
    const sessions = new ConsoleSessions(db, () => now, 3);
    const oldest = sessions.start('admin@a', now + 12 * 3600_000);
    now += 1000;
    const kept = [1, 2].map(() => sessions.start('admin@b', now + 12 * 3600_000));
    const rows = (): number =>
      db.prepare("SELECT count(*) FROM settings WHERE key LIKE 'admin.session.%'").pluck().get() as number;
    const newest = sessions.start('admin@c', now + 12 * 3600_000);
    expect(rows()).toBe(3); // it grew by one a login, for 12 hours
    expect([oldest, ...kept, newest].map((t) => sessions.holder(t))).toEqual([
      undefined,
      'admin@b',
      'admin@b',
      'admin@c',
    ]);
    expect(MAX_SESSIONS).toBe(10_000);
  });
});

describe('passwordProblem (IMS_ADMIN_PASSWORD and the console alike)', () => {
  it('asks for 8 characters (not bytes) at least, and at most what a login checks', () => {
    expect(passwordProblem('pass123')).toBe('at least 8 characters');
    expect(passwordProblem('管理员密码一二')).toBe('at least 8 characters');
    expect(passwordProblem('管理员密码一二三')).toBeUndefined();
    expect(passwordProblem('x'.repeat(1024))).toBeUndefined();
    expect(passwordProblem('x'.repeat(1025))).toBe('at most 1024 characters');
    // One that long could never have logged in: it stops the start, as a short one does.
    expect(() => new AdminAuth(folder(), 'x'.repeat(1025))).toThrow(
      /^IMS_ADMIN_PASSWORD: at most 1024 characters/,
    );
  });
});

describe('AdminAuth.changePassword', () => {
  it('stores only the new hash, ends every other session, keeps the changer’s, logs it without the password', async () => {
    const db = folder();
    const lines: string[] = [];
    const a = new AdminAuth(db, 'right-password', Date.now, recordingLog(lines));
    const mine = await tokenOf(a);
    const others = [await tokenOf(a), await tokenOf(a, 'right-password', '192.0.2.8')];
    expect(await a.changePassword('right-password', 'new-secret-2026', mine, '192.0.2.7')).toEqual({
      ok: true,
      sessionsEnded: 2,
    });
    expect(a.session(mine)).toBe('admin@192.0.2.7');
    expect(others.map((t) => a.session(t))).toEqual([undefined, undefined]);
    expect(await a.login('right-password', '192.0.2.9')).toMatchObject({ ok: false, status: 401 });
    expect(await a.login('new-secret-2026', '192.0.2.9')).toMatchObject({ ok: true });
    const stored = db.prepare("SELECT key || ' ' || value FROM settings").pluck().all().join('\n');
    expect(stored).toMatch(/admin\.password_hash scrypt\$/);
    expect(stored).not.toContain('new-secret-2026');
    // A restart without IMS_ADMIN_PASSWORD keeps it, the changer's session too (sessions outlive a restart).
    const restarted = new AdminAuth(db, undefined);
    expect(restarted.session(mine)).toBe('admin@192.0.2.7');
    expect(await restarted.login('new-secret-2026', '192.0.2.9')).toMatchObject({ ok: true });
    expect(lines).toContain(
      'INFO console: admin password changed from 192.0.2.7; 2 other session(s) ended (IMS_ADMIN_PASSWORD, if set at the next start, puts its own back)',
    );
    expect(lines.join('\n')).not.toContain('new-secret-2026');
    // README's rule, unchanged: IMS_ADMIN_PASSWORD at a later start puts its own back, every session ended.
    const reset = new AdminAuth(db, 'right-password');
    expect(reset.session(mine)).toBeUndefined();
    expect(await reset.login('new-secret-2026', '192.0.2.10')).toMatchObject({ ok: false, status: 401 });
    expect(await reset.login('right-password', '192.0.2.10')).toMatchObject({ ok: true });
  });

  it('counts a wrong current password as a failed login: 5 lock the address out of both, the session stays', async () => {
    const lines: string[] = [];
    const a = new AdminAuth(folder(), 'right-password', Date.now, recordingLog(lines));
    const mine = await tokenOf(a, 'right-password', '198.51.100.4');
    for (let i = 0; i < 4; i++)
      expect(await a.changePassword(`guess-${i}-xx`, 'new-secret-2026', mine, '198.51.100.4')).toEqual({
        ok: false,
        status: 401,
      });
    expect(await a.login('guess-4-xx', '198.51.100.4')).toMatchObject({ status: 401 });
    // Locked out: the right current password changes nothing now, nor logs in.
    expect(await a.changePassword('right-password', 'new-secret-2026', mine, '198.51.100.4')).toEqual({
      ok: false,
      status: 429,
      retryAfter: 60,
    });
    expect(await a.login('right-password', '198.51.100.4')).toMatchObject({ status: 429 });
    expect(a.session(mine)).toBe('admin@198.51.100.4');
    expect(await a.login('right-password', '192.0.2.20')).toMatchObject({ ok: true }); // unchanged
    expect(lines).toContain('INFO console: password change failed from 198.51.100.4');
    expect(lines.join('\n')).not.toMatch(/guess-/);
  });

  it('lets no login with the old password open a session once the new one is stored', async () => {
    const a = auth();
    const mine = await tokenOf(a);
    const passwords = ['right-password', 'new-secret-2026'];
    for (let round = 0; round < 4; round++) {
      const [old, next] = round % 2 === 0 ? passwords : [...passwords].reverse();
      const change = a.changePassword(old!, next!, mine, '192.0.2.7');
      // Queued behind the change (one place's checks go in turn): checked while the new one is hashed.
      const racing = a.login(old!, '192.0.2.7');
      expect(await change).toMatchObject({ ok: true });
      const r = await racing;
      expect(r.ok && a.session(r.token) !== undefined).toBe(false);
    }
  });
});
