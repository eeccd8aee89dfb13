// The live log: the last N lines (N configurable, memory stays bounded), a level filter and a text
// search applied on display, pause/resume that holds new lines (still bounded) until resumed.
import { create } from 'zustand';
import type { LogLineData } from '../../../../core/control/contract';

export const LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR'] as const;
export type Level = (typeof LEVELS)[number];
const RANK: Record<Level, number> = { DEBUG: 0, INFO: 1, WARNING: 2, ERROR: 3 };

export interface LogRow extends LogLineData {
  n: number;
}

/** Appends and keeps the last `keep` lines. */
export function appendBounded<T>(lines: readonly T[], more: readonly T[], keep: number): T[] {
  const all = lines.length + more.length <= keep ? [...lines, ...more] : [...lines, ...more].slice(-keep);
  return all;
}

export function visible(lines: readonly LogRow[], level: Level, search: string): LogRow[] {
  const q = search.trim().toLowerCase();
  return lines.filter(
    (l) =>
      RANK[l.level] >= RANK[level] &&
      (q === '' || l.text.toLowerCase().includes(q) || l.source.toLowerCase().includes(q)),
  );
}

interface LogsState {
  lines: LogRow[];
  held: LogRow[];
  paused: boolean;
  keep: number;
  /**
   * The most lines asked of the server's memory: a larger "Lines kept" (not paused) asks again, for the
   * lines before those held (the server keeps up to 10,000).
   */
  asked: number;
  level: Level;
  search: string;
  loaded: boolean;
  error: string | null;
  reset(lines: LogLineData[]): void;
  apply(lines: LogLineData[]): void;
  setPaused(paused: boolean): void;
  setKeep(keep: number): void;
  setLevel(level: Level): void;
  setSearch(search: string): void;
  clear(): void;
  fail(message: string): void;
}

let n = 0;
const number = (l: LogLineData): LogRow => ({ ...l, n: n++ });

export const useLogs = create<LogsState>()((set) => ({
  lines: [],
  held: [],
  paused: false,
  keep: 2000,
  asked: 2000,
  level: 'DEBUG',
  search: '',
  loaded: false,
  error: null,
  reset: (lines) =>
    set((s) => ({
      lines: appendBounded([], lines.map(number), s.keep),
      held: [],
      loaded: true,
      error: null,
    })),
  apply: (lines) =>
    set((s) =>
      s.paused
        ? { held: appendBounded(s.held, lines.map(number), s.keep) }
        : { lines: appendBounded(s.lines, lines.map(number), s.keep) },
    ),
  setPaused: (paused) =>
    set((s) => (paused ? { paused } : { paused, lines: appendBounded(s.lines, s.held, s.keep), held: [] })),
  setKeep: (keep) =>
    set((s) => ({
      keep,
      asked: keep > s.asked && !s.paused ? keep : s.asked,
      lines: s.lines.slice(-keep),
      held: s.held.slice(-keep),
    })),
  setLevel: (level) => set({ level }),
  setSearch: (search) => set({ search }),
  clear: () => set({ lines: [], held: [] }),
  fail: (message) => set({ error: message }),
}));
