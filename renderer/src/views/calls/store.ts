// Live calls: the snapshot, then call events. An ended call stays a few seconds, marked, so the
// operator sees how it ended; prune() drops those past their time.
import { create } from 'zustand';
import type { CallData, SnapshotResults, TopicEvents } from '../../../../core/control/contract';
import { serverNow } from '../../components/local-time';

export const LINGER_MS = 5000;

export interface CallRow {
  call: CallData;
  /** When it ended (ms); undefined while live. */
  endedAt?: number;
}

export function applyCallEvents(
  map: ReadonlyMap<string, CallRow>,
  events: readonly TopicEvents['call'][],
  now: number,
): Map<string, CallRow> {
  const next = new Map(map);
  for (const e of events) {
    if (e.type === 'ended') next.set(e.call.id, { call: e.call, endedAt: e.call.endedAt ?? now });
    else next.set(e.call.id, { call: e.call });
  }
  return next;
}

export function pruneCalls(map: ReadonlyMap<string, CallRow>, now: number): Map<string, CallRow> | null {
  let changed = false;
  const next = new Map(map);
  for (const [id, row] of map) {
    if (row.endedAt !== undefined && now - row.endedAt >= LINGER_MS) {
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
  prune(now: number): void;
  fail(message: string): void;
}

export const useCalls = create<CallsState>()((set) => ({
  calls: new Map(),
  loaded: false,
  error: null,
  reset: (s) => set({ calls: new Map(s.calls.map((c) => [c.id, { call: c }])), loaded: true, error: null }),
  apply: (events) => set((s) => ({ calls: applyCallEvents(s.calls, events, serverNow()) })),
  prune: (now) =>
    set((s) => {
      const next = pruneCalls(s.calls, now);
      return next === null ? s : { calls: next };
    }),
  fail: (message) => set({ error: message }),
}));
