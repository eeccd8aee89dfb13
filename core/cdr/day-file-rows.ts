// A CSV day file read a slice at a time: a load-tested original leaves days of a million REGISTER rows
// (200 MB of text), which read whole took gigabytes (a 1 GB heap died, and the next start read it
// again) and held the event loop for seconds. A slice ends at the last line end outside quotes, so a
// field with a line break inside is never cut in two. Text is UTF-8, or GB18030 for a file Excel saved
// on Chinese Windows (GBK, a subset): imported as UTF-8 it became U+FFFD without a word.
import { closeSync, openSync, readSync } from 'node:fs';
import { parseCsv, type CsvLines } from './csv-read';
import { nextTurn } from '../observe/next-turn';

/**
 * Bytes read at a time: about 500 rows of the original's, parsed in a few ms (a megabyte, 4,000-5,000
 * rows, took 25-60 ms to parse in one turn of the loop, and with the first chunk's inserts after it in
 * that same turn held SIP up to 0.5 s on a loaded machine at start-up).
 */
const SLICE_BYTES = 128 * 1024;

export type DayFileEncoding = 'utf-8' | 'gb18030';

/** The file's bytes a slice at a time (the loop runs other work between two); closed at the end. */
async function* slices(file: string): AsyncGenerator<Buffer> {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(SLICE_BYTES);
    for (;;) {
      const n = readSync(fd, buf, 0, SLICE_BYTES, null);
      if (n === 0) return;
      yield buf.subarray(0, n);
      await nextTurn();
    }
  } finally {
    closeSync(fd);
  }
}

/** UTF-8 when every byte of the file is (a byte order mark allowed), else GB18030. */
export async function dayFileEncoding(file: string): Promise<DayFileEncoding> {
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const bytes of slices(file)) utf8.decode(bytes, { stream: true });
    utf8.decode();
    return 'utf-8';
  } catch (err) {
    if (err instanceof TypeError) return 'gb18030';
    throw err;
  }
}

/** Where the text's complete rows end: after its last line end outside quotes (0: none complete). */
function completeRowsEnd(text: string): number {
  let quoted = false;
  let end = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22)
      quoted = !quoted; // a doubled quote inside a field toggles twice
    else if (c === 0x0a && !quoted) end = i + 1;
  }
  return end;
}

/**
 * The file's rows of fields (its header first), a slice of rows at a time. With `lines`, `lines.rows` holds
 * the file line each row of the slice last yielded starts on.
 */
export async function* dayFileRows(
  file: string,
  encoding: DayFileEncoding,
  lines: CsvLines = { next: 1, rows: [] },
): AsyncGenerator<string[][]> {
  const decoder = new TextDecoder(encoding);
  let carry = '';
  for await (const bytes of slices(file)) {
    const text = carry + decoder.decode(bytes, { stream: true });
    const end = completeRowsEnd(text);
    carry = text.slice(end);
    if (end === 0) continue;
    lines.rows = [];
    const rows = parseCsv(text.slice(0, end), lines);
    await nextTurn(); // the parse in one turn, what the caller does with the rows in the next
    yield rows;
  }
  const rest = carry + decoder.decode();
  lines.rows = [];
  if (rest !== '') yield parseCsv(rest, lines);
}
