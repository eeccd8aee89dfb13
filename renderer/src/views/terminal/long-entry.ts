// A long result in the terminal: its first lines and its last few are shown, the rest on request (more
// lines at a time) or in the downloaded file; Copy and the file hold it whole. Every line as elements,
// DSP USER ALL of 98,000 users was 196,000 DOM nodes and held the tab 23 s.

/** Lines of a result shown at first (a line is a few DOM nodes). */
export const HEAD_LINES = 2000;
/** Lines each "Show more" adds. */
export const MORE_LINES = 2000;
/** The last lines, always shown: the result's count and END line. */
export const TAIL_LINES = 5;

export interface ShownLines {
  /** The first lines shown. */
  head: readonly string[];
  /** How many lines between the head and the tail are not shown (0: the result is shown whole). */
  hidden: number;
  /** The last lines shown (empty when nothing is hidden). */
  tail: readonly string[];
}

/** What of `lines` is shown when the first `head` are asked for. */
export function shownLines(lines: readonly string[], head = HEAD_LINES): ShownLines {
  if (lines.length <= head + TAIL_LINES) return { head: lines, hidden: 0, tail: [] };
  return {
    head: lines.slice(0, head),
    hidden: lines.length - head - TAIL_LINES,
    tail: lines.slice(lines.length - TAIL_LINES),
  };
}

/** The downloaded file's name: the command's words and the time, e.g. mml_DSP_USER_ALL_20261207T050312.txt. */
export function resultFileName(command: string, at: Date): string {
  const words = command
    .split('\n')[0]!
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 60);
  const p = (n: number) => String(n).padStart(2, '0');
  const time = `${at.getFullYear()}${p(at.getMonth() + 1)}${p(at.getDate())}T${p(at.getHours())}${p(at.getMinutes())}${p(at.getSeconds())}`;
  return `mml_${words || 'result'}_${time}.txt`;
}
