// What lifts a lock-out (lockout.ts) that refused something an operator started (STR DIALSVC's
// REGISTER): the 403 alone ("too many failed attempts") named neither RMV LOCKOUT nor the setting. The
// dialer's own socket is not held to the lock-out (authenticator.ts ownAgent); this is for the case it is
// reached all the same (an older IMS Lab registrar, a dialer sending from an address it does not expect).
import { LOCKED_OUT } from './auth-reply';

/** `403 Forbidden (...)`, and when it is the lock-out's 403, what lifts it for `source` (an address). */
export function refusalWithAdvice(status: number, reason: string, source: string): string {
  const text = `${status} ${reason}`;
  if (status !== 403 || reason !== LOCKED_OUT) return text;
  return (
    `${text}: ${source} is locked out after failed authentications; RMV LOCKOUT SOURCE=${source} lifts it ` +
    '(AUTH.LOCKOUT_SOURCE_FAILURES: how many failures from one address lock it, 0 never)'
  );
}
