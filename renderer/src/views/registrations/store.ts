// Registrations kept live: the snapshot, then bound/refreshed/expired/removed events applied in order.
// Keyed by AOR + contact, like the location service (a refresh may move a device to a new contact).
import { create } from 'zustand';
import type { BindingData, SnapshotResults, TopicEvents } from '../../../../core/control/contract';

export const keyOf = (b: { aor: string; contact: string }): string => `${b.aor}\n${b.contact}`;

export function applyRegistrationEvents(
  map: ReadonlyMap<string, BindingData>,
  events: readonly TopicEvents['registration'][],
): Map<string, BindingData> {
  const next = new Map(map);
  for (const e of events) {
    if (e.type === 'bound' || e.type === 'refreshed') {
      // A device that registered a new contact (RFC 5626 §6): its old one is gone.
      if (e.previous !== undefined && e.previous.contact !== e.binding.contact)
        next.delete(keyOf(e.previous));
      next.set(keyOf(e.binding), e.binding);
    } else next.delete(keyOf(e.binding));
  }
  return next;
}

interface RegistrationsState {
  bindings: Map<string, BindingData>;
  /** Bindings on the server (the snapshot may hold a page of them). */
  total: number;
  loaded: boolean;
  error: string | null;
  /** The search typed, kept here (not in the view) so that it survives a visit to another view. */
  search: string;
  setSearch(search: string): void;
  reset(s: SnapshotResults['registrations']): void;
  apply(events: TopicEvents['registration'][]): void;
  fail(message: string): void;
}

export const useRegistrations = create<RegistrationsState>()((set) => ({
  bindings: new Map(),
  total: 0,
  loaded: false,
  error: null,
  search: '',
  setSearch: (search) => set({ search }),
  reset: (s) =>
    set({
      bindings: new Map(s.bindings.map((b) => [keyOf(b), b])),
      total: s.total,
      loaded: true,
      error: null,
    }),
  apply: (events) =>
    set((s) => {
      const bindings = applyRegistrationEvents(s.bindings, events);
      return { bindings, total: Math.max(0, s.total + bindings.size - s.bindings.size) };
    }),
  fail: (message) => set({ error: message }),
}));
