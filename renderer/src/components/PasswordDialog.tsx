// The header's "Change password" (a browser's session only: the desktop window has no login): the current
// password and the new one twice, checked here first (IMS_ADMIN_PASSWORD's rule, the two alike), then
// POST /api/password. A wrong current password counts as a failed login, so it is said as the login says
// it; the field at fault is marked, described and focused. Once changed, every other session has ended and
// this one stays; the dialog says so, and that IMS_ADMIN_PASSWORD at the next start puts its own back.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { changePassword, type PasswordOutcome } from '../api/auth';
import type { MessageKey } from '../i18n/i18n';
import { useShell, useT } from '../store/shell';
import { Dialog } from './common';

/** As core/http/admin-auth.ts's MIN_PASSWORD_LENGTH and MAX_PASSWORD_LENGTH (the server checks again). */
const MIN_LENGTH = 8;
const MAX_LENGTH = 1024;

type Field = 'current' | 'next' | 'repeat';
type Problem = { key: MessageKey; vars?: Record<string, string | number>; field: Field | null };

/** Why the form is not sent, or null. */
function formProblem(next: string, repeat: string): Problem | null {
  if ([...next].length < MIN_LENGTH) return { key: 'password.short', vars: { n: MIN_LENGTH }, field: 'next' };
  if (next.length > MAX_LENGTH) return { key: 'password.long', vars: { n: MAX_LENGTH }, field: 'next' };
  if (next !== repeat) return { key: 'password.differ', field: 'repeat' };
  return null;
}

/** What a refusal says, and the field it is about. */
function refusalProblem(outcome: Exclude<PasswordOutcome, { ok: true }>): Problem {
  switch (outcome.reason) {
    case 'wrong':
      return { key: 'password.wrong', field: 'current' };
    case 'locked':
      return { key: 'password.locked', vars: { n: outcome.retryAfter }, field: null };
    case 'ended':
      return { key: 'login.expired', field: null };
    case 'refused':
      return {
        key: 'password.refused',
        vars: { message: outcome.message },
        field: outcome.message.startsWith('password:') ? 'next' : null,
      };
    default:
      return { key: 'login.unreachable', vars: { message: outcome.message }, field: null };
  }
}

export function PasswordDialog({ token, onClose }: { token: string; onClose: () => void }) {
  const t = useT();
  const [values, setValues] = useState<Record<Field, string>>({ current: '', next: '', repeat: '' });
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ sessionsEnded: number; configured: boolean } | null>(null);
  const problemId = useId();
  const ruleId = useId();
  const noteId = useId();
  const inputs = useRef<Partial<Record<Field, HTMLInputElement | null>>>({});
  useEffect(() => {
    if (problem?.field) inputs.current[problem.field]?.focus();
  }, [problem]);
  // The session ended while the dialog was open (logged out, expired): the console goes to the login page.
  const open = useShell((s) => s.session.kind === 'open');
  if (!open) return null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local = formProblem(values.next, values.repeat);
    if (local !== null) {
      setProblem(local);
      return;
    }
    setBusy(true);
    const outcome = await changePassword(token, values.current, values.next);
    setBusy(false);
    if (outcome.ok) setDone(outcome);
    else setProblem(refusalProblem(outcome));
  };

  /** A password field; `hint` says its rule under it (its description, after a problem about it). */
  const input = (field: Field, name: string, label: MessageKey, autoComplete: string, hint?: string) => {
    const faulty = problem?.field === field;
    const described = [faulty ? problemId : undefined, hint === undefined ? undefined : ruleId]
      .filter(Boolean)
      .join(' ');
    return (
      <label className="field">
        <span>{t(label)}</span>
        <input
          ref={(el) => {
            inputs.current[field] = el;
          }}
          type="password"
          className="input"
          // The names the browser tests find them by, in either language (as the login's Password).
          aria-label={name}
          aria-invalid={faulty}
          aria-describedby={described === '' ? undefined : described}
          autoComplete={autoComplete}
          autoFocus={field === 'current'}
          value={values[field]}
          onChange={(e) => {
            setValues({ ...values, [field]: e.target.value });
            if (faulty) setProblem({ ...problem, field: null });
          }}
        />
        {hint !== undefined && <span id={ruleId}>{hint}</span>}
      </label>
    );
  };

  if (done !== null) {
    return (
      <Dialog title={t('password.title')} describedBy={noteId} onClose={onClose}>
        <p id={noteId} role="status">
          {t('password.done', { n: done.sessionsEnded })}
          {done.configured && ` ${t('password.doneConfigured')}`}
        </p>
        <div className="dialog-buttons">
          <button type="button" className="btn btn-primary" autoFocus onClick={onClose}>
            {t('common.close')}
          </button>
        </div>
      </Dialog>
    );
  }
  const empty = values.current === '' || values.next === '' || values.repeat === '';
  return (
    <Dialog title={t('password.title')} describedBy={noteId} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)}>
        <p id={noteId} className="dim">
          {t('password.note')}
        </p>
        {input('current', 'Current password', 'password.current', 'current-password')}
        {input('next', 'New password', 'password.new', 'new-password', t('password.rule', { n: MIN_LENGTH }))}
        {input('repeat', 'Repeat new password', 'password.repeat', 'new-password')}
        {problem && (
          <p className="field-error" role="alert" id={problemId}>
            {t(problem.key, problem.vars)}
          </p>
        )}
        <div className="dialog-buttons">
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || empty}>
            {t('password.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
