// Small shared pieces: a view's frame (title, toolbar, stale-data banner), a search field, loading and
// error states, a confirmation dialog, a modal dialog, and the outcome line of an MML action.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { ExecuteResult } from '../../../core/control/contract';
import { useShell, useT } from '../store/shell';
import type { MessageKey } from '../i18n/i18n';
import { clockTime, serverNow, two } from './local-time';
import { downloadAnswered, type ExportDownload } from '../api/download';
import { errorMessage, isConnectionError } from './error-text';
import { outcomeUnknown } from '../api/client';
import { focusInPlace, placeOf } from './focus-rescue';
import { cycleFocus } from './focus-cycle';

export function ViewFrame({
  title,
  code,
  toolbar,
  children,
  focusable = false,
}: {
  title: string;
  code: string;
  toolbar?: ReactNode;
  children: ReactNode;
  /**
   * The view itself takes the focus (one Tab stop, named by its title), so that the keyboard can scroll a
   * view taller than the window with nothing else focusable in it (charts).
   */
  focusable?: boolean;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  // A view opened from a control of another (Show messages in Calls or the CDR) took that control away
  // with the view it was in: the focus starts at this view's heading, not at the top of the page.
  useEffect(() => {
    const focused = document.activeElement;
    if (focused === null || focused === document.body) heading.current?.focus();
  }, []);
  return (
    <section className="view" aria-labelledby="panel-title" tabIndex={focusable ? 0 : undefined}>
      <div className="panel-head">
        {/* Focusable from script only: where the focus goes when what had it is gone (focus-rescue.ts). */}
        <h2 id="panel-title" ref={heading} tabIndex={-1}>
          {title}
        </h2>
        {/* The original's code for the view ("USR"): shown, not read after the heading (as in the
            navigation). */}
        <span className="panel-code" aria-hidden="true">
          {code}
        </span>
        <span className="header-spacer" />
        {toolbar}
      </div>
      <StaleBanner />
      {children}
    </section>
  );
}

/** A toolbar's day (YYYY-MM-DD, the browser's date picker), labelled `label`, its accessible name too. */
export function DateField({
  label,
  value,
  onChange,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <label>
      {label}
      <input
        type="date"
        className="input"
        aria-label={label}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </label>
  );
}

/**
 * A toolbar's search or filter field: its accessible name is `label`, its placeholder the same; `title`
 * says what it matches when the label cannot.
 */
export function SearchField({
  label,
  placeholder = label,
  title,
  value,
  onChange,
  short = false,
  className = short ? 'input input-short' : 'input',
}: {
  label: string;
  placeholder?: string;
  title?: string;
  value: string;
  onChange: (value: string) => void;
  short?: boolean;
  className?: string;
}) {
  return (
    <input
      type="search"
      className={className}
      aria-label={label}
      title={title}
      placeholder={placeholder}
      value={value}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

/**
 * A table row's action button: shows `label`; its accessible name is `label` and the row's `subject`
 * ("Edit 1001"), so that each row's button is found by name.
 */
export function RowAction({
  label,
  subject,
  danger = false,
  onClick,
}: {
  label: string;
  subject: string;
  danger?: boolean;
  onClick: () => void;
}) {
  return (
    <button
      type="button"
      className={danger ? 'btn btn-small btn-danger' : 'btn btn-small'}
      aria-label={`${label} ${subject}`}
      onClick={onClick}
    >
      {label}
    </button>
  );
}

/** Says so when the console is not connected: what is shown is not live. */
export function StaleBanner() {
  const t = useT();
  const connection = useShell((s) => s.connection);
  const lostAt = useShell((s) => s.lostAt);
  if (connection === 'connected') return null;
  const time = lostAt === null ? '—' : clockTime(lostAt);
  return (
    <div className="banner banner-warn" role="alert">
      {t('conn.stale', { time })}
    </div>
  );
}

/**
 * Calls `reload` when the console is connected again after losing the appliance (not on the first
 * connection: the view loads then by itself). A view that loads a snapshot on demand (not a followed
 * topic, which the client resyncs) would otherwise keep its error, or its old page, until Retry.
 */
export function useReloadWhenBack(reload: () => void): void {
  const connection = useShell((s) => s.connection);
  const before = useRef(connection);
  useEffect(() => {
    const was = before.current;
    before.current = connection;
    if (connection === 'connected' && was !== 'connected' && was !== 'connecting') reload();
  }, [connection, reload]);
}

export function Loading() {
  const t = useT();
  return <div className="state-msg">{t('common.loading')}</div>;
}

/**
 * A load that failed. One that failed because the appliance is away says nothing more than the stale
 * banner above it already does (two banners said the same); the view loads again once connected
 * (useReloadWhenBack).
 */
export function ErrorState({ message, onRetry }: { message: string; onRetry?: () => void }) {
  const t = useT();
  const live = useShell((s) => s.connection === 'connected');
  if (!live && isConnectionError(message)) return null;
  return (
    <div className="banner banner-error" role="alert">
      {t('common.error', { message: errorMessage(t, message) })}
      {onRetry && (
        <button type="button" className="btn" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

/** A modal dialog (the native <dialog>: the page behind inert, Escape for free; Tab cycles inside it). */
export function Dialog({
  title,
  describedBy,
  onClose,
  children,
}: {
  title: string;
  /** The id of what says what the dialog is about (a confirmation's question). */
  describedBy?: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  // What had the focus when it opened (read at the first render, before the dialog takes it): it gets it
  // back when the dialog goes, as a keyboard user expects (the dialog leaves the page, so the browser's
  // own return of focus does not happen). An opener gone meanwhile (its row deleted) leaves its place:
  // the row now at its index, else the view's heading.
  const opener = useRef(document.activeElement);
  const [place] = useState(() => placeOf(document.activeElement));
  useEffect(() => {
    const d = ref.current;
    const back = opener.current;
    if (d && !d.open) d.showModal();
    return () => {
      d?.close();
      if (back instanceof HTMLElement && back.isConnected) back.focus();
      else focusInPlace(place);
    };
  }, [place]);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-label={title}
      aria-describedby={describedBy}
      onKeyDown={cycleFocus}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h3 className="dialog-title">{title}</h3>
      {children}
    </dialog>
  );
}

/**
 * A confirmation asked for: its title and question as message keys with their values, translated when
 * the dialog renders, so that a language switch while it is open re-renders it whole (text translated
 * once and stored stayed in the language left).
 */
export interface Confirmation {
  title: MessageKey;
  text: MessageKey;
  vars?: Record<string, string | number>;
  command: string;
}

/** The dialog of a Confirmation asked for, if any: its MML command runs once confirmed. */
export function AskedConfirmation({
  confirm,
  run,
  onClose,
}: {
  confirm: Confirmation | null;
  run: (command: string) => unknown;
  onClose: () => void;
}) {
  const t = useT();
  if (confirm === null) return null;
  return (
    <ConfirmDialog
      title={t(confirm.title, confirm.vars)}
      text={t(confirm.text, confirm.vars)}
      onConfirm={() => void run(confirm.command)}
      onClose={onClose}
    />
  );
}

/**
 * Asks before an action that cannot be undone. Named by the action (`title`: "Delete user 1001", not
 * "Confirm") and described by its question, so that a screen reader says both as it opens. The focus
 * starts on Cancel (showModal's first control): Enter alone does not delete.
 */
export function ConfirmDialog({
  title,
  text,
  onConfirm,
  onClose,
}: {
  title: string;
  text: string;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const t = useT();
  const question = useId();
  return (
    <Dialog title={title} describedBy={question} onClose={onClose}>
      <p id={question}>{text}</p>
      <div className="dialog-buttons">
        <button type="button" className="btn" onClick={onClose}>
          {t('common.cancel')}
        </button>
        <button
          type="button"
          className="btn btn-danger"
          onClick={() => {
            onConfirm();
            onClose();
          }}
        >
          {t('common.confirm')}
        </button>
      </div>
    </Dialog>
  );
}

/** `offline`: it failed because the appliance was away, which says nothing once it is back. */
export type Outcome = { ok: boolean; text: string; offline?: boolean } | null;

/** The outcome of an MML action as one line (the first result's message). */
export function outcomeOf(
  t: ReturnType<typeof useT>,
  r: ExecuteResult | Error,
): { ok: boolean; text: string; offline?: boolean } {
  if (r instanceof Error) {
    // Sent, never answered, the connection gone: it may have been done. Not a failure, and not hidden
    // once the console is back (an offline one is).
    if (outcomeUnknown(r)) return { ok: false, text: t('common.outcomeUnknown') };
    const text = t('common.error', { message: errorMessage(t, r.message) });
    return isConnectionError(r.message) ? { ok: false, text, offline: true } : { ok: false, text };
  }
  const bad = r.results.find((x) => x.retcode !== 0);
  if (bad) return { ok: false, text: t('common.failed', { code: bad.retcode, message: bad.message }) };
  return { ok: true, text: t('common.done', { message: r.results.map((x) => x.message).join('; ') }) };
}

/**
 * The outcome line: one live region that stays in the page, empty (and out of the layout) until an
 * outcome is said; its text changes in place. A status inserted with its text already in it is not read
 * out by every screen reader.
 */
export function OutcomeLine({ outcome }: { outcome: Outcome }) {
  // "Error: not connected" stayed under a view reconnected and reloaded, until the view was left.
  const live = useShell((s) => s.connection === 'connected');
  const shown = outcome !== null && !(outcome.offline === true && live) ? outcome : null;
  return (
    <div
      className={shown === null ? 'outcome-empty' : `outcome ${shown.ok ? 'outcome-ok' : 'outcome-bad'}`}
      role="status"
    >
      {shown?.text}
    </div>
  );
}

/** How long a search's count must hold still (its answer arrived, the typing paused) before it is said. */
const FOUND_SETTLE_MS = 500;

/**
 * What a search or filter found, said once to a screen reader (WCAG 4.1.3) as Registrations says it: a
 * polite live region, hidden, that speaks `text` (e.g. "Users found: 3") once it has held still after
 * `filter` changed (the typing paused and the answer came), and not again as live rows change the count
 * under the same filter; nothing with no filter (''). Not role="status": a view's one status is its
 * outcome line.
 */
export function FoundStatus({ filter, text }: { filter: string; text: string }) {
  const [said, setSaid] = useState<{ filter: string; text: string } | null>(null);
  useEffect(() => {
    if (filter === '' || said?.filter === filter) return;
    const timer = setTimeout(() => setSaid({ filter, text }), FOUND_SETTLE_MS);
    return () => clearTimeout(timer);
  }, [filter, text, said]);
  return (
    <div className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="found">
      {filter !== '' && said?.filter === filter ? said.text : ''}
    </div>
  );
}

/**
 * An outcome line that belongs to what it describes: it is shown only while `context` (the language,
 * the filters, the dialog it was about) is still the one it was set in, so a line never speaks of
 * something no longer on screen, nor in the language the page has left.
 */
export function useOutcomeFor(context: string): [Outcome, (outcome: Outcome) => void] {
  const [held, setHeld] = useState<{ outcome: Outcome; context: string }>({ outcome: null, context });
  return [held.context === context ? held.outcome : null, (outcome) => setHeld({ outcome, context })];
}

/** After this long a dashboard action's wait for its answer is said (with since when). */
export const ACTION_WAIT_TOLD_AFTER_MS = 3000;

/**
 * Runs an MML command from a dashboard button and keeps its outcome line (until the language changes).
 * With `download`, in a browser (a headless appliance's console, whose data folder it cannot reach), the
 * file the command wrote is downloaded too; one written but not fetched is a failure to say.
 */
export function useMmlAction(): [
  Outcome,
  (command: string, download?: ExportDownload) => Promise<boolean>,
  /** Clears the outcome line (what it spoke of has changed). */
  () => void,
  /** Says the outcome of a command run elsewhere (a dialog's). */
  (outcome: Outcome) => void,
] {
  const t = useT();
  const client = useShell((s) => s.client);
  const lang = useShell((s) => s.lang);
  const session = useShell((s) => s.session);
  const [outcome, setOutcome] = useOutcomeFor(lang);
  const run = async (command: string, download?: ExportDownload): Promise<boolean> => {
    if (!client) return false;
    // Not answered within a few seconds (a cut link, a hung server, a long command): said, with since when,
    // so that it is not taken for nothing happening and run again; the outcome replaces it when it comes.
    const since = serverNow();
    const waiting = setTimeout(
      () => setOutcome({ ok: true, text: t('common.waiting', { time: clockTime(since) }) }),
      ACTION_WAIT_TOLD_AFTER_MS,
    );
    try {
      const r = await client.execute(command);
      const o = outcomeOf(t, r);
      if (o.ok && download !== undefined)
        await downloadAnswered(r.text, download, session.kind === 'open' ? session.token : null);
      setOutcome(o);
      return o.ok;
    } catch (err) {
      setOutcome(outcomeOf(t, err as Error));
      return false;
    } finally {
      clearTimeout(waiting);
    }
  };
  return [outcome, run, () => setOutcome(null), setOutcome];
}

/** Previous / Next through a list the server gives `size` at a time, and which rows are shown. */
export function Pager({
  offset,
  size,
  total,
  onOffset,
  shown,
}: {
  offset: number;
  size: number;
  total: number;
  onOffset: (offset: number) => void;
  /** Rows on this page: "Showing 501–1,000 of 5,198" after the buttons. */
  shown?: number;
}) {
  const t = useT();
  return (
    <div className="pager">
      <button
        type="button"
        className="btn btn-small"
        disabled={offset === 0}
        onClick={() => onOffset(Math.max(0, offset - size))}
      >
        {t('common.previous')}
      </button>
      <button
        type="button"
        className="btn btn-small"
        disabled={offset + size >= total}
        onClick={() => onOffset(offset + size)}
      >
        {t('common.next')}
      </button>
      {shown !== undefined && (
        <span>
          {t('common.showing', { shown: shown === 0 ? 0 : `${offset + 1}–${offset + shown}`, total })}
        </span>
      )}
    </div>
  );
}

/** Re-renders every `ms` (countdowns, durations); now on the server's clock. */
export function useTick(ms = 1000): number {
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    const id = setInterval(() => setNow(serverNow()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

/** This browser's steady clock (performance.now()), read again every `ms` (own-clock.ts counts on it). */
export function useSteadyTick(ms = 1000): number {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    const id = setInterval(() => setNow(performance.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

/** `value` once it has stayed the same for `ms` (a search sent when typing pauses, not at each key). */
export function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return settled;
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${two(m)}:${two(s % 60)}` : `${two(m)}:${two(s % 60)}`;
}
