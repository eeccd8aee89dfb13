// The browser login (the desktop window needs none): POST /api/login with the admin password; the token
// is kept for this tab only (sessionStorage) and sent on the WebSocket URL. 401 is a wrong password,
// 429 a lockout told as "try again in N s" (Retry-After). POST /api/password changes the password from
// the session, answered the same way.
const KEY = 'ims.token';

/** A password not taken: wrong, the address locked out, or the server's own reason. */
export type Refusal =
  | { ok: false; reason: 'wrong' }
  | { ok: false; reason: 'locked'; retryAfter: number }
  | { ok: false; reason: 'unreachable'; message: string }
  /** Answered, but refused for a reason the server gives (400, 403: another site, an unknown name). */
  | { ok: false; reason: 'refused'; message: string };

export type LoginOutcome = { ok: true; token: string } | Refusal;

/**
 * `configured`: the server was started with IMS_ADMIN_PASSWORD, which puts its own password back if set
 * at the next start. `ended`: this session had ended before the change was asked (nothing changed).
 */
export type PasswordOutcome =
  { ok: true; sessionsEnded: number; configured: boolean } | Refusal | { ok: false; reason: 'ended' };

export function savedToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function forgetToken(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // storage disabled: nothing kept
  }
}

export async function login(password: string): Promise<LoginOutcome> {
  let res: Response;
  try {
    res = await fetch('/api/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ password }),
    });
  } catch (err) {
    return { ok: false, reason: 'unreachable', message: (err as Error).message };
  }
  if (res.status === 200) {
    const { token } = (await res.json()) as { token: string };
    try {
      sessionStorage.setItem(KEY, token);
    } catch {
      // kept in memory only
    }
    return { ok: true, token };
  }
  return refusal(res);
}

/** A refused answer of /api/login or /api/password. */
async function refusal(res: Response): Promise<Refusal> {
  if (res.status === 429) {
    const retryAfter = Number(res.headers.get('retry-after') ?? '60');
    return { ok: false, reason: 'locked', retryAfter: Number.isFinite(retryAfter) ? retryAfter : 60 };
  }
  if (res.status === 401) return { ok: false, reason: 'wrong' };
  if (res.status === 400 || res.status === 403) {
    const body = (await res.json().catch(() => ({}))) as { error?: unknown };
    if (typeof body.error === 'string') return { ok: false, reason: 'refused', message: body.error };
  }
  return { ok: false, reason: 'unreachable', message: `HTTP ${res.status}` };
}

/** A new admin password from this session (the others end; this one stays). */
export async function changePassword(
  token: string,
  current: string,
  password: string,
): Promise<PasswordOutcome> {
  let res: Response;
  try {
    res = await fetch('/api/password', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ current, password }),
    });
  } catch (err) {
    return { ok: false, reason: 'unreachable', message: (err as Error).message };
  }
  if (res.status === 200) {
    const body = (await res.json()) as { sessionsEnded: number; configured: boolean };
    return { ok: true, sessionsEnded: body.sessionsEnded, configured: body.configured };
  }
  // 401 is a wrong current password, or (said otherwise) no session any more.
  if (res.status === 401) {
    const body = (await res
      .clone()
      .json()
      .catch(() => ({}))) as { error?: unknown };
    if (typeof body.error === 'string' && !body.error.startsWith('current:'))
      return { ok: false, reason: 'ended' };
  }
  return refusal(res);
}

/** Whether the server still knows the token (false: expired or revoked). Throws when unreachable. */
export async function sessionValid(token: string): Promise<boolean> {
  const res = await fetch('/api/session', { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  if (res.status === 401) return false;
  return true;
}

export async function logout(token: string): Promise<void> {
  forgetToken();
  try {
    await fetch('/api/logout', { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  } catch {
    // the server is gone: the token dies with it
  }
}

export function wsUrl(token: string): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${location.host}/ws?token=${encodeURIComponent(token)}`;
}
