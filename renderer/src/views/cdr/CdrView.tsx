// Call detail records: filters (day, type, state, caller, callee, Call-ID: CdrFilterFields.tsx), pages of
// newest-first rows, a row's full record in a side panel, and EXP CDR with the same filters to write the
// CSV (downloaded from /api/export in a browser).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CdrRecordData } from '../../../../core/control/contract';
import { mml } from '../../api/mml-text';
import { DataTable, type Column } from '../../components/DataTable';
import {
  ErrorState,
  Loading,
  OutcomeLine,
  outcomeOf,
  useOutcomeFor,
  useReloadWhenBack,
  ViewFrame,
} from '../../components/common';
import { useClient, useShell, useT } from '../../store/shell';
import { fieldLabel, fieldValue, reasonOf, reasonTitle, stateOf } from './fields';
import {
  cdrExportParams,
  cdrRead,
  isCurrentRead,
  NEW_RECORD_DELAY_MS,
  newRecordDelay,
  onlyTheDay,
  showCdrPage,
  today,
  traceCallId,
  useCdr,
} from './store';
import { CdrFilterFields } from './CdrFilterFields';
import { showTrace } from '../trace/store';
import { downloadAnswered } from '../../api/download';
import { useChanges } from '../../components/use-changes';
import { clockTime } from '../../components/local-time';
import { focusViewHeading } from '../../components/focus-rescue';
import { peerText, peerTitle } from '../../components/peer-text';

/** EXP CDR's file, downloaded in a browser. */
const CSV_EXPORT = { route: '/api/export/', file: /(cdr_export_[\w.-]+\.csv)/ };

const PAGE = 200;

/**
 * The newest page of today's records follows what happens: a call that ends, a MESSAGE answered (or a
 * registration, when REGISTER rows are listed) reloads it a second later, at most once a second (a call
 * that ended while the view was open stayed out of it until Refresh), or less often when the list took
 * long to read (newRecordDelay: `loadMs` is the last read's time).
 */
function useNewRecords(
  load: () => void,
  newest: boolean,
  type: string,
  loadMs: { readonly current: number },
): void {
  const client = useClient();
  useEffect(() => {
    if (!newest) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const soon = (): void => {
      timer ??= setTimeout(() => {
        timer = undefined;
        load();
      }, newRecordDelay(loadMs.current));
    };
    const quiet = { resync: () => undefined };
    const stops: (() => void)[] = [];
    if (type === '' || type === 'CALL')
      stops.push(
        client.follow('call', { ...quiet, events: (d) => d.some((e) => e.type === 'ended') && soon() }),
      );
    if (type === '' || type === 'MESSAGE') stops.push(client.follow('message', { ...quiet, events: soon }));
    if (type === 'REGISTER' || type === 'UNREGISTER')
      stops.push(client.follow('registration', { ...quiet, events: soon }));
    return () => {
      for (const stop of stops) stop();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [client, load, newest, type, loadMs]);
}

/** A focused row that goes within this long of a CLR CDR being told went with the clear (ms). */
const CLEARED_ROW_MS = 5000;

/** Rows cleared or imported elsewhere, said above the list: kept as data, worded when shown. */
interface CdrNote {
  type: 'cleared' | 'imported';
  rows: number;
  at: number;
  /** The filters it was said under: other filters, other rows, the note goes. */
  filters: string;
}

/**
 * Rows cleared (CLR CDR) or imported by anyone: the list is read again and says so. A clear goes back to
 * the newest page (the older pages' cursors were of rows now gone); an import, which comes in chunks,
 * reloads at most once a second.
 */
function useCdrChanges(load: () => void, filters: string, onCleared: () => void): CdrNote | null {
  const [note, setNote] = useState<CdrNote | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  // The load of the page shown when the timer fires, not of the one shown when it was set.
  const latestLoad = useRef(load);
  useEffect(() => {
    latestLoad.current = load;
  }, [load]);
  useChanges('cdr', (events) => {
    let next = note?.filters === filters ? note : null;
    for (const e of events)
      next =
        e.type === 'imported' && next?.type === 'imported'
          ? { ...next, rows: next.rows + e.rows, at: e.at }
          : { type: e.type, rows: e.rows, at: e.at, filters };
    setNote(next);
    if (events.some((e) => e.type === 'cleared')) {
      onCleared();
      clearTimeout(timer.current);
      timer.current = undefined;
      // An older page's new cursor loads the newest page by itself; on the newest page, it is loaded here.
      const paged = useCdr.getState().cursors.length > 1;
      useCdr.setState({ cursors: [undefined], selected: null });
      if (!paged) load();
      return;
    }
    timer.current ??= setTimeout(() => {
      timer.current = undefined;
      latestLoad.current();
    }, NEW_RECORD_DELAY_MS);
  });
  return note?.filters === filters ? note : null;
}

export default function CdrView() {
  const t = useT();
  const client = useClient();
  const session = useShell((s) => s.session);
  const lang = useShell((s) => s.lang);
  const { filters, cursors, records, total, next, selected, setFilters } = useCdr();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  // The export's line speaks of the filters and language it ran with: it goes when they change.
  const [outcome, setOutcome] = useOutcomeFor(JSON.stringify([filters, lang]));
  const [exporting, setExporting] = useState(false);
  const cursor = cursors[cursors.length - 1];
  // The day opened on is the server's, today on its clock (its zone known once connected), unless the
  // operator chose one: the list waits for it rather than load a day of the browser's zone first.
  const zoneKnown = useShell((s) => s.clockZone !== null);
  const dayChosen = useCdr((s) => s.dayChosen);
  useEffect(() => {
    if (!zoneKnown) return;
    useCdr.getState().setServerDay(today());
    // At the server's midnight the view moves on to the new day (it stayed on yesterday, its new
    // records unseen), unless the operator chose a day.
    const id = setInterval(() => useCdr.getState().setServerDay(today()), 10_000);
    return () => clearInterval(id);
  }, [zoneKnown]);
  const dayKnown = dayChosen || zoneKnown;

  // How long the last read took (a Call-ID part or a state scans the day on the server).
  const loadMs = useRef(0);
  const load = useCallback(() => {
    const sent = performance.now();
    // Only the answer to the latest read of the filters and page shown is shown (they come out of order).
    const read = cdrRead(filters, cursor, PAGE);
    client.snapshot('cdr', read.query).then(
      (page) => {
        if (!showCdrPage(read, page)) return;
        loadMs.current = performance.now() - sent;
        setError(null);
        setLoading(false);
      },
      (err: Error) => {
        if (!isCurrentRead(read)) return;
        setError(err.message);
        setLoading(false);
      },
    );
  }, [client, filters, cursor]);

  useEffect(() => {
    if (dayKnown) load();
  }, [load, dayKnown]);
  useReloadWhenBack(load);
  useNewRecords(
    load,
    cursors.length === 1 && (filters.date === '' || filters.date === today()),
    filters.type,
    loadMs,
  );
  // When a CLR CDR was last told (performance.now()): a focused row gone just after was deleted by it.
  const clearedAt = useRef(-Infinity);
  const changed = useCdrChanges(load, JSON.stringify(filters), () => {
    clearedAt.current = performance.now();
  });

  const exportCsv = async () => {
    // The same rows as the list: EXP CDR's CALLER, CALLEE, CALLID and STATE mean what the query's do.
    const command = mml('EXP CDR', cdrExportParams(filters));
    // A day of records takes a while to write and fetch: the button waits, and the line says so.
    setExporting(true);
    setOutcome({ ok: true, text: t('cdr.exporting') });
    try {
      const r = await client.execute(command);
      const o = outcomeOf(t, r);
      // Written but not fetched: no download followed, so the line must not say done (it throws).
      if (o.ok) await downloadAnswered(r.text, CSV_EXPORT, session.kind === 'open' ? session.token : null);
      setOutcome(o);
    } catch (err) {
      setOutcome(outcomeOf(t, err as Error));
    } finally {
      setExporting(false);
    }
  };

  const columns: Column<CdrRecordData>[] = [
    {
      key: 'start',
      header: t('cdr.start'),
      cell: (r) => `${r.date} ${r.start_time}`,
      width: '170px',
      className: 'mono',
    },
    { key: 'type', header: t('cdr.type'), cell: (r) => r.record_type, width: '100px' },
    // Room for the longest state, UNREGISTERED. In Chinese the words DSP CDR's Result uses; the stored
    // state in the tooltip.
    {
      key: 'state',
      header: t('cdr.state'),
      cell: (r) =>
        lang === 'zh' ? <span title={String(r.call_state ?? '')}>{stateOf(r, lang)}</span> : r.call_state,
      width: '130px',
    },
    { key: 'caller', header: t('cdr.caller'), cell: (r) => r.caller_number || r.caller_uri, width: '130px' },
    { key: 'callee', header: t('cdr.callee'), cell: (r) => r.callee_number || r.callee_uri, width: '130px' },
    {
      key: 'duration',
      header: t('cdr.duration'),
      // One format for every row (the store gives 8 and 5.01): seconds with two decimals.
      cell: (r) => (typeof r.duration === 'number' ? r.duration.toFixed(2) : ''),
      width: '110px',
      className: 'num',
    },
    {
      key: 'status',
      header: t('cdr.status'),
      cell: (r) => `${r.status_code ?? ''} ${r.status_text ?? ''}`,
      width: '140px',
    },
    // Fixed widths: with the record's panel open the table scrolls sideways instead of squeezing the
    // numbers to one character.
    {
      key: 'reason',
      header: t('cdr.reason'),
      // DSP CDR's Reason: why the call ended (end_reason), the original's word when that is all there is.
      cell: (r) => {
        const title = reasonTitle(r, lang);
        return <span title={title && peerTitle(title)}>{peerText(reasonOf(r, lang))}</span>;
      },
      width: '160px',
    },
  ];
  // The record opened, fresh from the page while its row is on it; the panel keeps it when newer records
  // push it off the page (it was closing by itself within seconds under load).
  const record =
    selected === null ? undefined : (records.find((r) => r.record_id === selected.record_id) ?? selected);

  // Closing the record (Close, or Escape as in Logs) gives the focus back to its row when the focus was
  // in the panel or on the row (not when it is in a filter the reader went on to).
  const split = useRef<HTMLDivElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLElement>(null);
  // Opened from a call's ladder (showCdr): the record's panel takes the focus.
  const focusRecord = useCdr((s) => s.focusRecord);
  useEffect(() => {
    if (!focusRecord || record === undefined) return;
    panel.current?.focus();
    useCdr.setState({ focusRecord: false });
  }, [focusRecord, record]);
  const olderButton = useRef<HTMLButtonElement>(null);
  const closeRecord = useCallback(() => {
    const index = records.findIndex((r) => r.record_id === selected?.record_id);
    const focus = document.activeElement;
    const inPanel = focus === document.body || (focus !== null && split.current?.contains(focus) === true);
    useCdr.setState({ selected: null });
    if (index < 0 || !inPanel) return;
    split.current?.querySelector<HTMLElement>(`tbody tr[aria-rowindex="${index + 2}"]`)?.focus();
  }, [records, selected]);
  // The focused row went off the page (newer records came in): the focus goes to its record's panel
  // when it is open, else to "Older records" (where it went), and the outcome line says so; it must not
  // stay at the row's place, on another record, as if nothing had happened.
  const rowGone = useCallback(
    (id: string) => {
      // Deleted by a CLR CDR (anyone's): not pushed off, and nowhere to go; the note above the list says
      // what happened, the focus goes to the view's heading.
      if (performance.now() - clearedAt.current < CLEARED_ROW_MS) {
        setOutcome({ ok: true, text: t('cdr.rowCleared', { id }) });
        focusViewHeading();
        return;
      }
      const close = closeButton.current;
      if (selected?.record_id === id && close !== null) {
        setOutcome({ ok: true, text: t('cdr.rowLeftOpen', { id }) });
        close.focus();
        return;
      }
      setOutcome({ ok: true, text: t('cdr.rowLeft', { id }) });
      const older = olderButton.current;
      if (older !== null && !older.disabled) older.focus();
      else focusViewHeading();
    },
    [selected, setOutcome, t],
  );
  useEffect(() => {
    if (selected === null) return;
    // Not the Escape of a field (a search field clears itself with it) or of a dialog (it closes itself).
    const onKey = (e: KeyboardEvent) => {
      const target = e.target;
      const field =
        target instanceof HTMLInputElement ||
        target instanceof HTMLSelectElement ||
        target instanceof HTMLTextAreaElement;
      if (
        e.key === 'Escape' &&
        !field &&
        !e.defaultPrevented &&
        document.querySelector('dialog[open]') === null
      )
        closeRecord();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [selected, closeRecord]);

  return (
    <ViewFrame
      title={t('view.cdr')}
      code="CDR"
      toolbar={
        <div className="toolbar">
          <button type="button" className="btn" onClick={load}>
            {t('common.refresh')}
          </button>
          {/* EXP CDR writes one day: with every day listed, no export would match the list. */}
          <button
            type="button"
            className="btn"
            disabled={filters.date === '' || exporting}
            aria-busy={exporting}
            title={filters.date === '' ? t('cdr.exportNeedsDay') : undefined}
            onClick={() => void exportCsv()}
          >
            {t('cdr.export')}
          </button>
        </div>
      }
    >
      <div className="toolbar" role="group" aria-label={t('cdr.filters')}>
        <CdrFilterFields filters={filters} setFilters={setFilters} />
      </div>
      <OutcomeLine outcome={outcome} />
      {changed && (
        <div className="banner" role="status" data-testid="cdr-changed">
          {t(changed.type === 'cleared' ? 'cdr.clearedElsewhere' : 'cdr.importedElsewhere', {
            n: changed.rows,
            time: clockTime(changed.at),
          })}
        </div>
      )}
      {error && <ErrorState message={error} onRetry={load} />}
      <div className="pager">
        <button
          type="button"
          className="btn btn-small"
          disabled={cursors.length <= 1}
          onClick={() => useCdr.setState({ cursors: [undefined] })}
        >
          {t('cdr.newest')}
        </button>
        <button
          type="button"
          className="btn btn-small"
          disabled={cursors.length <= 1}
          onClick={() => useCdr.setState({ cursors: cursors.slice(0, -1) })}
        >
          {t('common.previous')}
        </button>
        <button
          type="button"
          className="btn btn-small"
          disabled={next === undefined}
          ref={olderButton}
          onClick={() => useCdr.setState({ cursors: [...cursors, next] })}
        >
          {t('cdr.more')}
        </button>
        <span>
          {/* Nothing loaded (an error) or nothing matches (said once, in the table): no count. */}
          {total === 0 && (error !== null || !loading)
            ? null
            : t('common.showing', {
                shown: `${(cursors.length - 1) * PAGE + (records.length > 0 ? 1 : 0)}–${(cursors.length - 1) * PAGE + records.length}`,
                total,
              })}
        </span>
      </div>
      <div className="split" ref={split}>
        <div style={{ display: 'flex', flexDirection: 'column', minHeight: 0 }}>
          {loading && records.length === 0 ? (
            <Loading />
          ) : (
            <>
              <DataTable
                label={t('view.cdr')}
                columns={columns}
                rows={records}
                rowKey={(r) => r.record_id}
                onRowClick={(r) => useCdr.setState({ selected: r })}
                selectedKey={selected?.record_id ?? null}
                onFocusedRowGone={rowGone}
                empty={
                  error
                    ? undefined
                    : !onlyTheDay(filters)
                      ? t('cdr.noMatch')
                      : filters.date === ''
                        ? t('cdr.none')
                        : t('cdr.noneOnDay', { date: filters.date })
                }
              />
            </>
          )}
        </div>
        {record && (
          <aside
            className="side"
            aria-label={t('cdr.record', { id: record.record_id })}
            ref={panel}
            tabIndex={-1}
          >
            <h3>
              {t('cdr.record', { id: record.record_id })}
              <button type="button" className="btn btn-small" onClick={closeRecord} ref={closeButton}>
                {t('common.close')}
              </button>
            </h3>
            {traceCallId(record) !== '' && (
              <p>
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => showTrace(traceCallId(record))}
                >
                  {t('trace.show')}
                </button>
              </p>
            )}
            <dl className="kv">
              {Object.entries(record).map(([k, v]) => (
                <div key={k} style={{ display: 'contents' }}>
                  <dt title={k}>
                    {fieldLabel(k, lang)}
                    <span className="kv-key">{k}</span>
                  </dt>
                  <dd>{peerText(fieldValue(k, v, lang))}</dd>
                </div>
              ))}
            </dl>
          </aside>
        )}
      </div>
    </ViewFrame>
  );
}
