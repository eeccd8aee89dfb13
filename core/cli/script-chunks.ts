// A long MML script (`mml --file`, thousands of ADD USER lines) sent to /api/mml in pieces: the control
// contract takes scripts of up to MAX_SCRIPT characters, and one provisioning file can be larger. Each
// piece holds whole lines and says the number of its first line (the request's firstLine), so that the
// server numbers every line as the file does ("line 4012, column 9"); pieces with no statement
// (comments only) are not sent. (Pieces were padded with an empty line for each line before them: the
// padding counted against the limits, 200,000 lines went as 1.4 GB in 3,622 requests, and past line
// 262,144 no piece fitted at all.)
import { MAX_SCRIPT } from '../control/contract';
import { splitScript } from '../mml/grammar';

export interface ChunkLimits {
  /** Characters of a piece. */
  chars: number;
  /** Bytes of a piece as a JSON string in UTF-8 (well within the body's limit). */
  bytes: number;
}

export interface ScriptPiece {
  text: string;
  /** The number of its first line in the script. */
  firstLine: number;
}

const LIMITS: ChunkLimits = { chars: MAX_SCRIPT, bytes: 384 * 1024 };

/** The pieces of `script`, in order; the script itself when it fits or holds no statement at all. */
export function scriptChunks(script: string, limits = LIMITS): ScriptPiece[] {
  const fits = (chars: number, bytes: number): boolean => chars <= limits.chars && bytes <= limits.bytes;
  if (fits(script.length, encodedSize(script))) return [{ text: script, firstLine: 1 }];
  const lines = script.split('\n');
  const chunks: ScriptPiece[] = [];
  let first = 0;
  let chars = 0;
  let bytes = 0;
  const flush = (end: number): void => {
    const text = lines.slice(first, end).join('\n');
    if (splitScript(text).length > 0) chunks.push({ text, firstLine: first + 1 });
  };
  for (let i = 0; i < lines.length; i++) {
    // A line costs its text and its "\n" (2 bytes in JSON).
    const line = lines[i]!;
    if (i > first && !fits(chars + line.length + 1, bytes + encodedSize(line) + 2)) {
      flush(i);
      first = i;
      chars = 0;
      bytes = 0;
    }
    chars += line.length + 1;
    bytes += encodedSize(line) + 2;
  }
  flush(lines.length);
  return chunks.length > 0 ? chunks : [{ text: script, firstLine: 1 }];
}

/** Bytes of `text` as a JSON string in UTF-8, without its quotes. */
function encodedSize(text: string): number {
  return Buffer.byteLength(JSON.stringify(text)) - 2;
}

/**
 * One piece a statement (`mml --stop-on-error`: the server runs a request's statements to its end, so the
 * client sends them one at a time to stop after the first that fails), each at its line and, padded with
 * spaces, its column, so that "line 12, column 9" is the file's.
 */
export function statementPieces(script: string): ScriptPiece[] {
  return splitScript(script).map((s) => ({ text: ' '.repeat(s.column - 1) + s.text, firstLine: s.line }));
}
