// The CDR view's state: filters, the page shown and the cursors of the pages before it (the store pages
// newest first with a `before` cursor), and the record opened (kept whole: it stays open when newer
// records push its row off the page).
import { create } from 'zustand';
import type { CdrRecordData } from '../../../../core/control/contract';
import { localDate, serverNow } from '../../components/local-time';
import { useShell } from '../../store/shell';

export interface CdrFilters {
  date: string;
  type: string;
  /** The caller's number, exactly. */
  user: string;
  /** The callee's number, exactly. */
  callee: string;
  /** The Call-ID exactly, else a part of one in any case (DSP CDR CALLID=). */
  callId: string;
  /** A call_state (ENDED, FAILED...), '' for any. */
  state: string;
}

export const NO_FILTERS: Omit<CdrFilters, 'date'> = { type: '', user: '', callee: '', callId: '', state: '' };

/** No filter but the day: an empty list then means the day has no record, not that a filter left none. */
export function onlyTheDay(f: CdrFilters): boolean {
  return (Object.keys(NO_FILTERS) as (keyof typeof NO_FILTERS)[]).every((k) => f[k] === NO_FILTERS[k]);
}

/** After the event that writes a record, how long until the list is read again (the row is written by then). */
export const NEW_RECORD_DELAY_MS = 1000;

/**
 * How long after a new record the newest page is read again: a second, or 20 times the last read's
 * time when that is longer. A Call-ID part or a state filter scans the day's rows (about 0.1-0.5 s for
 * 200,000 rows, in the server's store worker, which also writes the CDR rows and the bindings): read
 * again each second during a load test, the list would keep that worker busy a tenth to a half of the
 * time and a core with it; this way, a twentieth at most.
 */
export function newRecordDelay(lastLoadMs: number): number {
  return Math.max(NEW_RECORD_DELAY_MS, Math.round(lastLoadMs * 20));
}

/** Today on the server's clock and calendar. */
export function today(now = new Date(serverNow())): string {
  return localDate(now);
}

/**
 * The snapshot query for the filters and a page cursor; a user matches as caller (the store filters
 * exactly), the Call-ID as DSP CDR CALLID= takes it (exactly, else a part of one in any case).
 */
export function cdrQuery(f: CdrFilters, before: string | undefined, limit: number): Record<string, unknown> {
  const typed = (value: string): string | undefined => (value.trim() === '' ? undefined : value.trim());
  const query: Record<string, unknown> = {
    limit,
    date: f.date || undefined,
    type: f.type || undefined,
    caller: typed(f.user),
    callee: typed(f.callee),
    callId: typed(f.callId),
    state: f.state || undefined,
    before,
  };
  for (const k of Object.keys(query)) if (query[k] === undefined) delete query[k];
  return query;
}

/** EXP CDR with the filters the list shows: its parameters mean what the query's fields mean. */
export function cdrExportParams(f: CdrFilters): Record<string, string | undefined> {
  const q = cdrQuery(f, undefined, 1);
  return {
    DATE: q.date as string | undefined,
    TYPE: q.type as string | undefined,
    CALLER: q.caller as string | undefined,
    CALLEE: q.callee as string | undefined,
    CALLID: q.callId as string | undefined,
    STATE: q.state as string | undefined,
  };
}

/** A read of the list: the query sent and its number (reads are numbered as they are sent). */
export interface CdrRead {
  query: Record<string, unknown>;
  n: number;
}

let reads = 0;
/** The number of the read whose answer the list shows (0: none yet). */
let shownRead = 0;

/** A read of the page of `filters` at `before`, numbered. */
export function cdrRead(filters: CdrFilters, before: string | undefined, limit: number): CdrRead {
  return { query: cdrQuery(filters, before, limit), n: ++reads };
}

/**
 * Whether a read's answer may be shown: it asked for the filters and page the view shows now, and no
 * later read's answer is shown already. Answers come out of order (a Call-ID part or a state scans the
 * day, slower than the read sent after it): the list showed an older query's rows under the filters
 * cleared since, and its "Showing x of N" disagreed with them and with Export.
 */
export function isCurrentRead(read: CdrRead): boolean {
  const s = useCdr.getState();
  const now = cdrQuery(s.filters, s.cursors[s.cursors.length - 1], read.query.limit as number);
  return read.n > shownRead && JSON.stringify(now) === JSON.stringify(read.query);
}

/** The Call-ID of a record's messages: the SIP Call-ID header, else the original's call_id. */
export function traceCallId(r: CdrRecordData): string {
  return String(r.sip_call_id ?? '') || String(r.call_id ?? '');
}

/**
 * Shows a read's page when it is current (isCurrentRead); says whether it did. A record asked for by
 * showCdr opens with it (its call's first CALL row: a call has one).
 */
export function showCdrPage(
  read: CdrRead,
  page: { records: CdrRecordData[]; total: number; next?: string | undefined },
): boolean {
  if (!isCurrentRead(read)) return false;
  shownRead = read.n;
  const reveal = useCdr.getState().reveal;
  const opened = reveal === null ? undefined : page.records.find((r) => traceCallId(r) === reveal);
  useCdr.setState({
    records: page.records,
    total: page.total,
    next: page.next,
    ...(reveal === null
      ? {}
      : { reveal: null, ...(opened === undefined ? {} : { selected: opened, focusRecord: true }) }),
  });
  return true;
}

/**
 * Opens the CDR view on a call's record (from its ladder in the Trace view): every day's records of that
 * Call-ID (exactly: the store's index finds them), the record opened once read.
 */
export function showCdr(callId: string): void {
  useCdr.getState().setFilters({ ...NO_FILTERS, date: '', callId });
  useCdr.setState({ reveal: callId });
  useShell.getState().selectView('cdr');
}

interface CdrState {
  filters: CdrFilters;
  /**
   * The operator picked the day. Until then the day follows the server's (its CDR days are its own
   * calendar's; a console in another time zone would open on a day with no records).
   */
  dayChosen: boolean;
  /** Cursors of the pages shown so far: cursors[i] fetched page i (undefined: the newest). */
  cursors: (string | undefined)[];
  records: CdrRecordData[];
  total: number;
  next: string | undefined;
  /** The record open in the side panel, as it was read. */
  selected: CdrRecordData | null;
  /** The Call-ID whose record opens when the next page is shown (showCdr), null for none. */
  reveal: string | null;
  /** A record opened by showCdr takes the focus (the control that asked went with its view). */
  focusRecord: boolean;
  setFilters(f: Partial<CdrFilters>): void;
  /** The server's day, taken unless the operator chose one. */
  setServerDay(day: string): void;
}

export const useCdr = create<CdrState>()((set) => ({
  filters: { date: today(), ...NO_FILTERS },
  dayChosen: false,
  cursors: [undefined],
  records: [],
  total: 0,
  next: undefined,
  selected: null,
  reveal: null,
  focusRecord: false,
  setFilters: (f) =>
    set((s) => ({
      filters: { ...s.filters, ...f },
      dayChosen: s.dayChosen || f.date !== undefined,
      cursors: [undefined],
      selected: null,
    })),
  setServerDay: (day) =>
    set((s) =>
      s.dayChosen || s.filters.date === day
        ? {}
        : { filters: { ...s.filters, date: day }, cursors: [undefined], selected: null },
    ),
}));
