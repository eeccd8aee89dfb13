// The SIP trace: the dialogs held (live, filtered by Call-ID, user, method, response class, address, a
// text of its messages, a time range), the selected one as a ladder diagram (one lane per address:port, arrows coloured by method and
// response class, time and delta per row, retransmissions marked), the message picked shown whole with
// its SDP highlighted, and a pcap download (EXP TRACE, then /api/trace-export in a browser, the Save
// dialog on the desktop).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { TraceDialogData } from '../../../../core/control/contract';
import { followLive } from '../../api/live';
import { mml } from '../../api/mml-text';
import { DataTable, type Column } from '../../components/DataTable';
import {
  ErrorState,
  Loading,
  OutcomeLine,
  outcomeOf,
  FoundStatus,
  Pager,
  SearchField,
  useOutcomeFor,
  useReloadWhenBack,
  ViewFrame,
} from '../../components/common';
import { focusViewHeading } from '../../components/focus-rescue';
import { useClient, useShell, useT } from '../../store/shell';
import { Ladder } from './Ladder';
import { clock } from './ladder';
import { MessageText } from './MessageText';
import { TimeField } from './TimeField';
import { LIST_LIMIT, NO_FILTERS, serverOnly, traceQuery, useTrace } from './store';
import { showCdr } from '../cdr/store';
import { downloadExport, saveOnDesktop } from '../../api/download';
import { useChanges } from '../../components/use-changes';
import { clockTime, dateTimeMs } from '../../components/local-time';
import { PeerSpan } from '../../components/peer-text';

const METHODS = [
  'INVITE',
  'ACK',
  'BYE',
  'CANCEL',
  'REGISTER',
  'MESSAGE',
  'OPTIONS',
  'PRACK',
  'UPDATE',
  'INFO',
];

/** The kinds the Kind filter offers (DSP TRACE KIND=). */
const TRACE_KIND_NAMES: readonly TraceDialogData['kind'][] = [
  'call',
  'registration',
  'message',
  'subscription',
  'other',
  'malformed',
];

/** Response classes as the filters offer them: value, label. */
const CLASSES: readonly (readonly [string, string])[] = [1, 2, 3, 4, 5, 6].map((c) => [String(c), `${c}xx`]);

/** One of the list's select filters: "any" first, then its options (value, label). */
function FilterSelect(props: {
  label: string;
  any: string;
  value: string;
  options: readonly (readonly [string, string])[];
  onChange: (value: string) => void;
}) {
  return (
    <select aria-label={props.label} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
      <option value="">{props.any}</option>
      {props.options.map(([value, label]) => (
        <option key={value} value={value}>
          {label}
        </option>
      ))}
    </select>
  );
}

export default function TraceView() {
  const t = useT();
  const client = useClient();
  const session = useShell((s) => s.session);
  const lang = useShell((s) => s.lang);
  const {
    filters,
    offset,
    dialogs,
    total,
    loaded,
    error,
    keeping,
    selected,
    messages,
    message,
    reveal,
    setFilters,
    setOffset,
    select,
  } = useTrace();
  const list = useRef<HTMLDivElement>(null);
  const ladder = useRef<HTMLElement>(null);
  // Opened from a call or a CDR record (whose button went with its view): the focus is on the ladder.
  useEffect(() => {
    if (!reveal || selected === null) return;
    ladder.current?.focus();
    useTrace.setState({ reveal: false });
  }, [reveal, selected]);
  // Closing the ladder takes its Close button away: the focus goes to the dialog's row in the list (the
  // view's heading when the filters leave it out), not to the top of the page.
  const closeLadder = () => {
    const row = list.current?.querySelector<HTMLElement>('tbody tr.row-selected');
    select(null);
    if (row) row.focus();
    else focusViewHeading();
  };
  // A download's line is about one dialog: opening another hides it (a failure's text is worded in the
  // language it came in, so a language switch hides that too).
  const [outcome, setOutcome] = useOutcomeFor(JSON.stringify([selected, lang]));
  // Kept as data, worded when shown: switching the language rewords it.
  const [downloaded, setDownloaded] = useState<{ file: string; n: number; callId: string } | null>(null);
  const [downloading, setDownloading] = useState(false);
  const [messagesError, setMessagesError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  // Typing in a filter asks the server once the typing pauses, not once per key.
  const [query, setQuery] = useState(() => traceQuery(filters));
  useEffect(() => {
    const timer = setTimeout(() => setQuery(traceQuery(filters)), 300);
    return () => clearTimeout(timer);
  }, [filters]);

  // The list: the snapshot for the filters and the page, then live updates.
  useEffect(() => {
    const st = useTrace.getState();
    return followLive(client, {
      topic: 'trace',
      load: () => client.snapshot('trace', offset > 0 ? { ...query, offset } : query),
      reset: st.reset,
      apply: st.apply,
      failed: (e) => st.fail(e.message),
    });
  }, [client, query, offset, generation]);

  // A method, response class or address filter is the server's to check: while dialogs come that the
  // list could not judge, it asks again once a second (the list stood still under such a filter).
  const checkServer = serverOnly(filters);
  useEffect(() => {
    if (!checkServer) return;
    const timer = setInterval(() => {
      if (useTrace.getState().unchecked === 0) return;
      useTrace.setState({ unchecked: 0 });
      setGeneration((g) => g + 1);
    }, 1000);
    return () => clearInterval(timer);
  }, [checkServer]);

  // The selected dialog's messages: loaded when selected, and again when its summary changes.
  const current = dialogs.find((d) => d.callId === selected);
  const count = current?.messages;
  const loadMessages = useCallback(() => {
    if (selected === null) return;
    client.snapshot('traceMessages', { callId: selected }).then(
      (r) => {
        if (useTrace.getState().selected !== r.callId) return;
        useTrace.setState((s) => ({
          messages: r.messages,
          message: s.message ?? r.messages[0]?.seq ?? null,
        }));
        setMessagesError(null);
      },
      (err: Error) => setMessagesError(err.message),
    );
  }, [client, selected]);
  useEffect(loadMessages, [loadMessages, count]);
  useReloadWhenBack(loadMessages);

  // Cleared (CLR TRACE) or turned off (SET TRACE RINGMSG=0) by anyone: the list and the ladder are read
  // again, and the view says so (it kept dialogs and a ladder the server no longer held, as if live).
  const [clearedAt, setClearedAt] = useState<number | null>(null);
  useChanges('traceState', (events) => {
    const cleared = events.filter((e) => e.type === 'cleared').pop();
    // A clear leaves nothing for an older page: back to the newest.
    if (cleared !== undefined) {
      setClearedAt(cleared.at);
      useTrace.setState({ offset: 0 });
    }
    useTrace.setState({ keeping: events[events.length - 1]!.state });
    setGeneration((g) => g + 1);
    loadMessages();
  });
  const refresh = () => {
    setClearedAt(null);
    setGeneration((g) => g + 1);
  };

  const download = async () => {
    if (selected === null) return;
    setOutcome({ ok: true, text: t('trace.downloading') });
    setDownloaded(null);
    setDownloading(true);
    try {
      // mml() leaves an empty value out: the messages without a Call-ID are CALLID="".
      const command =
        selected === ''
          ? 'EXP TRACE:CALLID="",FORMAT=PCAP'
          : mml('EXP TRACE', { CALLID: selected, FORMAT: 'PCAP' });
      const r = await client.execute(command);
      const o = outcomeOf(t, r);
      const file = /(trace_[\w.@-]+\.pcap)/.exec(r.text)?.[1];
      if (!o.ok || file === undefined) return setOutcome(o);
      // In a browser the file is fetched; on the desktop the Save dialog asks where (Cancel: nothing more).
      if (session.kind === 'open' && session.token)
        await downloadExport('/api/trace-export/', file, session.token);
      else if (!(await saveOnDesktop(file))) return setOutcome(null);
      setDownloaded({ file, n: messages.length, callId: selected });
      setOutcome(null);
    } catch (err) {
      setOutcome(outcomeOf(t, err as Error));
    } finally {
      setDownloading(false);
    }
  };

  // Fixed widths: a narrow window scrolls the list sideways instead of squeezing the first line to
  // one character (as the CDR view does).
  const columns: Column<TraceDialogData>[] = [
    {
      key: 'start',
      header: t('trace.start'),
      cell: (d) => <span title={dateTimeMs(Math.floor(d.startUs / 1000))}>{clock(d.startUs)}</span>,
      width: '150px',
      className: 'mono',
    },
    { key: 'kind', header: t('trace.kind'), cell: (d) => t(`trace.kind.${d.kind}`), width: '100px' },
    {
      key: 'first',
      header: t('trace.firstLine'),
      cell: (d) => <PeerSpan text={d.firstLine} />,
      width: '270px',
      className: 'mono',
    },
    { key: 'from', header: t('trace.from'), cell: (d) => d.from, width: '110px' },
    { key: 'to', header: t('trace.to'), cell: (d) => d.to, width: '110px' },
    {
      key: 'messages',
      header: t('trace.messages'),
      cell: (d) => d.messages,
      width: '90px',
      className: 'num',
    },
    {
      key: 'final',
      header: t('trace.final'),
      width: '120px',
      cell: (d) =>
        d.finalStatus === 0 ? (
          '—'
        ) : (
          <span
            className={`tag ${d.finalStatus < 300 ? 'tag-ok' : d.finalStatus < 400 ? 'tag-warn' : 'tag-bad'}`}
          >
            {d.finalStatus}
          </span>
        ),
    },
    {
      key: 'callid',
      header: t('trace.callId'),
      cell: (d) => <PeerSpan text={d.callId} />,
      width: '220px',
      className: 'mono',
    },
  ];
  const shown = messages.find((m) => m.seq === message);
  const filtered = Object.keys(traceQuery(filters)).some((k) => k !== 'limit');

  return (
    <ViewFrame
      title={t('view.trace')}
      code="TRC"
      toolbar={
        <div className="toolbar">
          <SearchField
            label={t('trace.callId')}
            value={filters.callId}
            onChange={(v) => setFilters({ callId: v })}
          />
          <SearchField
            label={t('trace.user')}
            value={filters.user}
            onChange={(v) => setFilters({ user: v })}
            short
          />
          <FilterSelect
            label={t('trace.method')}
            any={t('trace.anyMethod')}
            value={filters.method}
            options={METHODS.map((m) => [m, m])}
            onChange={(method) => setFilters({ method })}
          />
          <FilterSelect
            label={t('trace.statusClass')}
            any={t('trace.anyStatus')}
            value={filters.statusClass}
            options={CLASSES}
            onChange={(statusClass) => setFilters({ statusClass })}
          />
          <FilterSelect
            label={t('trace.final')}
            any={t('trace.anyFinal')}
            value={filters.finalClass}
            options={CLASSES}
            onChange={(finalClass) => setFilters({ finalClass })}
          />
          <FilterSelect
            label={t('trace.kind')}
            any={t('trace.anyKind')}
            value={filters.kind}
            options={TRACE_KIND_NAMES.map((k) => [k, t(`trace.kind.${k}`)])}
            onChange={(kind) => setFilters({ kind })}
          />
          <SearchField
            label={t('trace.address')}
            value={filters.address}
            onChange={(v) => setFilters({ address: v })}
          />
          <SearchField
            label={t('trace.search')}
            placeholder={t('trace.searchHint')}
            title={t('trace.searchTitle')}
            value={filters.text}
            onChange={(v) => setFilters({ text: v })}
          />
          <TimeField
            label={t('trace.timeFrom')}
            value={filters.from}
            onChange={(from) => setFilters({ from })}
          />
          <TimeField label={t('trace.timeTo')} value={filters.to} onChange={(to) => setFilters({ to })} />
          <button type="button" className="btn" onClick={() => setFilters(NO_FILTERS)}>
            {t('trace.clearFilters')}
          </button>
          <button type="button" className="btn" onClick={refresh}>
            {t('common.refresh')}
          </button>
        </div>
      }
    >
      <OutcomeLine
        outcome={
          downloaded?.callId === selected
            ? { ok: true, text: t('trace.downloaded', { file: downloaded.file, n: downloaded.n }) }
            : outcome
        }
      />
      {keeping?.ringMessages === 0 && (
        <div className="banner banner-warn" role="status" data-testid="trace-off">
          {t(keeping.persist ? 'trace.dbOnly' : 'trace.off')}
        </div>
      )}
      {clearedAt !== null && (
        <div className="banner" role="status" data-testid="trace-cleared">
          {t('trace.cleared', { time: clockTime(clearedAt) })}
        </div>
      )}
      {error && <ErrorState message={error} onRetry={refresh} />}
      <div className={selected === null ? 'trace-list trace-list-alone' : 'trace-list'} ref={list}>
        {!loaded && !error ? (
          <Loading />
        ) : (
          <DataTable
            label={t('trace.list')}
            columns={columns}
            rows={dialogs}
            rowKey={(d) => d.callId}
            onRowClick={(d) => select(d.callId)}
            selectedKey={selected}
            empty={error ? undefined : filtered ? t('trace.noMatch') : t('trace.none')}
          />
        )}
        {/* Pages of 500, newest first, as the Users view's pages of 1,000: the dialogs held beyond the
            newest 500 were out of reach but by a filter. */}
        <div className="trace-count">
          <Pager
            offset={offset}
            size={LIST_LIMIT}
            total={total}
            onOffset={setOffset}
            shown={dialogs.length}
          />
        </div>
        <FoundStatus
          filter={filtered ? JSON.stringify(filters) : ''}
          text={t('trace.found', { n: dialogs.length })}
        />
      </div>
      {selected === null ? (
        <div className="state-msg trace-pick">{t('trace.pick')}</div>
      ) : (
        <div
          className="trace-detail"
          onKeyDown={(e) => {
            // Escape closes the message shown (as the CDR record's panel and the log's full text close),
            // back on its arrow.
            if (e.key !== 'Escape' || message === null) return;
            e.preventDefault();
            useTrace.setState({ message: null });
            ladder.current?.querySelector<SVGGElement>('g.ladder-row[tabindex="0"]')?.focus();
          }}
        >
          <section
            className="trace-ladder"
            aria-label={t('trace.ladder', { callId: selected })}
            ref={ladder}
            tabIndex={-1}
          >
            <div className="trace-ladder-head">
              <PeerSpan className="mono trace-callid" text={selected} />
              <button
                type="button"
                className="btn btn-small"
                disabled={messages.length === 0 || downloading}
                aria-busy={downloading}
                onClick={() => void download()}
              >
                {t('trace.pcap')}
              </button>
              {/* A call's record (by its Call-ID), as the record's Show messages opens this ladder. */}
              {(current?.kind === 'call' || messages[0]?.method === 'INVITE') && (
                <button type="button" className="btn btn-small" onClick={() => showCdr(selected)}>
                  {t('trace.cdr')}
                </button>
              )}
              <button type="button" className="btn btn-small" onClick={closeLadder}>
                {t('common.close')}
              </button>
            </div>
            {messagesError && <ErrorState message={messagesError} onRetry={loadMessages} />}
            {messages.length === 0 ? (
              <div className="state-msg">
                {t(clearedAt !== null ? 'trace.noMessagesCleared' : 'trace.noMessages')}
              </div>
            ) : (
              <Ladder
                messages={messages}
                selected={message}
                onSelect={(seq) => useTrace.setState({ message: seq })}
              />
            )}
          </section>
          {/* A scroller of its own: a Tab stop (tabIndex 0) so that the keyboard scrolls it in every
              browser, not only where the browser makes scrollers focusable itself (Chromium, which then
              keeps this one stop, not a second); a focusable element needs a role and a name, so it is a
              region named by the message it shows (WCAG 2.1.1, axe scrollable-region-focusable). */}
          <aside
            className="side trace-message"
            role="region"
            tabIndex={shown ? 0 : undefined}
            aria-label={shown ? t('trace.message', { no: shown.no }) : t('trace.pickMessage')}
          >
            {shown ? <MessageText message={shown} /> : <div className="dim">{t('trace.pickMessage')}</div>}
          </aside>
        </div>
      )}
    </ViewFrame>
  );
}
