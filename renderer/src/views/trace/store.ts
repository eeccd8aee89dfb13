// The Trace view's state: the filters, the dialogs listed (the snapshot, then live updates), the
// selected Call-ID with its messages, and the message shown whole. Other views open a Call-ID's ladder
// with showTrace() (a live call, a CDR row).
import { create } from 'zustand';
import type {
  SnapshotResults,
  TraceDialogData,
  TraceMessageData,
  TraceStateData,
} from '../../../../core/control/contract';
import { useShell } from '../../store/shell';
import { userKey } from '../../../../core/trace/user-key';
import { instantOf } from '../../components/local-time';

export interface TraceFilters {
  callId: string;
  user: string;
  method: string;
  /** '' or '1'..'6'. */
  statusClass: string;
  address: string;
  /** '' or '1'..'6': the class of the dialog's final answer (DSP TRACE FINAL=). */
  finalClass: string;
  /** '' or a trace kind: call, registration, message, subscription, other, malformed. */
  kind: string;
  /**
   * A time range, YYYY-MM-DDTHH:MM[:SS] on the console's clock (the server's zone, as the list shows
   * times), '' for open: the dialogs with messages within it (DSP TRACE FROM=, TO=).
   */
  from: string;
  to: string;
  /** A text the Call-ID or a message of the dialog holds, in any case (DSP TRACE TEXT=). */
  text: string;
}

export const NO_FILTERS: TraceFilters = {
  callId: '',
  user: '',
  method: '',
  statusClass: '',
  address: '',
  finalClass: '',
  kind: '',
  from: '',
  to: '',
  text: '',
};

/**
 * The time range in µs since the epoch: `to` without seconds takes its whole minute (to 14:32 holds the
 * call at 14:32:40).
 */
export function timeRange(f: Pick<TraceFilters, 'from' | 'to'>): { fromUs?: number; toUs?: number } {
  const from = instantOf(f.from);
  const to = instantOf(f.to);
  const wholeMinute = /[T ]\d\d:\d\d$/.test(f.to.trim());
  return {
    ...(from === undefined ? {} : { fromUs: from * 1000 }),
    ...(to === undefined ? {} : { toUs: (to + (wholeMinute ? 60_000 : 1000)) * 1000 - 1 }),
  };
}

/** Most dialogs a page of the list holds (newest first); Previous / Next page through the rest. */
export const LIST_LIMIT = 500;

/** The snapshot query for the filters and the page starting at `offset` (0: the newest dialogs). */
export function traceQuery(f: TraceFilters, limit = LIST_LIMIT, offset = 0): Record<string, unknown> {
  const q: Record<string, unknown> = { limit };
  if (offset > 0) q.offset = offset;
  if (f.callId.trim() !== '') q.callId = f.callId.trim();
  if (f.user.trim() !== '') q.user = f.user.trim();
  if (f.method.trim() !== '') q.method = f.method.trim().toUpperCase();
  if (f.statusClass !== '') q.statusClass = Number(f.statusClass);
  if (f.address.trim() !== '') q.address = f.address.trim();
  if (f.finalClass !== '') q.finalClass = Number(f.finalClass);
  if (f.kind !== '') q.kind = f.kind;
  Object.assign(q, timeRange(f));
  if (f.text.trim() !== '') q.text = f.text.trim();
  return q;
}

/** Is a filter set that only the server can check (method, status class, address, a message's text)? */
export function serverOnly(f: TraceFilters): boolean {
  return f.method !== '' || f.statusClass !== '' || f.address.trim() !== '' || f.text.trim() !== '';
}

/**
 * Whether a live update may join the list: a dialog already listed always updates; a new one joins
 * when the filters that its summary can answer (Call-ID, user as From/To, time range) let it, and no
 * filter that only the server can check (method, status class, address, text) is set: the view asks the
 * server then.
 */
export function admits(f: TraceFilters, d: TraceDialogData): boolean {
  if (serverOnly(f)) return false;
  if (f.callId.trim() !== '' && !d.callId.toLowerCase().includes(f.callId.trim().toLowerCase())) return false;
  // As the server's filter: escaped or not (`*21%23` is `*21#`), any case.
  const user = f.user.trim() === '' ? '' : userKey(f.user.trim());
  if (user !== '' && d.from.toLowerCase() !== user && d.to.toLowerCase() !== user) return false;
  // A summary says its final answer and kind: a dialog joins once its final answer is of the class.
  if (f.finalClass !== '' && Math.floor(d.finalStatus / 100) !== Number(f.finalClass)) return false;
  if (f.kind !== '' && d.kind !== f.kind) return false;
  const { fromUs, toUs } = timeRange(f);
  if ((fromUs !== undefined && d.lastUs < fromUs) || (toUs !== undefined && d.startUs > toUs)) return false;
  return true;
}

/**
 * The list after live updates: updated in place, new ones first, at most LIST_LIMIT (newest kept); a
 * dialog the trace let go (`gone`: its ring full, trace.db off) leaves it. On an older page (`offset`
 * above 0) a new dialog does not join: it belongs to the newest page (the total counts it).
 */
export function applyTraceEvents(
  list: readonly TraceDialogData[],
  events: readonly TraceDialogData[],
  f: TraceFilters,
  offset = 0,
): TraceDialogData[] {
  const byId = new Map(list.map((d) => [d.callId, d]));
  for (const e of events) {
    if (e.gone === true) byId.delete(e.callId);
    else if (byId.has(e.callId) || (offset === 0 && admits(f, e))) byId.set(e.callId, e);
  }
  const next = [...byId.values()].sort((a, b) => b.startUs - a.startUs);
  return next.length > LIST_LIMIT ? next.slice(0, LIST_LIMIT) : next;
}

/** The page's offset, or the last page's when the dialogs matching now end before it. */
export function pageWithin(offset: number, total: number): number {
  if (offset === 0 || offset < total) return offset;
  return Math.max(0, Math.floor((total - 1) / LIST_LIMIT) * LIST_LIMIT);
}

/** How many of the events are dialogs the list does not hold (not counting those let go). */
function unknownTo(list: readonly TraceDialogData[], events: readonly TraceDialogData[]): number {
  const known = new Set(list.map((d) => d.callId));
  return events.filter((e) => e.gone !== true && !known.has(e.callId)).length;
}

/**
 * How the total changes with the events: up by the dialogs the list did not hold and would take, down by
 * those let go that it held or would have (a filter only the server checks: the view asks it again).
 */
export function newDialogs(
  list: readonly TraceDialogData[],
  events: readonly TraceDialogData[],
  f: TraceFilters,
): number {
  const known = new Set(list.map((d) => d.callId));
  let n = 0;
  for (const e of events) {
    if (e.gone === true) {
      if (known.delete(e.callId) || admits(f, e)) n--;
      continue;
    }
    if (known.has(e.callId) || !admits(f, e)) continue;
    known.add(e.callId);
    n++;
  }
  return n;
}

interface TraceState {
  filters: TraceFilters;
  /** Where the page shown starts in the dialogs matching the filters (0: the newest). */
  offset: number;
  dialogs: TraceDialogData[];
  total: number;
  loaded: boolean;
  error: string | null;
  /** Whether the trace keeps messages (the snapshot's, then the traceState topic's); null until loaded. */
  keeping: TraceStateData | null;
  /** The Call-ID whose ladder is shown. */
  selected: string | null;
  messages: TraceMessageData[];
  /** seq of the message shown whole. */
  message: number | null;
  /**
   * The ladder was asked for from another view (showTrace): it takes the focus when shown, the control
   * that asked having gone with its view.
   */
  reveal: boolean;
  /**
   * Dialogs that came live while a server-only filter is set, not yet asked about: the view asks the
   * server again (at most once a second) so that the filtered list stays live.
   */
  unchecked: number;
  /** Other filters: back to the newest page. */
  setFilters(f: Partial<TraceFilters>): void;
  setOffset(offset: number): void;
  reset(s: SnapshotResults['trace']): void;
  apply(events: TraceDialogData[]): void;
  fail(message: string): void;
  select(callId: string | null): void;
}

export const useTrace = create<TraceState>()((set) => ({
  filters: NO_FILTERS,
  offset: 0,
  dialogs: [],
  total: 0,
  loaded: false,
  error: null,
  keeping: null,
  selected: null,
  messages: [],
  message: null,
  reveal: false,
  unchecked: 0,
  setFilters: (f) => set((s) => ({ filters: { ...s.filters, ...f }, offset: 0 })),
  setOffset: (offset) => set({ offset }),
  // An older page past the end (the ring let its dialogs go): the last page instead, which the view reads.
  reset: (s) =>
    set((st) => ({
      dialogs: s.dialogs,
      total: s.total,
      offset: pageWithin(st.offset, s.total),
      loaded: true,
      error: null,
      keeping: s.state,
      unchecked: 0,
    })),
  apply: (events) =>
    set((s) => ({
      dialogs: applyTraceEvents(s.dialogs, events, s.filters, s.offset),
      total: Math.max(0, s.total + newDialogs(s.dialogs, events, s.filters)),
      unchecked: serverOnly(s.filters) ? s.unchecked + unknownTo(s.dialogs, events) : 0,
    })),
  fail: (message) => set({ error: message, loaded: true }),
  select: (callId) =>
    set((s) => (s.selected === callId ? s : { selected: callId, messages: [], message: null })),
}));

/** Opens the Trace view on a Call-ID's ladder (from a live call, a CDR row). */
export function showTrace(callId: string): void {
  useTrace.getState().select(callId);
  useTrace.setState({ reveal: true });
  useShell.getState().selectView('trace');
}
