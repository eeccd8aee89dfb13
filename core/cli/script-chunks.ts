// A long MML script (`mml --file`, thousands of ADD USER lines) sent to /api/mml in pieces: the control
// contract takes scripts of up to MAX_SCRIPT characters and the web server bodies of up to 2 MB (512 KB
// before: the pieces still fit those servers), and one provisioning file can be larger. Each piece holds whole lines and starts with as many empty lines
// as come before its first one, so that the server numbers every line as the file does ("line 4012,
// column 9"); pieces with no statement (comments only) are not sent.
import { MAX_SCRIPT } from '../control/contract';
import { splitScript } from '../mml/grammar';

export interface ChunkLimits {
  /** Characters of a piece, its leading empty lines included. */
  chars: number;
  /** Bytes of a piece as a JSON string in UTF-8 (within the older servers' 512 KB, with room to spare). */
  bytes: number;
}

const LIMITS: ChunkLimits = { chars: MAX_SCRIPT, bytes: 384 * 1024 };

/** The pieces of `script`, in order; the script itself when it fits or holds no statement at all. */
export function scriptChunks(script: string, limits = LIMITS): string[] {
  const fits = (chars: number, bytes: number): boolean => chars <= limits.chars && bytes <= limits.bytes;
  if (fits(script.length, encodedSize(script))) return [script];
  const lines = script.split('\n');
  const chunks: string[] = [];
  let first = 0;
  let chars = 0;
  let bytes = 0;
  const flush = (end: number): void => {
    const piece = '\n'.repeat(first) + lines.slice(first, end).join('\n');
    if (splitScript(piece).length > 0) chunks.push(piece);
  };
  for (let i = 0; i < lines.length; i++) {
    // A line costs its text and its "\n" (2 bytes in JSON), as does each leading empty line.
    const line = lines[i]!;
    if (i > first && !fits(first + chars + line.length + 1, 2 * first + bytes + encodedSize(line) + 2)) {
      flush(i);
      first = i;
      chars = 0;
      bytes = 0;
    }
    chars += line.length + 1;
    bytes += encodedSize(line) + 2;
  }
  flush(lines.length);
  return chunks.length > 0 ? chunks : [script];
}

/** Bytes of `text` as a JSON string in UTF-8, without its quotes. */
function encodedSize(text: string): number {
  return Buffer.byteLength(JSON.stringify(text)) - 2;
}
