// The server pads MML tables by display width (core/mml/text.ts: a Chinese character takes two cells),
// but no font stack can promise that a CJK glyph is exactly two Latin cells wide (DejaVu Sans Mono's
// Latin is 0.6 em, a CJK fallback's glyph 1 em), so the columns stagger. The terminal therefore sets
// each wide character in a box exactly 2ch wide: the same width function as the server's, so both
// agree on which characters are wide, whatever fonts the operator's machine has.
import { displayWidth } from '../../../../core/mml/text';

/** A line cut into pieces: runs of narrow text, and wide characters one by one. */
export type Piece = { text: string; wide: boolean };

export function cellPieces(line: string): Piece[] {
  const out: Piece[] = [];
  let narrow = '';
  for (const ch of line) {
    if (displayWidth(ch) === 2) {
      if (narrow !== '') out.push({ text: narrow, wide: false });
      narrow = '';
      out.push({ text: ch, wide: true });
    } else narrow += ch;
  }
  if (narrow !== '') out.push({ text: narrow, wide: false });
  return out;
}
