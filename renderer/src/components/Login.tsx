// The browser login page: one password field, a clear error for a wrong password, the lockout as
// "try again in N s" (counting down on screen, announced once), and a notice when a session ended.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { login } from '../api/auth';
import { useShell, useT } from '../store/shell';

export function Login({ onToken }: { onToken: (token: string) => void }) {
  const t = useT();
  const session = useShell((s) => s.session);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  // The password was refused as wrong: the field says so (aria-invalid), described by the message.
  const [wrong, setWrong] = useState(false);
  const errorId = useId();
  const [lockedUntil, setLockedUntil] = useState(0);
  // The wait as the server first said it: announced once, while the shown number counts down.
  const [lockedFor, setLockedFor] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (lockedUntil <= now) return;
    const id = setTimeout(() => setNow(Date.now()), 1000);
    return () => clearTimeout(id);
  }, [lockedUntil, now]);

  const left = Math.ceil((lockedUntil - now) / 1000);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const outcome = await login(password);
    setBusy(false);
    if (outcome.ok) {
      onToken(outcome.token);
      return;
    }
    setWrong(outcome.reason === 'wrong');
    if (outcome.reason === 'wrong') setError(t('login.wrong'));
    else if (outcome.reason === 'locked') {
      setLockedUntil(Date.now() + outcome.retryAfter * 1000);
      setLockedFor(outcome.retryAfter);
      setNow(Date.now());
      setError(null);
    } else if (outcome.reason === 'refused') setError(t('login.refused', { message: outcome.message }));
    else setError(t('login.unreachable', { message: outcome.message }));
  };

  return (
    <main className="login">
      <form className="login-box" onSubmit={submit}>
        <h2>{t('login.title')}</h2>
        {session.kind === 'login' && session.notice === 'expired' && (
          <p className="banner banner-warn" role="status">
            {t('login.expired')}
          </p>
        )}
        <label className="field">
          <span>{t('login.password')}</span>
          <input
            type="password"
            className="input"
            aria-label="Password"
            aria-invalid={wrong}
            aria-describedby={wrong && left <= 0 ? errorId : undefined}
            autoComplete="current-password"
            autoFocus
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {left > 0 ? (
          // A screen reader hears the lockout once (the alert's text does not change); the countdown is
          // for the eye (an alert whose text changed each second was read out each second).
          <p className="banner banner-error">
            <span role="alert" className="visually-hidden">
              {t('login.locked', { n: lockedFor })}
            </span>
            <span aria-hidden="true">{t('login.locked', { n: left })}</span>
          </p>
        ) : (
          error && (
            <p className="banner banner-error" role="alert" id={errorId}>
              {error}
            </p>
          )
        )}
        {/* Its accessible name stays English in every language, as the Password field's does (README, The console). */}
        <button
          type="submit"
          className="btn btn-primary"
          aria-label="Log in"
          disabled={busy || left > 0 || password === ''}
        >
          {t('login.submit')}
        </button>
        <p className="login-hint">{t('login.hint')}</p>
      </form>
    </main>
  );
}
