// Registrations kept live: a page of the server's (the search applied there), then the bound/refreshed/
// expired/removed events applied in order. Keyed by AOR + contact, like the location service (a refresh
// may move a device to a new contact). The total follows the events by their kind (a refresh is no new
// binding, wherever it is), and a page that holds only part of the bindings keeps its rows: new ones
// are counted, not added.
import { create } from 'zustand';
import type { BindingData, SnapshotResults, TopicEvents } from '../../../../core/control/contract';
import { bindingMatches } from '../../../../core/control/binding-match';

export const keyOf = (b: { aor: string; contact: string }): string => `${b.aor}\n${b.contact}`;

/** What a page is: the search it was asked with, and whether it holds every binding that matches it. */
export interface RegistrationsPage {
  search: string;
  whole: boolean;
}

const WHOLE: RegistrationsPage = { search: '', whole: true };

/**
 * The page after the events, and by how much they changed the number of bindings that match (added) and
 * the number of all bindings, whatever the search (addedAll).
 */
export function applyRegistrationEvents(
  map: ReadonlyMap<string, BindingData>,
  events: readonly TopicEvents['registration'][],
  page: RegistrationsPage = WHOLE,
): { bindings: Map<string, BindingData>; added: number; addedAll: number } {
  const next = new Map(map);
  let added = 0;
  let addedAll = 0;
  for (const e of events) {
    const key = keyOf(e.binding);
    const matches = bindingMatches(e.binding, page.search);
    if (e.type === 'bound' || e.type === 'refreshed') {
      // A device that registered a new contact (RFC 5626 §6): its old one is gone, the new one in its place.
      const moved = e.previous !== undefined && e.previous.contact !== e.binding.contact;
      const replaced = moved && next.delete(keyOf(e.previous!));
      if (next.has(key) || replaced || (page.whole && matches)) next.set(key, e.binding);
      if (e.type === 'bound' && matches) added++;
      if (e.type === 'bound') addedAll++;
    } else {
      next.delete(key);
      if (matches) added--;
      addedAll--;
    }
  }
  return { bindings: next, added, addedAll };
}

interface RegistrationsState {
  bindings: Map<string, BindingData>;
  /** Bindings on the server that match the search (the page may hold part of them). */
  total: number;
  /** Every binding on the server, whatever the search: what Remove all (CLR REG) removes. */
  all: number;
  /** The page's first binding in the server's list; its search; whether it holds them all. */
  offset: number;
  page: RegistrationsPage;
  loaded: boolean;
  error: string | null;
  /** The search typed, kept here (not in the view) so that it survives a visit to another view. */
  search: string;
  /**
   * How many bindings the last search's page found, as it arrived (null without a search): said once
   * per search, where the count beside it follows every REGISTER.
   */
  found: number | null;
  setSearch(search: string): void;
  setOffset(offset: number): void;
  reset(s: SnapshotResults['registrations'], search?: string): void;
  apply(events: TopicEvents['registration'][]): void;
  fail(message: string): void;
}

export const useRegistrations = create<RegistrationsState>()((set) => ({
  bindings: new Map(),
  total: 0,
  all: 0,
  offset: 0,
  page: WHOLE,
  loaded: false,
  error: null,
  search: '',
  found: null,
  setSearch: (search) => set({ search, offset: 0 }),
  setOffset: (offset) => set({ offset }),
  reset: (s, search = '') =>
    set({
      bindings: new Map(s.bindings.map((b) => [keyOf(b), b])),
      total: s.total,
      all: s.all,
      page: { search, whole: s.offset === 0 && s.bindings.length >= s.total },
      found: search === '' ? null : s.total,
      loaded: true,
      error: null,
    }),
  apply: (events) =>
    set((s) => {
      const { bindings, added, addedAll } = applyRegistrationEvents(s.bindings, events, s.page);
      return { bindings, total: Math.max(0, s.total + added), all: Math.max(0, s.all + addedAll) };
    }),
  fail: (message) => set({ error: message }),
}));
