// Every setting with its description (under its key, in the console's language), value, default,
// source and allowed values; editing runs SET CFG (checked in the form first), "Save" runs SAVE CFG.
// Settings that take effect only after a restart say so. The view reloads whenever a setting changes or
// is saved (the config topic), whoever changed it and by whichever command (SET CFG, SET TRACE, SET LOG).
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { Lang, SettingData, SnapshotResults } from '../../../../core/control/contract';
import { DataTable, type Column } from '../../components/DataTable';
import {
  Dialog,
  ErrorState,
  Loading,
  OutcomeLine,
  outcomeOf,
  type Outcome,
  RowAction,
  FoundStatus,
  SearchField,
  useMmlAction,
  useReloadWhenBack,
  ViewFrame,
} from '../../components/common';
import { useClient, useShell, useT } from '../../store/shell';
import { useChanges } from '../../components/use-changes';
import { zhSettingHelp } from '../../../../core/mml/zh-settings';
import { zhAllowed } from '../../../../core/mml/zh-params';
import { checkValue, removableSecret, valueText } from './validate';
import { changedUnder, setIfValueCommand } from './if-value';
import { isTlsPair } from './tls-pair';
import { TlsPairDialog } from './TlsPairDialog';
import { FormButtons } from './FormButtons';
import { ChangedUnder } from './ChangedUnder';
import { en } from '../../i18n/en';
import type { MessageKey } from '../../i18n/i18n';
import { isConnectionError, thrownText, useGoneWhenBack } from '../../components/error-text';

/**
 * A setting's description in the console's language. The Chinese ones are the server's own table (the
 * one DSP CFG answers with in 中文, core/mml/zh-settings.ts), imported rather than copied; a key it
 * lacks keeps the English help the snapshot brings.
 */
function settingHelp(setting: SettingData, lang: Lang): string {
  return lang === 'zh' ? zhSettingHelp(setting.key, setting.help) : setting.help;
}

/** A setting's type as a person reads it ('text', 'yes / no'...), in the console's language. */
function typeName(t: ReturnType<typeof useT>, type: string): string {
  const key = `cfg.type.${type}`;
  return key in en ? t(key as MessageKey) : type;
}

export default function ConfigurationView() {
  const t = useT();
  const client = useClient();
  const lang = useShell((s) => s.lang);
  const help = (s: SettingData) => settingHelp(s, lang);
  const [config, setConfig] = useState<SnapshotResults['config'] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [editing, setEditing] = useState<SettingData | null>(null);
  const [outcome, run, , show] = useMmlAction();

  const load = useCallback(() => {
    client.snapshot('config').then(
      (c) => {
        setConfig(c);
        setError(null);
      },
      (err: Error) => setError(err.message),
    );
  }, [client]);
  useEffect(load, [load]);
  useReloadWhenBack(load);
  useChanges('config', load);

  const rows = useMemo(() => {
    const q = search.trim().toLowerCase();
    // Both languages' descriptions are searched: a word from either finds the setting.
    return (config?.settings ?? []).filter(
      (s) => q === '' || `${s.key} ${s.help} ${settingHelp(s, lang)}`.toLowerCase().includes(q),
    );
  }, [config, search, lang]);

  const columns: Column<SettingData>[] = [
    {
      key: 'key',
      header: t('cfg.key'),
      // The description shown under the key, in the console's language, for the keyboard and touch as
      // for the mouse (it was only a tooltip); the tooltip stays.
      cell: (s) => (
        <>
          <span title={`${s.key} — ${help(s)}`}>{s.key}</span>
          <span className="cfg-help">{help(s)}</span>
        </>
      ),
      width: '32%',
      className: 'mono',
    },
    {
      key: 'value',
      header: t('cfg.value'),
      cell: (s) => (
        <span title={valueText(s.value)}>
          {valueText(s.value) || '—'}
          {config?.pendingRestart.includes(s.key) && (
            <span className="tag tag-warn"> {t('cfg.restartNeeded')}</span>
          )}
        </span>
      ),
      width: '15%',
      className: 'mono',
    },
    {
      key: 'default',
      header: t('cfg.default'),
      cell: (s) => valueText(s.default) || '—',
      width: '11%',
      className: 'mono',
    },
    {
      key: 'source',
      header: t('cfg.source'),
      cell: (s) => (
        <span className={`tag ${s.source === 'mml' ? 'tag-warn' : ''}`}>{t(`cfg.source.${s.source}`)}</span>
      ),
      width: '112px', // "environment" whole
    },
    {
      key: 'allowed',
      header: t('cfg.allowed'),
      // The server's own text, as DSP CFG shows it (a host name like ims.lab, or an IPv4 address...).
      cell: (s) => {
        const a = (lang === 'zh' ? zhAllowed(s.allowed) : s.allowed) || typeName(t, s.type);
        return <span title={`${a} — ${help(s)}`}>{a}</span>;
      },
    },
    {
      key: 'restart',
      header: t('cfg.restart'),
      // Words, not a bare tick (a screen reader said "check" or nothing, an empty cell nothing: WCAG 1.3.1).
      cell: (s) =>
        s.restart ? (
          <span title={t('cfg.restartNeeded')}>
            <span aria-hidden="true">✓ </span>
            {t('cfg.restart.yes')}
          </span>
        ) : (
          t('cfg.restart.no')
        ),
      width: '84px',
    },
    {
      key: 'edit',
      header: t('users.actions'),
      width: '80px',
      pinned: true,
      cell: (s) => (
        <span className="cell-actions">
          <RowAction label={t('cfg.edit')} subject={s.key} onClick={() => setEditing(s)} />
        </span>
      ),
    },
  ];

  return (
    <ViewFrame
      title={t('view.configuration')}
      code="CFG"
      toolbar={
        <div className="toolbar">
          <SearchField
            label={t('cfg.searchLabel')}
            placeholder={t('common.search')}
            value={search}
            onChange={setSearch}
          />
          <button
            type="button"
            className="btn btn-primary"
            disabled={!config || config.unsaved.length === 0}
            onClick={() => void run('SAVE CFG')}
          >
            {t('cfg.save')}
          </button>
          <button
            type="button"
            className="btn"
            onClick={() =>
              void run('EXP CFG', { route: '/api/data-export/', file: /(config_export_[\w-]+\.json)/ })
            }
          >
            {t('cfg.export')}
          </button>
        </div>
      }
    >
      <OutcomeLine outcome={outcome} />
      {config && config.unsaved.length > 0 && (
        <div className="banner banner-warn">{t('cfg.unsaved', { n: config.unsaved.length })}</div>
      )}
      {config && config.pendingRestart.length > 0 && (
        <div className="banner banner-warn">
          {t('cfg.pendingRestart', { keys: config.pendingRestart.join(', ') })}
        </div>
      )}
      <FoundStatus filter={search.trim()} text={t('cfg.found', { n: rows.length })} />
      {error && <ErrorState message={error} onRetry={load} />}
      {!config && !error ? (
        <Loading />
      ) : (
        <DataTable
          label={t('view.configuration')}
          columns={columns}
          rows={rows}
          rowKey={(s) => s.key}
          minWidth="960px"
          wrap
        />
      )}
      {/* The TLS certificate and its key are set together, either one's Edit opening both (tls-pair.ts). */}
      {editing && config && isTlsPair(editing.key) ? (
        <TlsPairDialog settings={config.settings} onClose={() => setEditing(null)} />
      ) : (
        editing && (
          <EditDialog
            setting={editing}
            latest={config?.settings.find((s) => s.key === editing.key)}
            onSaved={show}
            onClose={() => setEditing(null)}
          />
        )
      )}
    </ViewFrame>
  );
}

function EditDialog({
  setting,
  latest,
  onSaved,
  onClose,
}: {
  setting: SettingData;
  /** The setting as the view read it last (again at each change of a setting, whoever made it). */
  latest: SettingData | undefined;
  /** Says what was saved on the view's outcome line ("PROXY.TIMER_C = 240 (was 180)"): the dialog goes. */
  onSaved: (outcome: Outcome) => void;
  onClose: () => void;
}) {
  const t = useT();
  const client = useClient();
  const lang = useShell((s) => s.lang);
  // The setting as the form read it (Reload reads it again): Save's SET CFG is based on its value.
  const [read, setRead] = useState(setting);
  // A password comes masked: the edit starts empty (saving the mask would set it to *****).
  const [value, setValue] = useState(setting.secret === true ? '' : valueText(setting.value));
  // Another operator (a console, MML, SET LOG) changed it while the form was edited: said, with Reload.
  const under = changedUnder(read, latest);
  const reload = () => {
    if (latest === undefined) return;
    setRead(latest);
    setValue(latest.secret === true ? '' : valueText(latest.value));
    setProblem(null);
  };
  // A secret whose empty value means none (TRACE.HEP_AUTH_KEY) may be removed: SET CFG VALUE="".
  const [remove, setRemove] = useState(false);
  // What is wrong with the value, said when the field is left or Save is pressed (an alert whose text
  // followed each key was read out at each key); typing a good value clears it at once, silently.
  const [problem, setProblem] = useState<string | null>(null);
  // The problem said the appliance was away: it goes once the console is back.
  const [away, setAway] = useState(false);
  useGoneWhenBack(
    away,
    useCallback(() => {
      setProblem(null);
      setAway(false);
    }, []),
  );
  const problemId = useId();
  const helpId = useId();
  const allowedId = useId();
  const restartId = useId();
  const allowed = (lang === 'zh' ? zhAllowed(setting.allowed) : setting.allowed) || typeName(t, setting.type);
  const input = useRef<HTMLInputElement & HTMLSelectElement>(null);
  const dropping = useRef(false);
  const change = (next: string) => {
    setValue(next);
    if (problem !== null && checkValue(setting, next, lang) === null) setProblem(null);
  };
  const submit = async () => {
    const local = remove ? null : checkValue(setting, value, lang);
    if (local !== null) {
      setProblem(local);
      input.current?.focus();
      return;
    }
    try {
      const r = await client.execute(setIfValueCommand(setting.key, remove ? '' : value, read));
      const o = outcomeOf(t, r);
      if (o.ok) {
        onSaved(o);
        onClose();
      } else setProblem(o.text);
      setAway(false);
    } catch (err) {
      setProblem(thrownText(t, err));
      setAway(isConnectionError((err as Error).message));
    }
  };
  const described = {
    'aria-invalid': problem !== null,
    // The field is described by what is wrong with its value first, then by what the dialog says of the
    // setting (read as the dialog opens on the field; WCAG 1.3.1, 3.3.2).
    'aria-describedby': [
      problem !== null ? problemId : '',
      helpId,
      allowedId,
      setting.restart ? restartId : '',
    ]
      .filter(Boolean)
      .join(' '),
  };
  return (
    <Dialog title={t('cfg.editTitle', { key: setting.key })} onClose={onClose}>
      <p className="dim" id={helpId}>
        {settingHelp(setting, lang)}
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label className="field">
          <span>{t('cfg.value')}</span>
          {setting.type === 'enum' || setting.type === 'boolean' ? (
            <select
              ref={input}
              aria-label={t('cfg.value')}
              {...described}
              value={value}
              onChange={(e) => change(e.target.value)}
            >
              {(setting.type === 'boolean' ? ['YES', 'NO'] : (setting.options ?? [])).map((o) => (
                <option key={o}>{o}</option>
              ))}
            </select>
          ) : (
            <input
              ref={input}
              className="input mono"
              aria-label={t('cfg.value')}
              {...described}
              type={setting.secret === true ? 'password' : 'text'}
              disabled={remove}
              value={value}
              onChange={(e) => change(e.target.value)}
              onFocus={() => (dropping.current = false)}
              onBlur={() => {
                // Left by a click on Cancel: nothing to say about a value that is being dropped.
                const local = checkValue(setting, value, lang);
                if (local !== null && !dropping.current && !remove) setProblem(local);
              }}
            />
          )}
        </label>
        {removableSecret(setting) && (
          <label className="check">
            {/* Pressed: the field's blur says nothing of a value being dropped (its alert moved the
                centred dialog under the pointer, and the click missed the box). */}
            <input
              type="checkbox"
              checked={remove}
              onPointerDown={() => (dropping.current = true)}
              onChange={(e) => {
                setRemove(e.target.checked);
                setValue('');
                setProblem(null);
              }}
            />
            {t('cfg.removeSecret')}
          </label>
        )}
        <p className="dim" id={allowedId}>
          {t('cfg.allowed')}: {allowed}
        </p>
        {setting.restart && (
          <p className="dim" id={restartId}>
            {t('cfg.restartNeeded')}
          </p>
        )}
        {under !== null && <ChangedUnder value={under || '""'} onReload={reload} />}
        {problem && (
          <p className="field-error" role="alert" id={problemId}>
            {problem}
          </p>
        )}
        {/* Left by a press on Cancel: the field's blur says nothing of a value being dropped. */}
        <FormButtons onCancel={onClose} onCancelPress={() => (dropping.current = true)} />
      </form>
    </Dialog>
  );
}
