// What the mml client says when a script is cut short after some of it may have run (README, exit code
// 4): the lines answered (written above), the piece in flight whose fate is unknown (the server may have
// run all, some or none of it: a server hung past the time limit, or one that stopped while running it),
// and the lines never sent, so that a pipeline knows where to resume.
import type { ScriptPiece } from './script-chunks';

/** Exit code of a script of which some lines may have run, but not all were answered. */
export const CUT_SHORT_EXIT = 4;

/** The first and last line numbers a piece spans (a final line end starts no line). */
export function linesOf(piece: ScriptPiece): [number, number] {
  let last = piece.firstLine;
  for (const c of piece.text.replace(/\r?\n$/, '')) if (c === '\n') last++;
  return [piece.firstLine, last];
}

const range = (first: number, last: number): string =>
  first === last ? `line ${first}` : `lines ${first}-${last}`;

export interface CutShort {
  pieces: readonly ScriptPiece[];
  /** Pieces answered, in order from the first. */
  answered: number;
  /** Why the next piece got no answer. */
  reason: string;
  /** True when the next piece may have run (sent, no answer); false when it surely did not (refused). */
  inDoubt: boolean;
  /** The next piece was never sent (the client was stopped between two pieces): "not sent". */
  unsent?: boolean;
  /**
   * The first line the server did not run: it began to stop in the middle of the last piece answered and
   * answered that line on as "Not run" (not-run.ts). The lines before it were answered; from it on none ran.
   */
  notRunFrom?: number;
}

/** The message, one line: lines answered, lines that may or may not have run, lines not run. */
export function cutShortMessage(c: CutShort): string {
  const parts: string[] = [];
  const last = linesOf(c.pieces[c.pieces.length - 1]!)[1];
  if (c.notRunFrom !== undefined) {
    if (c.notRunFrom > 1) parts.push(`${range(1, c.notRunFrom - 1)} answered (above)`);
    parts.push(`${range(c.notRunFrom, Math.max(c.notRunFrom, last))} not run`);
    return `mml: script cut short: ${c.reason}; ${parts.join('; ')}`;
  }
  if (c.answered > 0) parts.push(`${range(1, linesOf(c.pieces[c.answered - 1]!)[1])} answered (above)`);
  if (c.answered >= c.pieces.length) parts.push('none left to send');
  else {
    const [from, to] = linesOf(c.pieces[c.answered]!);
    if (c.inDoubt) {
      parts.push(`${range(from, to)} sent but not answered: they may or may not have run`);
      if (to < last) parts.push(`${range(to + 1, last)} not sent`);
    } else parts.push(`${range(from, last)} ${c.unsent ? 'not sent' : 'not run'}`);
  }
  return `mml: script cut short: ${c.reason}; ${parts.join('; ')}`;
}
