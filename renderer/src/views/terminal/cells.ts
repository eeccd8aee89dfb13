// The server pads MML tables by display width (core/mml/text.ts: a Chinese character takes two cells),
// but no font stack can promise that a CJK glyph is exactly two Latin cells wide (DejaVu Sans Mono's
// Latin is 0.6 em, a CJK fallback's glyph 1 em), so the columns stagger. The terminal therefore sets
// each run of wide characters in a box exactly two cells a character wide: the same width function as
// the server's, so both agree on which characters are wide, whatever fonts the operator's machine has.
// A run is one box, not one box a character: a screen reader reads 操作成功 as a word (not 操 作 成 功)
// and the browser's find (Ctrl+F) finds 王小明 in it.
import { displayWidth } from '../../../../core/mml/text';

/** A line cut into pieces: runs of narrow text and runs of wide characters, with their width in cells. */
export type Piece = { text: string; wide: boolean; cells: number };

export function cellPieces(line: string): Piece[] {
  const out: Piece[] = [];
  let run: Piece | null = null;
  for (const ch of line) {
    const wide = displayWidth(ch) === 2;
    if (run === null || run.wide !== wide) {
      run = { text: '', wide, cells: 0 };
      out.push(run);
    }
    run.text += ch;
    run.cells += wide ? 2 : 1;
  }
  return out;
}
