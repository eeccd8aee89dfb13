// CDR rows as CSV (RFC 4180): the daily archive in the original's layout, CDR/YYYY-MM-DD/cdr_YYYY-MM-DD.csv
// under the data directory (original-server.md §3.1), and exports under CDR/exports/. UTF-8, CRLF line
// ends (RFC 4180 §2.1, and what the original's csv.DictWriter wrote), a header row when a file is
// created. The day of a row is its own date column (the call's start date), not the day it was written
// (§12 item 28).
import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
} from 'node:fs';
import { writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { numberedName, publishNewFile, temporaryFileIn } from '../store/new-file';
import { CDR_COLUMN_KINDS, CDR_COLUMNS } from './record';
import type { CdrRecord } from './record';
import { CONTROL_BUT_LINES, escapeControls, isControl } from '../observe/controls';

/** The archive's folder under the data directory, as the original's (relative to its CWD). */
export const CDR_DIR = 'CDR';
/** Exports live beside the day folders, as the original's EXP CDR wrote them. */
export const EXPORTS_DIR = 'exports';

const CRLF = '\r\n';
const DAY_FOLDER = /^\d{4}-\d{2}-\d{2}$/;
// Module constants: a regular expression literal in a function body is a new object at each call, and
// a CDR row tests 45 cells (one row per call and per registration, on the event loop).
// A semicolon too: where it is the list separator (Excel in de, fr, ...) a bare `x;=cmd|...` is split
// there, and its second cell starts a formula (OWASP CSV injection: quote cells holding , or ;). RFC 4180
// §2.6 lets any field be quoted; every reader of the original's files (Python's csv) reads it the same.
const NEEDS_QUOTES = /[",;\r\n]/;
const QUOTE = /"/g;
const FORMULA_START = /^[=+\-@\t\r]/;
/**
 * The control characters a peer may put in a header (a User-Agent with ESC[2J, BEL, NUL, a bare CR; the
 * 8-bit CSI U+009B; U+2028/2029; bidi overrides and zero-width characters), as the log escapes them (observe/logger.ts escapeControls), but for a
 * tab and a line break (CRLF or LF, as in a MESSAGE body): those a quoted cell holds as they are.
 */
const CONTROL = CONTROL_BUT_LINES;

/**
 * One field (RFC 4180 §2.5-2.7): quoted, with quotes doubled, when it holds a comma, quote, CR or LF, or
 * a semicolon (a list separator, NEEDS_QUOTES).
 */
export function csvField(text: string): string {
  return text !== '' && NEEDS_QUOTES.test(text) ? `"${text.replace(QUOTE, '""')}"` : text;
}

/**
 * OWASP's CSV-injection guard: a text cell that a spreadsheet would take for a formula (it starts with
 * =, +, -, @, a tab or a carriage return) gets a leading single quote. CDR text comes from the network
 * (User-Agent, display names, URIs, MESSAGE bodies), so every text cell of the CSV is guarded; numbers
 * are written by us and stay numbers. The SQLite rows keep the original text. A number with its sign,
 * such as an E.164 caller number (+8613800001001) or a tel: number with visual separators (RFC 3966
 * §5.1.1: +1-555-0100), is left as it is: it names no function a formula could call, and scripts
 * reading the archive (billing, analysis) need the number unaltered, as the original wrote it.
 */
export function guardFormula(text: string): string {
  return text !== '' && FORMULA_START.test(text) && !signedNumber(text) ? `'${text}` : text;
}

/** + or - then only digits and the visual separators . - ( ) and space: a number, not a formula. */
function signedNumber(text: string): boolean {
  const first = text.charCodeAt(0);
  if (first !== 0x2b && first !== 0x2d) return false;
  for (let i = 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const digit = c >= 0x30 && c <= 0x39;
    if (!digit && c !== 0x2e && c !== 0x2d && c !== 0x28 && c !== 0x29 && c !== 0x20) return false;
  }
  return text.length > 1;
}

/**
 * The text with its control characters written as \xNN (\uNNNN beyond 0xFF), as the log writes them: a
 * day file read with cat or tail -f must not clear the screen or rewrite a line, nor a NUL make it binary
 * to grep. The SQLite row keeps the text as it came.
 */
export function escapeCellControls(text: string): string {
  return escapeControls(text, CONTROL);
}

/** One line, without its line end. */
export function csvLine(fields: readonly string[]): string {
  return fields.map(csvField).join(',');
}

export const CDR_CSV_HEADER = csvLine(CDR_COLUMNS) + CRLF;

/**
 * Does a text cell need quoting (csvField), the formula guard (guardFormula) or control characters
 * escaped (escapeCellControls)? One pass, no RegExp.
 */
function plainCell(text: string): boolean {
  const first = text.charCodeAt(0);
  // = + - @ TAB CR start a formula (FORMULA_START)
  if (first === 0x3d || first === 0x40 || first === 0x09) return false;
  if ((first === 0x2b || first === 0x2d) && !signedNumber(text)) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 || c === 0x2c || c === 0x3b) return false; // " , ; (NEEDS_QUOTES)
    // C0 (CR and LF among them: NEEDS_QUOTES), DEL and C1, U+2028/2029, bidi and zero-width (CONTROL)
    if (c < 0x20 || isControl(c)) return false;
  }
  return true;
}

/** The columns with their kinds, in order, for the row loop below. */
const COLUMN_KINDS = CDR_COLUMNS.map((c) => [c, CDR_COLUMN_KINDS[c]] as const);

/**
 * A record as one CSV line with its CRLF: text cells with control characters escaped, formula-guarded and
 * quoted as needed, null blank,
 * in one loop (a row per call and per registration, on the event loop; most cells are blank or plain).
 */
export function cdrCsvLine(record: CdrRecord): string {
  let line = '';
  for (let i = 0; i < COLUMN_KINDS.length; i++) {
    const [column, kind] = COLUMN_KINDS[i]!;
    const value = record[column];
    if (i > 0) line += ',';
    if (value === null || value === '') continue;
    if (typeof value === 'string')
      line += plainCell(value) ? value : csvField(guardFormula(escapeCellControls(value)));
    // A REAL column as Python's str(float) printed the original's duration: 3 → "3.0", 12.5 → "12.5".
    else line += kind === 'real' && Number.isInteger(value) ? value.toFixed(1) : String(value);
  }
  return line + CRLF;
}

/** The daily CSV files and the exports folder of one data directory. */
export class CdrArchive {
  /** <dataDir>/CDR */
  readonly root: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, CDR_DIR);
  }

  /** <root>/<date>/cdr_<date>.csv */
  dayFile(date: string): string {
    if (!DAY_FOLDER.test(date)) throw new Error(`not a CDR day: "${date}"`);
    return join(this.root, date, `cdr_${date}.csv`);
  }

  /** Day files this process appended to, and the size its last append left (setAsideForeign). */
  readonly #written = new Map<string, number>();

  /**
   * Appends rows (all of that date) to the day's file in one write, creating the folder, and the file
   * with its header row, when needed. Returns what was set aside first (a file of other columns), for the
   * caller's log.
   */
  appendDay(date: string, records: readonly CdrRecord[]): SetAside | undefined {
    if (records.length === 0) return undefined;
    const file = this.dayFile(date);
    mkdirSync(join(this.root, date), { recursive: true });
    let size = fileSize(file);
    let setAside: SetAside | undefined;
    // Checked when first written, and again when its size is not what the last append left: the
    // original's file copied over it meanwhile (cp keeps the file, so its size tells, not its inode)
    // got this version's rows under the original's header.
    if (this.#written.get(file) !== size) {
      setAside = setAsideForeign(file, date);
      size = fileSize(file);
    }
    let text = size === 0 ? CDR_CSV_HEADER : '';
    for (const r of records) text += cdrCsvLine(r);
    try {
      appendFileSync(file, text, 'utf8');
      this.#written.set(file, size + Buffer.byteLength(text, 'utf8'));
      return setAside;
    } catch (err) {
      // A write cut short (ENOSPC) leaves part of a row; the caller retries the whole batch later, so
      // the file goes back to its rows before it (else a cut row, then the same rows twice).
      try {
        truncateSync(file, size);
      } catch {
        // Nothing more to undo: the error below says what went wrong.
      }
      throw err;
    }
  }

  /** The day folders present, oldest first (exports and anything else are not days). */
  days(): string[] {
    if (!existsSync(this.root)) return [];
    return readdirSync(this.root, { withFileTypes: true })
      .filter((d) => d.isDirectory() && DAY_FOLDER.test(d.name))
      .map((d) => d.name)
      .sort();
  }

  /** Deletes the day folders strictly before `date` (all of them when undefined); returns their days. */
  removeDays(before: string | undefined): string[] {
    const gone = this.days().filter((d) => before === undefined || d < before);
    for (const d of gone) rmSync(join(this.root, d), { recursive: true, force: true });
    return gone;
  }

  /**
   * Creates <root>/exports/<name>.csv (never overwriting: name_2, name_3... when taken, as every other
   * export, new-file.ts), writes the header and the lines `rows` yields in chunks, and returns the path
   * and the row count.
   */
  /** Writes an export of the rows, given a step at a time (cdr-store.ts export). */
  async writeExport(
    name: string,
    steps: AsyncIterable<readonly CdrRecord[]> | Iterable<readonly CdrRecord[]>,
  ): Promise<{ path: string; count: number }> {
    const dir = join(this.root, EXPORTS_DIR);
    mkdirSync(dir, { recursive: true });
    // Under a temporary name until complete (new-file.ts): a write cut short (a full disk) left a
    // truncated export under its final name, which the console's downloads served.
    const tmp = temporaryFileIn(dir, name, '.csv');
    let count = 0;
    try {
      const fd = openSync(tmp, 'wx');
      try {
        writeSync(fd, CDR_CSV_HEADER);
        for await (const rows of steps) {
          let chunk = '';
          for (const r of rows) chunk += cdrCsvLine(r);
          writeSync(fd, chunk);
          count += rows.length;
        }
      } finally {
        closeSync(fd);
      }
      const path = publishNewFile(tmp, (n) => numberedName(dir, name, '.csv', n));
      return { path, count };
    } catch (err) {
      rmSync(tmp, { force: true });
      // The export named in the error (new-file.ts names the file it meant): its answer says it.
      throw Object.assign(err as Error, {
        file: (err as { file?: string }).file ?? join(dir, `${name}.csv`),
      });
    }
  }
}

/** A day file of other columns, renamed before the day's rows went on in a new one (appendDay). */
export interface SetAside {
  file: string;
  /** Its name now: cdr_<date>_before.csv, -2, -3... */
  aside: string;
  /** Why, in words: its header's columns against this version's. */
  why: string;
}

/** The longest first line read for the message (a header of the original's 34 columns is 500 bytes). */
const HEAD_BYTES = 64 * 1024;

/**
 * A day file with another header (the original's 34 columns, copied in by a user moving to IMS Lab on
 * the same day; an older IMS Lab's) is renamed cdr_<date>_before.csv (-2, -3... when taken), kept whole,
 * so that the rows appended next sit under a header that names their columns.
 */
function setAsideForeign(file: string, date: string): SetAside | undefined {
  if (fileSize(file) === 0) return undefined;
  const head = Buffer.alloc(Math.max(HEAD_BYTES, CDR_CSV_HEADER.length));
  const fd = openSync(file, 'r');
  let read: number;
  try {
    read = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (head.subarray(0, CDR_CSV_HEADER.length).toString('utf8') === CDR_CSV_HEADER) return undefined;
  for (let n = 1; n < 1000; n++) {
    const aside = join(dirname(file), `cdr_${date}_before${n === 1 ? '' : `-${n}`}.csv`);
    if (existsSync(aside)) continue;
    renameSync(file, aside);
    return { file, aside, why: otherColumns(head.subarray(0, read).toString('utf8')) };
  }
  return undefined;
}

/** How a header (the file's first line) differs from this version's, in words. */
function otherColumns(text: string): string {
  const end = text.search(/\r?\n/);
  const columns = (end < 0 ? text : text.slice(0, end)).split(',').length;
  return columns === CDR_COLUMNS.length
    ? `its header's ${columns} columns are not the ones this IMS Lab writes`
    : `its header has ${columns} columns, this IMS Lab writes ${CDR_COLUMNS.length}`;
}

/** A file's size; 0 when there is none. */
function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
}
