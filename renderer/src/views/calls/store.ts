// Live calls: the snapshot, then call events. An ended call stays a few seconds, marked, so the
// operator sees how it ended; prune() drops those past their time.
import { create } from 'zustand';
import type { CallData, SnapshotResults, TopicEvents } from '../../../../core/control/contract';
import { serverNow } from '../../components/local-time';
import { ownClockNow } from '../../components/own-clock';
import { formatDuration } from '../../components/common';

export const LINGER_MS = 5000;

export interface CallRow {
  call: CallData;
  /** When it ended (ms); undefined while live. */
  endedAt?: number;
  /** This browser's steady clock (performance.now()) when the call's clockAt was read. */
  seenAt: number;
}

/**
 * Now on a live call's own clock: the server's reading of it (clockAt) plus this browser's steady time
 * since, so neither clock's step moves a duration; the server's wall clock without that reading.
 */
export function callNow(row: CallRow, steadyNow: number, serverNow: number): number {
  return ownClockNow({ clockAt: row.call.clockAt, seenAt: row.seenAt }, steadyNow, serverNow);
}

/**
 * The Duration column: the talk time from the answer in whole seconds, cut (as the Dialer's Talk and the
 * CDR's Duration count it); blank while the call rings and for one that ended unanswered, as theirs are
 * (it counted from the INVITE, a ringing call read 00:14 under Duration where the others were blank).
 */
export function durationText(row: CallRow, steadyNow: number, serverNow: number): string {
  const from = row.call.answeredAt;
  if (from === undefined) return '';
  return formatDuration(((row.endedAt ?? callNow(row, steadyNow, serverNow)) - from) / 1000);
}

export function applyCallEvents(
  map: ReadonlyMap<string, CallRow>,
  events: readonly TopicEvents['call'][],
  now: number,
  seenAt = performance.now(),
): Map<string, CallRow> {
  const next = new Map(map);
  for (const e of events) {
    if (e.type === 'ended') next.set(e.call.id, { call: e.call, endedAt: e.call.endedAt ?? now, seenAt });
    else next.set(e.call.id, { call: e.call, seenAt });
  }
  return next;
}

/** Drops the ended calls shown LINGER_MS on this browser's steady clock (a server's clock step keeps none). */
export function pruneCalls(
  map: ReadonlyMap<string, CallRow>,
  steadyNow: number,
): Map<string, CallRow> | null {
  let changed = false;
  const next = new Map(map);
  for (const [id, row] of map) {
    if (row.endedAt !== undefined && steadyNow - row.seenAt >= LINGER_MS) {
      next.delete(id);
      changed = true;
    }
  }
  return changed ? next : null;
}

interface CallsState {
  calls: Map<string, CallRow>;
  loaded: boolean;
  error: string | null;
  reset(s: SnapshotResults['calls']): void;
  apply(events: TopicEvents['call'][]): void;
  prune(steadyNow: number): void;
  fail(message: string): void;
}

export const useCalls = create<CallsState>()((set) => ({
  calls: new Map(),
  loaded: false,
  error: null,
  reset: (s) => {
    const seenAt = performance.now();
    set({ calls: new Map(s.calls.map((c) => [c.id, { call: c, seenAt }])), loaded: true, error: null });
  },
  apply: (events) => set((s) => ({ calls: applyCallEvents(s.calls, events, serverNow()) })),
  prune: (steadyNow) =>
    set((s) => {
      const next = pruneCalls(s.calls, steadyNow);
      return next === null ? s : { calls: next };
    }),
  fail: (message) => set({ error: message }),
}));
