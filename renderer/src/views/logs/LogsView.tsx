// The live log: tail of the appliance's log (snapshot, then the log topic), level filter, text search,
// pause/resume, the last N lines kept (N configurable); a line expands to its full text under it (a whole
// SIP message at DEBUG). The server's own level decides what is logged at all (SET LOG / Configuration). A
// day's whole file is downloaded from the toolbar (DayLogDownload).
import { useEffect, useMemo, useRef, useState } from 'react';
import { followLive } from '../../api/live';
import { DataTable, type Column } from '../../components/DataTable';
import { ErrorState, FoundStatus, Loading, SearchField, ViewFrame } from '../../components/common';
import { dateTimeMs, stampMs } from '../../components/local-time';
import { useClient, useT } from '../../store/shell';
import { DayLogDownload } from './DayLogDownload';
import { LEVELS, useLogs, visible, type Level, type LogRow } from './store';

const KEEP = [500, 2000, 10000, 50000];
/** The id of the opened line's full text, which its row controls (aria-controls). */
const FULL_TEXT = 'log-full-text';

/**
 * A record opened whole: its line's head as the file writes it (time on the server's clock, level,
 * source) and its text (the file indents a record's further lines; here they read as the message they are).
 */
const fullText = (l: LogRow): string =>
  `${dateTimeMs(l.time)} [${l.level.padEnd(8)}] [${l.source}] ${l.text}`;

/** A multi-line record (a SIP message) on one row: its lines joined, the row cut by CSS. */
const oneLine = (text: string): string => text.replace(/\r?\n/g, ' ⏎ ');

export default function LogsView() {
  const t = useT();
  const client = useClient();
  const s = useLogs();
  const [open, setOpen] = useState<LogRow | null>(null);
  // Pause and Resume said once to a screen reader (the banner's count changes with each held line, so
  // it is no live region itself; WCAG 4.1.3).
  const [pauseSaid, setPauseSaid] = useState(false);
  const scroller = useRef<HTMLDivElement>(null);

  // The server's newest lines (as many as "Lines kept", its memory keeping up to 50,000, and its
  // warnings and errors before them) when the view opens, reconnects, or is asked to keep more.
  const asked = useLogs((x) => x.asked);
  useEffect(() => {
    const st = useLogs.getState();
    return followLive(client, {
      topic: 'log',
      load: () => client.snapshot('log', { limit: useLogs.getState().keep }),
      reset: (snap) => st.reset(snap.lines),
      apply: st.apply,
      failed: (e) => st.fail(e.message),
    });
  }, [client, asked]);

  const rows = useMemo(() => visible(s.lines, s.level, s.search), [s.lines, s.level, s.search]);

  // The view follows the newest lines while the reader is at the bottom, as `tail -f` in a terminal
  // does; scrolled up to read (or with a line open) it stays where it is until they come back down.
  const [atBottom, setAtBottom] = useState(true);
  const following = atBottom && open === null && !s.paused;
  const tableScroll = () => scroller.current?.querySelector<HTMLElement>('.table-scroll') ?? null;
  useEffect(() => {
    const el = tableScroll();
    if (el === null) return;
    const onScroll = () => setAtBottom(el.scrollHeight - el.scrollTop - el.clientHeight < 32);
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, [s.loaded]);
  // Following is the table's to do (stickToEnd): it scrolls after the virtual list has its full height,
  // also when the view opens on lines already held and none arrive.
  const followNewest = () => {
    setOpen(null);
    setAtBottom(true);
    const el = tableScroll();
    if (el) el.scrollTop = el.scrollHeight;
  };

  // Escape closes the line opened under its row.
  useEffect(() => {
    if (open === null) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(null);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open]);

  const columns: Column<LogRow>[] = [
    {
      key: 'time',
      header: t('logs.time'),
      cell: (l) => <span title={dateTimeMs(l.time)}>{stampMs(l.time)}</span>,
      width: '160px',
      className: 'mono',
    },
    {
      key: 'level',
      header: t('logs.level'),
      cell: (l) => <span className={`log-level-${l.level}`}>{l.level}</span>,
      width: '80px',
      className: 'mono',
    },
    { key: 'source', header: t('logs.source'), cell: (l) => l.source, width: '100px', className: 'mono' },
    {
      key: 'text',
      header: t('logs.text'),
      cell: (l) => <span className={`log-level-${l.level}`}>{oneLine(l.text)}</span>,
      className: 'mono',
    },
  ];

  return (
    <ViewFrame
      title={t('view.logs')}
      code="LOG"
      toolbar={
        <div className="toolbar">
          <label>
            {t('logs.level')}
            <select
              aria-label={t('logs.level')}
              value={s.level}
              onChange={(e) => s.setLevel(e.target.value as Level)}
            >
              {LEVELS.map((l) => (
                <option key={l}>{l}</option>
              ))}
            </select>
          </label>
          <SearchField label={t('logs.search')} value={s.search} onChange={s.setSearch} />
          <label>
            {t('logs.keep')}
            <select
              aria-label={t('logs.keep')}
              value={s.keep}
              onChange={(e) => s.setKeep(Number(e.target.value))}
            >
              {KEEP.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className="btn"
            onClick={() => {
              setPauseSaid(true);
              s.setPaused(!s.paused);
            }}
          >
            {s.paused ? t('logs.resume') : t('logs.pause')}
          </button>
          <button type="button" className="btn" onClick={s.clear}>
            {t('logs.clear')}
          </button>
          <DayLogDownload />
        </div>
      }
    >
      <div className="visually-hidden" aria-live="polite" data-testid="pause-said">
        {pauseSaid ? t(s.paused ? 'logs.pausedSaid' : 'logs.resumedSaid') : ''}
      </div>
      {s.paused && <div className="banner banner-warn">{t('logs.paused', { n: s.held.length })}</div>}
      {!s.paused && !following && s.loaded && (
        <div className="banner">
          {t('logs.notFollowing')}{' '}
          <button type="button" className="btn" onClick={followNewest}>
            {t('logs.follow')}
          </button>
        </div>
      )}
      <FoundStatus
        filter={s.search.trim() === '' && s.level === LEVELS[0] ? '' : `${s.level} ${s.search.trim()}`}
        text={t('logs.found', { n: rows.length })}
      />
      {s.error && <ErrorState message={s.error} />}
      {!s.loaded && !s.error ? (
        <Loading />
      ) : (
        <div ref={scroller} style={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }}>
          <DataTable
            label={t('view.logs')}
            columns={columns}
            rows={rows}
            rowKey={(l) => String(l.n)}
            empty={t('common.none')}
            onRowClick={(l) => setOpen(open?.n === l.n ? null : l)}
            selectedKey={open ? String(open.n) : null}
            stickToEnd={following}
            // The line's text opens under its row (the table scrolls both into view; the focus stays
            // on the row, whose Enter or Escape closes it), a region named by the column: a reader told
            // "expanded" by the row's first cell (a disclosure button) finds it in the landmarks.
            expanded={{
              key: open ? String(open.n) : null,
              controls: FULL_TEXT,
              detail: open && (
                <pre className="log-full" id={FULL_TEXT} role="region" aria-label={t('logs.text')}>
                  {fullText(open)}
                </pre>
              ),
            }}
          />
        </div>
      )}
    </ViewFrame>
  );
}
