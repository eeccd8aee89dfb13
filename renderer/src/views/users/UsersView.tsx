// Users: a searchable, paged, virtualized table; add, edit and delete dialogs that run ADD/MOD/RMV USER
// (so they land in the command history); bulk import with IMP USER, whose answer names the bad rows
// (nothing is changed then). The table reloads whenever the users change (the users topic), by whatever
// means: MML from any console, STR DIALSVC's account, the CLI's import beside the server.
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { ExecuteResult, UserData } from '../../../../core/control/contract';
import { mml } from '../../api/mml-text';
import { DataTable, type Column } from '../../components/DataTable';
import {
  ConfirmDialog,
  Dialog,
  ErrorState,
  Loading,
  OutcomeLine,
  type Outcome,
  Pager,
  outcomeOf,
  RowAction,
  FoundStatus,
  SearchField,
  useMmlAction,
  useReloadWhenBack,
  ViewFrame,
} from '../../components/common';
import { useClient, useShell, useT } from '../../store/shell';
import { useReloadOnChanges } from '../../components/use-changes';
import { uploadImport } from '../../api/download';
import { FileButton } from '../../components/FileButton';
import {
  emptyForm,
  faultField,
  formOf,
  userCommand,
  USERS_PAGE,
  useUserDraft,
  useUsers,
  type UserForm,
} from './store';
import { thrownText, useGoneWhenBack } from '../../components/error-text';
import { changedRefusal } from './conflict';

const STATUSES = ['ACTIVE', 'INACTIVE', 'SUSPENDED'];
/** The table reloads on the users' changes at most this often (ms). */
const USERS_RELOAD_MS = 1000;
/** EXP USER's file, downloaded in a browser (core/http/data-files.ts). */
const USERS_EXPORT = { route: '/api/data-export/', file: /(users_export_[\w-]+\.json)/ };
const SERVICES = ['BASIC', 'PREMIUM', 'VIP', 'ENTERPRISE'];
/** The columns' widths added up (1,110 px): narrower, the table scrolls instead of squeezing one to 0. */
const USERS_MIN_WIDTH = '1110px';

export default function UsersView() {
  const t = useT();
  const client = useClient();
  const { search, offset, users, total, setSearch, setOffset } = useUsers();
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // A dialog left open by a session that ended (or a visit to another view) opens again as it was.
  const [editing, setEditing] = useState<{ user: UserData | null } | null>(() => {
    const draft = useUserDraft.getState().draft;
    return draft === null ? null : { user: draft.user };
  });
  const closeEditing = () => {
    useUserDraft.setState({ draft: null });
    setEditing(null);
  };
  const [deleting, setDeleting] = useState<UserData | null>(null);
  const [importing, setImporting] = useState(false);
  const [outcome, run, , show] = useMmlAction();

  const load = useCallback(() => {
    client
      .snapshot('users', { offset, limit: USERS_PAGE, ...(search.trim() ? { search: search.trim() } : {}) })
      .then(
        (page) => {
          // Past the end after others' deletions ("Showing 0 of 320", only Previous left): the last page
          // that has rows instead, as the CDR view goes back to its newest page after a clear.
          if (page.users.length === 0 && page.total > 0 && offset > 0) {
            setOffset(Math.floor((page.total - 1) / USERS_PAGE) * USERS_PAGE);
            return;
          }
          useUsers.setState({ users: page.users, total: page.total });
          setLoaded(true);
          setError(null);
        },
        (err: Error) => setError(err.message),
      );
  }, [client, offset, search, setOffset]);

  useEffect(load, [load]);
  useReloadWhenBack(load);

  // Any change to the users reloads the page: a user command from here, the terminal or another console,
  // the dialer's account made by STR DIALSVC, a `users import` run beside the server.
  // At most one read a second whatever the rate of changes (useReloadOnChanges).
  useReloadOnChanges('users', load, USERS_RELOAD_MS);

  // Every column has its width (the E-mail one took what the others left: nothing at 1,024 px, with
  // percentages beside 520 px of fixed columns); below USERS_MIN_WIDTH the table scrolls sideways, the
  // actions pinned in view. Status comes third, so a narrow window shows it whole beside the name (fifth, it
  // lay under the pinned actions at 1,024 px: "INACTI").
  const columns: Column<UserData>[] = [
    { key: 'username', header: t('users.username'), cell: (u) => u.username, width: '120px' },
    { key: 'displayName', header: t('users.displayName'), cell: (u) => u.displayName, width: '150px' },
    {
      key: 'status',
      header: t('users.status'),
      width: '100px',
      cell: (u) => <span className={`tag ${u.status === 'ACTIVE' ? 'tag-ok' : 'tag-warn'}`}>{u.status}</span>,
    },
    { key: 'phone', header: t('users.phone'), cell: (u) => u.phone, width: '120px' },
    { key: 'email', header: t('users.email'), cell: (u) => u.email, width: '200px' },
    { key: 'service', header: t('users.service'), cell: (u) => u.serviceType, width: '100px' },
    {
      key: 'updated',
      header: t('users.updated'),
      cell: (u) => u.updateTime.replace('T', ' ').slice(0, 19),
      width: '170px',
      className: 'mono',
    },
    {
      key: 'actions',
      header: t('users.actions'),
      width: '150px',
      pinned: true,
      cell: (u) => (
        <span className="cell-actions">
          <RowAction label={t('users.edit')} subject={u.username} onClick={() => setEditing({ user: u })} />
          <RowAction label={t('users.delete')} subject={u.username} danger onClick={() => setDeleting(u)} />
        </span>
      ),
    },
  ];

  return (
    <ViewFrame
      title={t('view.users')}
      code="USR"
      toolbar={
        <div className="toolbar">
          <SearchField
            label={t('users.searchLabel')}
            placeholder={t('common.search')}
            value={search}
            onChange={setSearch}
          />
          <button type="button" className="btn btn-primary" onClick={() => setEditing({ user: null })}>
            {t('users.add')}
          </button>
          <button type="button" className="btn" onClick={() => setImporting(true)}>
            {t('users.import')}
          </button>
          <button type="button" className="btn" onClick={() => void run('EXP USER', USERS_EXPORT)}>
            {t('users.export')}
          </button>
        </div>
      }
    >
      <OutcomeLine outcome={outcome} />
      <FoundStatus filter={search.trim()} text={t('users.found', { n: total })} />
      {error && <ErrorState message={error} onRetry={load} />}
      <Pager offset={offset} size={USERS_PAGE} total={total} onOffset={setOffset} shown={users.length} />
      {!loaded && !error ? (
        <Loading />
      ) : (
        <>
          <DataTable
            label={t('view.users')}
            columns={columns}
            rows={users}
            rowKey={(u) => u.username}
            minWidth={USERS_MIN_WIDTH}
            empty={t('common.none')}
          />
        </>
      )}
      {editing && <UserDialog user={editing.user} onSaved={show} onClose={closeEditing} />}
      {deleting && (
        <ConfirmDialog
          title={t('users.deleteTitle', { name: deleting.username })}
          text={t('users.deleteConfirm', { name: deleting.username })}
          onConfirm={() => void run(mml('RMV USER', { USERNAME: deleting.username, CONFIRM: 'YES' }))}
          onClose={() => setDeleting(null)}
        />
      )}
      {importing && <ImportDialog onClose={() => setImporting(false)} />}
    </ViewFrame>
  );
}

function UserDialog({
  user,
  onSaved,
  onClose,
}: {
  user: UserData | null;
  /** Says what was saved on the view's outcome line ('Done: User 3001 added'): the dialog goes. */
  onSaved: (outcome: Outcome) => void;
  onClose: () => void;
}) {
  const t = useT();
  const client = useClient();
  // The user as the form read it (Reload reads it again): Save's MOD USER is based on its Updated time.
  const [base, setBase] = useState<UserData | null>(user);
  const [form, setForm] = useState<UserForm>(() => {
    const draft = useUserDraft.getState().draft;
    if (draft !== null && draft.user?.username === user?.username) return draft.form;
    return user ? formOf(user) : emptyForm();
  });
  // Kept while the dialog is open, the password left out: typed again after a new login.
  useEffect(
    () => useUserDraft.setState({ draft: { user: base, form: { ...form, password: '' } } }),
    [base, form],
  );
  const { user: latest, check } = useLatestUser(base?.username);
  // A form not edited yet simply shows the user as it is now (the row it was opened from may be a moment
  // old: the view reads its page at most once a second).
  if (base !== null && latest && latest.updateTime !== base.updateTime && untouched(form, base)) {
    setBase(latest);
    setForm(formOf(latest));
  }
  // Another operator (a console, MML, an import) changed or removed the user while the form was edited.
  const under =
    base === null || latest === undefined
      ? null
      : latest === null
        ? 'removed'
        : latest.updateTime !== base.updateTime
          ? 'changed'
          : null;
  const reload = () => {
    if (latest === null || latest === undefined) return;
    setBase(latest);
    setForm({ ...formOf(latest), password: form.password });
    setProblem(null);
  };
  // The server's refusal, and the field it names: that field is marked invalid, described by the
  // refusal and focused (WCAG 3.3.1), where the message stood alone under the form.
  // It is the server's answer in the language it was asked in: it goes when the language changes, as an
  // outcome line does (useOutcomeFor).
  const lang = useShell((s) => s.lang);
  const [held, setProblem] = useState<{
    text: string;
    field: keyof UserForm | null;
    lang: string;
    offline?: boolean;
  } | null>(null);
  const problem = held?.lang === lang ? held : null;
  useGoneWhenBack(
    held?.offline === true,
    useCallback(() => setProblem(null), []),
  );
  const [busy, setBusy] = useState(false);
  const problemId = useId();
  const controls = useRef<Partial<Record<keyof UserForm, HTMLInputElement | HTMLSelectElement | null>>>({});
  useEffect(() => {
    if (problem?.field) controls.current[problem.field]?.focus();
  }, [problem]);
  /** What marks the field the refusal names. */
  const fault = (key: keyof UserForm) =>
    problem?.field === key ? { 'aria-invalid': true, 'aria-describedby': problemId } : {};
  const edit = (key: keyof UserForm, value: string) => {
    setForm({ ...form, [key]: value });
    if (problem?.field === key) setProblem({ ...problem, field: null });
  };
  const field = (key: keyof UserForm, label: string, type = 'text', required = false) => (
    <label className="field">
      <span>
        {label}
        {required && <span aria-hidden="true"> *</span>}
      </span>
      <input
        ref={(el) => {
          controls.current[key] = el;
        }}
        className="input"
        type={type}
        aria-label={label}
        required={required}
        {...fault(key)}
        value={form[key]}
        disabled={key === 'username' && user !== null}
        onChange={(e) => edit(key, e.target.value)}
      />
    </label>
  );
  const select = (key: keyof UserForm, label: string, values: string[], kept?: string) => (
    <label className="field">
      <span>{label}</span>
      <select
        ref={(el) => {
          controls.current[key] = el;
        }}
        aria-label={label}
        {...fault(key)}
        value={form[key]}
        onChange={(e) => edit(key, e.target.value)}
      >
        {values.map((v) => (
          <option key={v}>{v}</option>
        ))}
        {kept !== undefined && !values.includes(kept) && (
          <option value={kept}>{t('users.serviceKept', { value: kept })}</option>
        )}
      </select>
    </label>
  );
  // Save waits for what ADD USER needs, and says so.
  const incomplete = form.username.trim() === '' || (!user && form.password === '');
  const submit = async () => {
    const command = userCommand(form, base);
    if (command === null) return onClose();
    setBusy(true);
    let r: ExecuteResult | Error;
    try {
      r = await client.execute(command);
    } catch (err) {
      r = err as Error;
    }
    setBusy(false);
    const o = outcomeOf(t, r);
    if (o.ok) {
      onSaved(o);
      onClose();
    } else {
      // Changed since the form read it: said with the table's times, pointing at Reload (the notice below).
      const changed = r instanceof Error ? null : changedRefusal(t, o.text);
      setProblem({
        text: changed ?? o.text,
        field: r instanceof Error || changed !== null ? null : faultField(r),
        lang,
        offline: o.offline,
      });
      // Refused as changed or removed since: the notice below says which (and offers Reload).
      check();
    }
  };
  return (
    <Dialog
      title={user ? t('users.editTitle', { name: user.username }) : t('users.addTitle')}
      onClose={onClose}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        {field('username', t('users.username'), 'text', !user)}
        {field('password', user ? t('users.passwordKeep') : t('users.password'), 'password', !user)}
        {field('displayName', t('users.displayName'))}
        {field('phone', t('users.phone'))}
        {field('email', t('users.email'))}
        {select('status', t('users.status'), STATUSES)}
        {/* A service type the original let through (GOLD), kept by the import: shown as it is, not as
            the list's first (BASIC), so what the dialog says and what Save keeps is the user's own. */}
        {select('service', t('users.service'), SERVICES, user?.serviceType)}
        {under !== null && (
          <p className="field-error" role="alert">
            {t(under === 'removed' ? 'users.removedUnder' : 'users.changedUnder')}{' '}
            {under === 'changed' && (
              <button type="button" className="btn btn-small" onClick={reload}>
                {t('users.reload')}
              </button>
            )}
          </p>
        )}
        {problem && (
          <p className="field-error" role="alert" id={problemId}>
            {problem.text}
          </p>
        )}
        {incomplete && <p className="dim">{t('users.required')}</p>}
        <div className="dialog-buttons">
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button
            type="submit"
            className="btn btn-primary"
            // Refused until reloaded once it is known to be changed (IF_UPDATED): Reload is the way on.
            disabled={busy || incomplete || under !== null}
          >
            {t('common.save')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Whether the form still holds the user as it was read (nothing typed: Reload would lose nothing). */
function untouched(form: UserForm, user: UserData): boolean {
  const read = formOf(user);
  return (Object.keys(read) as (keyof UserForm)[]).every((k) => form[k] === read[k]);
}

/**
 * The user as the server has it now, read again whenever the users change while the Edit dialog is open
 * (the users topic, at most once a second): undefined until known (or for Add), null once removed.
 * `check` reads it at once (a save refused).
 */
function useLatestUser(username: string | undefined): {
  user: UserData | null | undefined;
  check: () => void;
} {
  const client = useClient();
  const [latest, setLatest] = useState<UserData | null | undefined>(undefined);
  const check = useCallback(() => {
    if (username === undefined) return;
    client.snapshot('users', { search: username, limit: USERS_PAGE }).then(
      (page) => {
        const found = page.users.find((u) => u.username === username);
        // Not among the users whose fields contain the name: removed (more than a page of them: unknown).
        if (found !== undefined) setLatest(found);
        else if (page.total <= page.users.length) setLatest(null);
      },
      () => undefined, // not known: no notice (the connection's own banner says why)
    );
  }, [client, username]);
  useEffect(check, [check]); // as it is when the dialog opens (a draft reopened after a login: maybe older)
  useReloadOnChanges('users', check, USERS_RELOAD_MS);
  return { user: latest, check };
}

function ImportDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const client = useClient();
  const session = useShell((s) => s.session);
  // In a browser the data folder is on another machine: a file of this one is uploaded there first. The
  // desktop (no token) has no upload: its data folder is on this machine, named so the file goes there.
  const token = session.kind === 'open' ? session.token : null;
  const [dataDir, setDataDir] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    client.snapshot('status').then(
      (status) => live && setDataDir(status.dataDir),
      () => undefined, // the help then says "…" for the folder; IMP USER's answer names it too
    );
    return () => {
      live = false;
    };
  }, [client]);
  const dir = dataDir ?? '…';
  const fileLabel = token === null ? t('users.importFileDesktop') : t('users.importFile');
  const [file, setFile] = useState('');
  const [uploading, setUploading] = useState(false);
  const [format, setFormat] = useState('AUTO');
  const [mode, setMode] = useState('ADD');
  // `line`: the outcome in one line, said (a failure as an alert, as Add user's); `text`: MML's whole
  // answer (the echoed command, RETCODE, each bad row, --- END), shown under it and not read out.
  const [report, setReport] = useState<{ ok: boolean; line: string; text?: string } | null>(null);
  // An import of tens of thousands of users takes seconds: say so, and never run it twice at once.
  const [busy, setBusy] = useState(false);
  // What was imported (file, format, mode): Import again would add every row a second time (refused row by
  // row in ADD mode), so it waits for another file or mode, the answer left in view.
  const asked = `${file.trim()}\n${format}\n${mode}`;
  const [imported, setImported] = useState<string | null>(null);
  const submit = async () => {
    setBusy(true);
    setReport(null);
    try {
      const r = await client.execute(mml('IMP USER', { FILE: file, FORMAT: format, MODE: mode }));
      const outcome = outcomeOf(t, r);
      setReport({ ok: outcome.ok, line: outcome.text.split('\n')[0]!, text: r.text });
      if (outcome.ok) setImported(asked);
    } catch (err) {
      setReport({ ok: false, line: thrownText(t, err) });
    } finally {
      setBusy(false);
    }
  };
  const upload = async (chosen: File) => {
    if (token === null) return;
    setUploading(true);
    setReport(null);
    try {
      const kept = await uploadImport(chosen, token);
      setFile(kept);
      setReport({ ok: true, line: t('users.uploaded', { name: chosen.name, file: kept }) });
    } catch (err) {
      setReport({ ok: false, line: thrownText(t, err) });
    } finally {
      setUploading(false);
    }
  };
  return (
    <Dialog title={t('users.importTitle')} onClose={onClose}>
      <p className="dim">
        {token === null ? t('users.importHelpDesktop', { dir }) : t('users.importHelp', { dir })}
      </p>
      {token !== null && (
        <div className="field">
          <span>{t('users.uploadFile')}</span>
          <FileButton
            label={t('users.uploadFile')}
            text={t('users.chooseFile')}
            accept=".json,.csv"
            busy={busy || uploading}
            onFile={(file) => void upload(file)}
          />
        </div>
      )}
      <label className="field">
        <span>{fileLabel}</span>
        <input
          className="input mono"
          aria-label={fileLabel}
          value={file}
          onChange={(e) => setFile(e.target.value)}
        />
      </label>
      <label className="field">
        <span>{t('users.importFormat')}</span>
        <select
          aria-label={t('users.importFormat')}
          value={format}
          onChange={(e) => setFormat(e.target.value)}
        >
          {['AUTO', 'JSON', 'CSV'].map((v) => (
            <option key={v}>{v}</option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('users.importMode')}</span>
        <select aria-label={t('users.importMode')} value={mode} onChange={(e) => setMode(e.target.value)}>
          {['ADD', 'UPSERT'].map((v) => (
            <option key={v}>{v}</option>
          ))}
        </select>
      </label>
      {/* Live regions in the dialog from its opening: 'Importing…', then the outcome in one line (as the
          terminal's "Outcome of the last command"), a failure as an alert; MML's whole answer is shown
          under them, not read out (percent signs, dashes and a table were). */}
      <div role="status">
        {busy ? (
          <p className="dim">{t('users.importing')}</p>
        ) : (
          report?.ok === true && <p className="outcome outcome-ok">{report.line}</p>
        )}
      </div>
      <div role="alert">{!busy && report?.ok === false && <p className="field-error">{report.line}</p>}</div>
      {!busy && report?.text !== undefined && (
        <>
          <p className="dim">{t('users.importAnswer')}</p>
          <pre className={`log-full ${report.ok ? '' : 'log-level-ERROR'}`}>{report.text}</pre>
        </>
      )}
      {imported === asked && !busy && <p className="dim">{t('users.importedOnce')}</p>}
      <div className="dialog-buttons">
        <button type="button" className="btn" onClick={onClose}>
          {t('common.close')}
        </button>
        <button
          type="button"
          className="btn btn-primary"
          disabled={busy || uploading || file.trim() === '' || imported === asked}
          aria-busy={busy}
          onClick={() => void submit()}
        >
          {t('users.import')}
        </button>
      </div>
    </Dialog>
  );
}
