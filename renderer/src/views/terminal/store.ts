// The terminal's state, kept while the operator visits other views and across the login page (a session
// that ended, logged out elsewhere or expired, and was opened again in the same tab): the line typed and not
// sent yet, in memory only, the scrollback (bounded by entries and by lines), the command history (loaded from DSP HISTORY, so it is the same list the appliance keeps) and where ↑/↓
// stand in it.
import { create } from 'zustand';
import { serverNow } from '../../components/local-time';

export interface TerminalEntry {
  id: number;
  command: string;
  /** When it was sent, on the server's clock. */
  at: number;
  /** The MML text of the results; null while running. */
  text: string | null;
  /** Worst return code of the results (0: all succeeded); -1 for a transport error. */
  retcode: number;
}

export const MAX_SCROLLBACK = 200;
/**
 * Lines of results the scrollback holds at most (a line is a few DOM nodes): older entries go first, the
 * newest always stays whole, however long (its Copy has the whole text anyway; a long one is drawn in part,
 * long-entry.ts). 20,000 lines keep one
 * DSP USER ALL of 12,000 users and what came before it up to that; three of them were 108k nodes.
 */
export const MAX_SCROLLBACK_LINES = 20_000;
export const MAX_HISTORY = 500;

interface TerminalState {
  entries: TerminalEntry[];
  history: string[];
  /** Index in history while walking it with ↑/↓; history.length when not walking. */
  cursor: number;
  /** What was typed before walking started (restored at the bottom). */
  draft: string;
  historyLoaded: boolean;
  /** The command line as typed and not sent (memory only: it may hold a password being typed). */
  typed: string;
  setTyped(text: string): void;
  /** `lines`: what ↑ recalls of it, one line each (a pasted script's lines); the command by default. */
  begin(command: string, lines?: readonly string[]): number;
  /** `shown`: the command as the appliance recorded it (its secrets masked), to echo instead. */
  finish(id: number, text: string, retcode: number, shown?: string): void;
  clear(): void;
  setHistory(commands: string[]): void;
  /** Moves in the history; returns the line to show. */
  walk(direction: -1 | 1, current: string): string;
}

let nextId = 1;

const lineCount = (e: TerminalEntry): number => {
  if (e.text === null) return 1;
  let n = 1;
  for (let i = e.text.indexOf('\n'); i >= 0; i = e.text.indexOf('\n', i + 1)) n++;
  return n;
};

/** The newest MAX_SCROLLBACK entries, fewer when their lines pass MAX_SCROLLBACK_LINES (the newest stays). */
export function bounded(entries: TerminalEntry[]): TerminalEntry[] {
  let from = Math.max(0, entries.length - MAX_SCROLLBACK);
  let lines = 0;
  for (let i = entries.length - 1; i >= from; i--) {
    lines += lineCount(entries[i]!);
    if (lines > MAX_SCROLLBACK_LINES && i < entries.length - 1) {
      from = i + 1;
      break;
    }
  }
  return from === 0 ? entries : entries.slice(from);
}

export const useTerminal = create<TerminalState>()((set, get) => ({
  entries: [],
  history: [],
  cursor: 0,
  draft: '',
  historyLoaded: false,
  typed: '',
  setTyped: (typed) => set({ typed }),
  begin(command, lines = [command]) {
    const id = nextId++;
    set((s) => {
      let history = s.history;
      for (const line of lines) {
        if (history[history.length - 1] !== line) history = [...history, line].slice(-MAX_HISTORY);
      }
      return {
        entries: bounded([...s.entries, { id, command, at: serverNow(), text: null, retcode: 0 }]),
        history,
        cursor: history.length,
        draft: '',
      };
    });
    return id;
  },
  finish(id, text, retcode, shown) {
    set((s) => ({
      entries: bounded(
        s.entries.map((e) => (e.id === id ? { ...e, text, retcode, command: shown ?? e.command } : e)),
      ),
    }));
  },
  clear: () => set({ entries: [] }),
  setHistory(commands) {
    set((s) => {
      const history = [...commands, ...s.history].slice(-MAX_HISTORY);
      return { history, cursor: history.length, historyLoaded: true };
    });
  },
  walk(direction, current) {
    const s = get();
    const draft = s.cursor === s.history.length ? current : s.draft;
    const cursor = Math.min(s.history.length, Math.max(0, s.cursor + direction));
    set({ cursor, draft });
    return cursor === s.history.length ? draft : s.history[cursor]!;
  },
}));

/** Longest common prefix of completions (what Tab can fill in when several match). */
export function commonPrefix(items: string[]): string {
  if (items.length === 0) return '';
  let p = items[0]!;
  for (const s of items) {
    let i = 0;
    while (i < p.length && i < s.length && p[i]!.toUpperCase() === s[i]!.toUpperCase()) i++;
    p = p.slice(0, i);
  }
  return p;
}
