// A text file a user hands IMS Lab (IMP USER's users file, the dialer's numbers, an MML script,
// config.json) must be UTF-8, with or without its byte order mark. What a spreadsheet or an editor in another locale saves
// instead (UTF-16 or UTF-32 "Unicode text", GBK, Latin-1) is named, not read into display names and
// messages as replacement characters (U+FFFD) or as raw bytes (a key file given by mistake).

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Why `bytes` are no UTF-8 text, or undefined when they are. */
export function notUtf8(bytes: Buffer): string | undefined {
  const starts = (...b: number[]): boolean => b.every((v, i) => bytes[i] === v);
  // UTF-32LE's mark begins as UTF-16LE's: tested first.
  if (starts(0xff, 0xfe, 0, 0) || starts(0, 0, 0xfe, 0xff))
    return 'is UTF-32 text (it starts with its byte order mark)';
  if (starts(0xff, 0xfe) || starts(0xfe, 0xff)) return 'is UTF-16 text (it starts with its byte order mark)';
  if (bytes.includes(0)) return 'holds NUL bytes (UTF-16 or UTF-32 text, or not text)';
  const line = firstBadLine(bytes);
  if (line !== undefined) return `is not UTF-8 text (line ${line}: GBK, Latin-1 or binary bytes)`;
  return undefined;
}

/** The first line (from 1) that is not valid UTF-8, or undefined. */
function firstBadLine(bytes: Buffer): number | undefined {
  try {
    UTF8.decode(bytes);
    return undefined;
  } catch {
    let start = 0;
    for (let line = 1; ; line++) {
      const lf = bytes.indexOf(0x0a, start);
      const end = lf < 0 ? bytes.length : lf;
      try {
        UTF8.decode(bytes.subarray(start, end));
      } catch {
        return line;
      }
      if (lf < 0) return undefined;
      start = lf + 1;
    }
  }
}

/** The UTF-8 text of a file's bytes, or throws `error(problem)`. */
export function utf8Text(bytes: Buffer, error: (problem: string) => Error): string {
  const problem = notUtf8(bytes);
  if (problem !== undefined) throw error(problem);
  return bytes.toString('utf8');
}
