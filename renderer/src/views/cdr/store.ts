// The CDR view's state: filters, the page shown and the cursors of the pages before it (the store pages
// newest first with a `before` cursor), and the record opened (kept whole: it stays open when newer
// records push its row off the page).
import { create } from 'zustand';
import type { CdrRecordData } from '../../../../core/control/contract';
import { localDate, serverNow } from '../../components/local-time';

export interface CdrFilters {
  date: string;
  type: string;
  user: string;
}

/** Today on the server's clock and calendar. */
export function today(now = new Date(serverNow())): string {
  return localDate(now);
}

/** The snapshot query for the filters and a page cursor; a user matches as caller (the store filters exactly). */
export function cdrQuery(f: CdrFilters, before: string | undefined, limit: number): Record<string, unknown> {
  return {
    limit,
    ...(f.date !== '' ? { date: f.date } : {}),
    ...(f.type !== '' ? { type: f.type } : {}),
    ...(f.user.trim() !== '' ? { caller: f.user.trim() } : {}),
    ...(before !== undefined ? { before } : {}),
  };
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
  setFilters(f: Partial<CdrFilters>): void;
  /** The server's day, taken unless the operator chose one. */
  setServerDay(day: string): void;
}

export const useCdr = create<CdrState>()((set) => ({
  filters: { date: today(), type: '', user: '' },
  dayChosen: false,
  cursors: [undefined],
  records: [],
  total: 0,
  next: undefined,
  selected: null,
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
