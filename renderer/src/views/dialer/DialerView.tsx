// The auto dialer: start and stop its service (STR / STP DIALSVC), place a single call or a batch
// (STR CALL SINGLE / BATCH with the prompt, duration, concurrency, rate, DTMF, recording), follow the
// newest campaign's progress with ASR, ACD, PDD and RTP figures, and the calls in progress and finished
// (SIP code, talk time, RTP loss and jitter); stop (STP CALL). Every action is the MML command a person
// would type, so it lands in the history. While calls are up the snapshot is reloaded each second for
// their live RTP counts (the topic's events carry results and figures, not per-packet counts).
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import {
  MAX_PROMPT_UPLOAD,
  type DialerCallResultData,
  type DialerCampaignData,
} from '../../../../core/control/contract';
import { followLive } from '../../api/live';
import { mml } from '../../api/mml-text';
import { DataTable, type Column } from '../../components/DataTable';
import { FileButton } from '../../components/FileButton';
import {
  AskedConfirmation,
  ErrorState,
  Loading,
  OutcomeLine,
  ViewFrame,
  formatDuration,
  useMmlAction,
  useSteadyTick,
  useTick,
  type Confirmation,
} from '../../components/common';
import type { MessageKey } from '../../i18n/i18n';
import { clockTime } from '../../components/local-time';
import { ownClockNow } from '../../components/own-clock';
import { useClient, useShell, useT } from '../../store/shell';
import { zhDialerReason, zhPromptSource } from '../../../../core/dialer/reason-zh';
import { callRateAchieved, type PlacingTimes } from '../../../../core/dialer/call-rate';
import {
  asrText,
  callCommand,
  campaignChoices,
  hasActivity,
  promptName,
  shownCampaign,
  useDialer,
  type FormFault,
  type SeenCampaign,
} from './store';
import { PeerSpan } from '../../components/peer-text';
import { CampaignList } from './CampaignList';
import { codeText, pddText, talkText, type DialerRow } from './row-cells';
import { outcomeUnknown } from '../../api/client';
import { errorMessage } from '../../components/error-text';

type Row = DialerRow;

const LIVE_TAG: Record<string, string> = { dialing: 'tag-warn', ringing: 'tag-warn', answered: 'tag-ok' };

const num = (v: number | null | undefined, digits = 0): string =>
  v === null || v === undefined ? '—' : v.toFixed(digits);

/** The call rate achieved (core/dialer/call-rate.ts), as DSP DIALSVC CAMPAIGN= gives it. */
const callRateText = (c: PlacingTimes, now: number): string => {
  const r = callRateAchieved(c, now);
  return r === null ? '—' : `${num(r, 2)} /s`;
};

export default function DialerView() {
  const t = useT();
  const lang = useShell((s) => s.lang);
  const client = useClient();
  const { view, error } = useDialer();
  const [outcome, run, clearOutcome] = useMmlAction();
  const [confirm, setConfirm] = useState<Confirmation | null>(null);
  /** The campaign picked for the progress card (two running at once); none: the newest. */
  const [picked, setPicked] = useState<string | undefined>(undefined);
  const now = useTick(1000);

  useEffect(() => {
    const st = useDialer.getState();
    return followLive(client, {
      topic: 'dialer',
      load: () => client.snapshot('dialer'),
      reset: st.reset,
      apply: st.apply,
      failed: (e) => st.fail(e.message),
    });
  }, [client]);

  // While calls are up, their live RTP counts come from the snapshot.
  const active = view !== null && hasActivity(view);
  useEffect(() => {
    if (!active) return;
    let stopped = false;
    const id = setInterval(() => {
      client.snapshot('dialer').then(
        (s) => !stopped && useDialer.getState().refresh(s),
        () => undefined,
      );
    }, 1000);
    return () => {
      stopped = true;
      clearInterval(id);
    };
  }, [active, client]);

  const rows = useMemo<Row[]>(
    () =>
      view === null
        ? []
        : [
            ...view.live
              .slice()
              .sort((a, b) => b.startedAt - a.startedAt)
              .map((call) => ({ kind: 'live' as const, call })),
            ...view.finished.map((call) => ({ kind: 'done' as const, call })),
          ],
    [view],
  );

  const service = view?.service;
  const running = service?.state === 'running';
  // Sized for what they hold (the figures take a few digits, their headers wrap onto a second line:
  // DataTable compact), the Reason and the Call-ID share the rest: the table fits a 1,024 px window
  // without scrolling sideways (640 px of fixed columns); a cut reason or Call-ID has its tooltip.
  const columns: Column<Row>[] = [
    { key: 'number', header: t('dialer.number'), cell: (r) => r.call.number, width: '84px' },
    { key: 'campaign', header: t('dialer.campaignCol'), cell: (r) => r.call.campaignId, width: '88px' },
    {
      key: 'state',
      header: t('dialer.callState'),
      width: '84px',
      cell: (r) =>
        r.kind === 'live' ? (
          <span className={`tag ${LIVE_TAG[r.call.state] ?? ''}`}>
            {t(`dialer.live.${r.call.state}` as MessageKey)}
          </span>
        ) : (
          <DoneTag call={r.call} />
        ),
    },
    {
      key: 'code',
      header: t('dialer.code'),
      width: '44px',
      className: 'num',
      cell: codeText,
    },
    {
      key: 'reason',
      header: t('dialer.reason'),
      cell: (r) => {
        if (r.kind !== 'done') return '';
        // The note (DTMF not sent) beside the reason: the call went on, but not quite as asked. The
        // dialer's own words in the console's language; a SIP reason phrase as it came.
        const words = lang === 'zh' ? zhDialerReason : (w: string) => w;
        const reason = words(r.call.reason);
        const text = r.call.note === undefined ? reason : `${reason}; ${words(r.call.note)}`;
        return <span title={text}>{text}</span>;
      },
    },
    {
      key: 'talk',
      header: t('dialer.talk'),
      width: '64px',
      className: 'num',
      cell: (r) => talkText(r, performance.now(), now),
    },
    {
      key: 'pdd',
      header: t('dialer.pddCol'),
      width: '48px',
      className: 'num',
      cell: pddText,
    },
    {
      key: 'sent',
      header: t('dialer.rtpSent'),
      width: '60px',
      className: 'num',
      cell: (r) => r.call.rtpSent,
    },
    {
      key: 'received',
      header: t('dialer.rtpReceived'),
      width: '60px',
      className: 'num',
      cell: (r) => r.call.rtpReceived,
    },
    {
      key: 'lost',
      header: t('dialer.rtpLost'),
      width: '52px',
      className: 'num',
      cell: (r) => (r.kind === 'done' ? r.call.rtpLost : ''),
    },
    {
      key: 'jitter',
      header: t('dialer.jitterCol'),
      width: '56px',
      className: 'num',
      cell: (r) => (r.kind === 'done' && r.call.rtpReceived > 0 ? num(r.call.jitterMs, 2) : ''),
    },
    {
      key: 'callid',
      header: 'Call-ID',
      className: 'mono',
      cell: (r) => <PeerSpan text={r.call.callId} />,
    },
  ];

  return (
    <ViewFrame
      title={t('view.dialer')}
      code="DIA"
      toolbar={
        <div className="toolbar">
          {service && (
            <span className="dim" data-testid="dialer-service">
              {t('dialer.service')}:{' '}
              <span className={`tag ${running ? 'tag-ok' : service.state === 'stopped' ? '' : 'tag-warn'}`}>
                {t(`dialer.state.${service.state}`)}
              </span>{' '}
              {service.registered
                ? t('dialer.registeredAs', { account: service.account })
                : service.why !== undefined && running
                  ? t('dialer.notRegisteredWhy', { why: service.why })
                  : t('dialer.notRegistered')}
            </span>
          )}
          <button
            type="button"
            className="btn btn-primary"
            disabled={!service || service.state !== 'stopped'}
            onClick={() => void run('STR DIALSVC')}
          >
            {t('dialer.startService')}
          </button>
          <button
            type="button"
            className="btn"
            disabled={!service || service.state === 'stopped'}
            onClick={() =>
              setConfirm({
                title: 'dialer.stopService',
                text: 'dialer.stopServiceConfirm',
                command: 'STP DIALSVC',
              })
            }
          >
            {t('dialer.stopService')}
          </button>
          <button
            type="button"
            className="btn btn-danger"
            disabled={!active}
            onClick={() =>
              setConfirm({ title: 'dialer.stopAll', text: 'dialer.stopAllConfirm', command: 'STP CALL' })
            }
          >
            {t('dialer.stopAll')}
          </button>
        </div>
      }
    >
      <OutcomeLine outcome={outcome} />
      {error && <ErrorState message={error} />}
      {view === null && !error ? (
        <Loading />
      ) : view === null ? null : (
        <>
          <div className="dialer-top">
            <CallFormPanel
              mediaFiles={view.service.mediaFiles}
              running={running}
              run={run}
              edited={clearOutcome}
            />
            <ProgressPanel
              campaign={shownCampaign(view, picked)}
              choices={campaignChoices(view, picked)}
              pick={setPicked}
              running={running}
              run={run}
            />
          </div>
          {view.campaigns.length > 0 && (
            <CampaignList
              campaigns={view.campaigns}
              shown={shownCampaign(view, picked)?.id}
              pick={setPicked}
            />
          )}
          <DataTable
            label={t('dialer.calls')}
            columns={columns}
            rows={rows}
            rowKey={(r) =>
              `${r.kind}/${r.call.campaignId}/${r.call.callId || r.call.number}/${r.call.startedAt}`
            }
            rowClass={(r) => (r.kind === 'done' ? 'row-ended' : '')}
            empty={t('dialer.noCalls')}
            compact
            // Below the form, the progress card and the campaigns, at 700 px high: its two-line header
            // and a few rows, the view scrolling to them.
            minHeight="12rem"
          />
          {/* They end calls, as CLR CALL and CLR REG do: asked first, as those are. */}
          <AskedConfirmation confirm={confirm} run={run} onClose={() => setConfirm(null)} />
        </>
      )}
    </ViewFrame>
  );
}

/** A finished call's outcome: answered, cancelled by the operator (not a failure: not in the ASR), failed. */
function DoneTag({ call }: { call: DialerCallResultData }) {
  const t = useT();
  if (call.answered) return <span className="tag">{t('dialer.finished')}</span>;
  if (call.cancelledByOperator === true) return <span className="tag">{t('dialer.cancelledCall')}</span>;
  return <span className="tag tag-bad">{t('dialer.failedCall')}</span>;
}

function CallFormPanel({
  mediaFiles,
  running,
  run,
  edited,
}: {
  mediaFiles: string[];
  running: boolean;
  run: (command: string) => Promise<boolean>;
  /** The form changed: the answer to the call placed before no longer speaks of it. */
  edited: () => void;
}) {
  const t = useT();
  const form = useDialer((s) => s.form);
  const setFormValues = useDialer((s) => s.setForm);
  const setForm = (patch: Parameters<typeof setFormValues>[0]) => {
    setFormValues(patch);
    edited();
  };
  const [fault, setFault] = useState<FormFault | null>(null);
  /** The item of the Numbers list at fault, named in the message. */
  const [faultItem, setFaultItem] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const single = form.mode === 'single';
  // The field at fault is described by the message and takes the focus (WCAG 3.3.1).
  const faultId = useId();
  const inputs = useRef<Partial<Record<FormFault, HTMLInputElement | null>>>({});

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const c = callCommand(form);
    if ('fault' in c) {
      setFault(c.fault);
      setFaultItem(c.item);
      inputs.current[c.fault]?.focus();
      edited();
      return;
    }
    setFault(null);
    setBusy(true);
    await run(c.command);
    setBusy(false);
  };

  const text = (
    key: 'callee' | 'numbers' | 'duration' | 'concurrency' | 'rate' | 'dtmf',
    label: string,
    hint = '',
  ) => (
    <label className="field">
      <span>{label}</span>
      <input
        ref={(el) => {
          inputs.current[key] = el;
        }}
        className="input"
        aria-label={label}
        aria-invalid={fault === key}
        aria-describedby={fault === key ? faultId : undefined}
        placeholder={hint}
        inputMode={
          key === 'duration' ? 'decimal' : key === 'concurrency' || key === 'rate' ? 'numeric' : undefined
        }
        value={form[key]}
        onChange={(e) => setForm({ [key]: e.target.value })}
      />
    </label>
  );

  return (
    <form className="dialer-form" aria-label={t('dialer.newCall')} onSubmit={(e) => void submit(e)}>
      <h3>{t('dialer.newCall')}</h3>
      <div className="segmented" role="radiogroup" aria-label={t('dialer.mode')}>
        {(['single', 'batch'] as const).map((m) => (
          <label key={m} className={form.mode === m ? 'selected' : ''}>
            <input
              type="radio"
              name="dialer-mode"
              value={m}
              checked={form.mode === m}
              onChange={() => {
                setForm({ mode: m });
                setFault(null);
              }}
            />
            {t(m === 'single' ? 'dialer.single' : 'dialer.batch')}
          </label>
        ))}
      </div>
      <div className="dialer-fields">
        {single
          ? text('callee', t('dialer.callee'), '1002')
          : text('numbers', t('dialer.numbers'), t('dialer.numbersHint'))}
        <label className="field field-wide">
          <span>{t('dialer.mediaFile')}</span>
          <select
            aria-label={t('dialer.mediaFile')}
            value={form.mediaFile}
            onChange={(e) => setForm({ mediaFile: e.target.value })}
          >
            <option value="">{t('dialer.mediaDefault')}</option>
            {mediaFiles.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </label>
        <PromptUpload onUploaded={(file) => setForm({ mediaFile: file })} />
        {text('duration', t('dialer.duration'), t('dialer.durationHint'))}
        {!single && text('concurrency', t('dialer.concurrency'), t('dialer.defaultHint'))}
        {!single && text('rate', t('dialer.rate'), t('dialer.defaultHint'))}
        {text('dtmf', t('dialer.dtmf'), '123#')}
      </div>
      <label className="check">
        <input
          type="checkbox"
          checked={form.record}
          onChange={(e) => setForm({ record: e.target.checked })}
        />
        {t('dialer.record')}
      </label>
      {fault && (
        <p className="field-error" role="alert" id={faultId}>
          {faultItem !== undefined && fault === 'numbers'
            ? t('dialer.fault.numbersItem', { item: faultItem })
            : t(`dialer.fault.${fault}`)}
        </p>
      )}
      <div>
        {/* Busy while its command runs, but not disabled: a disabled button drops the focus (it went to
            the Record checkbox, where a Space toggled it); the focus stays on it (WCAG 2.4.3). */}
        <button
          type="submit"
          className="btn btn-primary"
          disabled={!running}
          aria-disabled={busy || undefined}
          aria-busy={busy || undefined}
        >
          {single ? t('dialer.place') : t('dialer.startBatch')}
        </button>
      </div>
    </form>
  );
}

/** Reads a file as base64 (without the data: URL prefix). */
function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error ?? new Error('the file could not be read'));
    r.readAsDataURL(file);
  });
}

/** Uploads a WAV prompt to the server's media/ (the contract's upload op), then offers and selects it. */
function PromptUpload({ onUploaded }: { onUploaded: (file: string) => void }) {
  const t = useT();
  const lang = useShell((s) => s.lang);
  const client = useClient();
  // Said in the language of the moment (the note stays while the language changes).
  const [note, setNote] = useState<{ ok: boolean; text: (tr: typeof t, zh: boolean) => string } | null>(null);
  const [busy, setBusy] = useState(false);
  const upload = async (file: File) => {
    setBusy(true);
    try {
      if (file.size > MAX_PROMPT_UPLOAD)
        throw new Error(t('dialer.uploadTooLarge', { kb: MAX_PROMPT_UPLOAD / 1024 }));
      const r = await client.uploadPrompt(promptName(file.name), await base64Of(file));
      useDialer.getState().refresh(await client.snapshot('dialer'));
      onUploaded(r.file);
      setNote({
        ok: true,
        text: (tr, zh) =>
          tr('dialer.uploaded', {
            file: r.file,
            source: zh ? zhPromptSource(r.source) : r.source,
            seconds: r.seconds,
          }),
      });
    } catch (err) {
      setNote({
        ok: false,
        text: (tr) =>
          outcomeUnknown(err)
            ? tr('common.outcomeUnknown')
            : tr('common.error', { message: errorMessage(tr, (err as Error).message) }),
      });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="field field-wide">
      <span>{t('dialer.upload')}</span>
      <FileButton
        label={t('dialer.upload')}
        text={t('dialer.chooseFile')}
        accept=".wav,audio/wav,audio/x-wav"
        busy={busy}
        onFile={(file) => void upload(file)}
      />
      {note && (
        <span className={note.ok ? 'dim' : 'field-error'} role={note.ok ? 'status' : 'alert'}>
          {note.text(t, lang === 'zh')}
        </span>
      )}
    </div>
  );
}

function ProgressPanel({
  campaign: c,
  choices,
  pick,
  running,
  run,
}: {
  campaign: SeenCampaign | undefined;
  /** The campaigns it can show (store.ts campaignChoices): a picker when there are more than one. */
  choices: DialerCampaignData[];
  pick: (id: string) => void;
  /** The service is running: the empty panel does not ask for it to be started. */
  running: boolean;
  run: (command: string) => Promise<boolean>;
}) {
  const t = useT();
  const lang = useShell((s) => s.lang);
  const now = useTick(1000);
  const steady = useSteadyTick(1000);
  if (c === undefined)
    return (
      <section className="dialer-progress" aria-label={t('dialer.progress')}>
        <h3>{t('dialer.progress')}</h3>
        <p className="dim">{t(running ? 'dialer.noCampaignRunning' : 'dialer.noCampaign')}</p>
      </section>
    );
  const f = c.figures;
  const codes = Object.entries(f.byCode);
  // Counted on the campaign's own clock: a step of the server's wall clock moves neither figure.
  const campaignNow = ownClockNow(c, steady, now);
  const elapsedS = Math.max(0, ((c.endedAt ?? campaignNow) - c.startedAt) / 1000);
  const figure = (label: string, value: string, testId?: string, hint?: string) => (
    <div className="dialer-figure" role="group" aria-label={label} title={hint}>
      <span className="tile-label">{label}</span>
      <span className="dialer-figure-value" data-testid={testId}>
        {value}
      </span>
    </div>
  );
  return (
    <section className="dialer-progress" aria-label={t('dialer.progress')}>
      <h3>
        {t('dialer.campaign', { id: c.id, state: t(`dialer.cstate.${c.state}`) })}
        {(c.state === 'running' || c.state === 'stopping') && (
          <button
            type="button"
            className="btn btn-small btn-danger"
            onClick={() => void run(mml('STP CALL', { CAMPAIGN: c.id }))}
          >
            {t('dialer.stopCampaign', { id: c.id })}
          </button>
        )}
      </h3>
      {choices.length > 1 && (
        <label className="dialer-pick">
          {t('dialer.shownCampaign')}
          <select value={c.id} onChange={(e) => pick(e.target.value)}>
            {choices.map((x) => (
              <option key={x.id} value={x.id}>
                {t('dialer.campaign', { id: x.id, state: t(`dialer.cstate.${x.state}`) })}
              </option>
            ))}
          </select>
        </label>
      )}
      <div className="dialer-bar">
        <progress
          aria-label={t('dialer.progressLabel', { total: c.total })}
          max={c.total}
          value={f.completed}
        />
        <span className="mono">
          {f.completed} / {c.total}
        </span>
      </div>
      <div className="dialer-figures">
        {figure(t('dialer.placed'), String(f.placed))}
        {figure(t('dialer.inProgress'), String(c.inProgress))}
        {figure(t('dialer.answered'), String(f.answered))}
        {figure(t('dialer.failed'), String(f.failed))}
        {figure(t('dialer.cancelled'), String(f.cancelled), undefined, t('dialer.cancelledHint'))}
        {figure(t('dialer.asr'), asrText(f))}
        {figure(t('dialer.acd'), f.acdSeconds === null ? '—' : `${num(f.acdSeconds, 2)} s`)}
        {figure(t('dialer.pdd'), f.pddP50Ms === null ? '—' : `${num(f.pddP50Ms)} / ${num(f.pddP95Ms)} ms`)}
        {figure(t('dialer.rtp'), `${f.rtpSent} / ${f.rtpReceived} / ${f.rtpLost}`)}
        {figure(
          t('dialer.jitter'),
          f.jitterMeanMs === null ? '—' : `${num(f.jitterMeanMs, 2)} / ${num(f.jitterMaxMs, 2)} ms`,
        )}
        {figure(
          t('dialer.started'),
          c.endedAt === undefined
            ? clockTime(c.startedAt)
            : `${clockTime(c.startedAt)} – ${clockTime(c.endedAt)}`,
        )}
        {figure(t('dialer.elapsed'), formatDuration(elapsedS))}
        {figure(t('dialer.callRate'), callRateText(c, campaignNow))}
      </div>
      <p className="dim mono" role="group" aria-label={t('dialer.settings')}>
        {`${t('dialer.settings')}: RATE=${c.rate} CONCURRENCY=${c.concurrency} DURATION=${c.durationMs / 1000} ` +
          `MEDIA_FILE=${c.mediaFile} DTMF=${c.dtmf ?? '—'} RECORD=${c.record === true ? 'YES' : 'NO'}`}
      </p>
      {c.note !== undefined && <p className="dim">{lang === 'zh' ? zhDialerReason(c.note) : c.note}</p>}
      {codes.length > 0 && (
        <p className="dim">
          {t('dialer.byCode')}: {codes.map(([code, n]) => `${code} × ${n}`).join(', ')}
        </p>
      )}
    </section>
  );
}
