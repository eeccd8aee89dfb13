// The numbers of a campaign (reference §1.2 #32, §6.3): a comma list of numbers and ranges a-b, as the
// original: a reversed range is swapped, duplicates are dropped keeping the first, a non-numeric
// "range" (abc-def) is one literal number. Unlike the original, which silently skipped a range wider
// than 1000, ranges of up to 100,000 numbers are dialled and a larger one is an error naming it.
// Numbers keep the width of the range's start (0001-0003 → 0001, 0002, 0003). A number written with
// visual separators (+49-30-1, +49 (30) 1234.56) is dialled without them, as a phone does (RFC 3966
// §5.1.1): +49301.
import { readFileSync, statSync } from 'node:fs';
import { utf8Text } from '../config/text-file';
import { dialledNumber, WRITTEN_NUMBER } from './written-number';

export const MAX_NUMBERS = 100_000;

export class NumberListError extends Error {
  override name = 'NumberListError';
  constructor(
    message: string,
    /** The file could not be read at all (missing, not a regular file, too large), as opposed to bad data. */
    readonly unreadable = false,
    /** The file system's error when the file could not be opened or read (its code says why: ENOENT...). */
    readonly readError?: unknown,
  ) {
    super(message);
  }
}

/** A SIP user part we can write unescaped (RFC 3261 §25.1 unreserved, plus the telephone marks). */
const USER = /^[A-Za-z0-9\-_.!~*'()&=+$,;?/#]+$/;

function expandRange(item: string, a: string, b: string): string[] {
  let lo = BigInt(a);
  let hi = BigInt(b);
  let width = a.length;
  if (lo > hi) {
    [lo, hi] = [hi, lo];
    width = b.length;
  }
  const count = hi - lo + 1n;
  if (count > BigInt(MAX_NUMBERS))
    throw new NumberListError(`range ${item} has ${count} numbers; at most ${MAX_NUMBERS} are allowed`);
  const out: string[] = [];
  for (let n = lo; n <= hi; n++) out.push(n.toString().padStart(width, '0'));
  return out;
}

/** A campaign's numbers as they are added: duplicates dropped (the first kept), at most MAX_NUMBERS. */
class NumberList {
  private readonly seen = new Set<string>();
  readonly numbers: string[] = [];
  /** The numbers left out as repeats of one already in the list. */
  repeats = 0;

  /** Adds one item, a number or a range; throws NumberListError naming it. */
  addItem(item: string): void {
    const m = /^(\d+)\s*-\s*(\d+)$/.exec(item);
    if (m !== null) {
      for (const n of expandRange(item, m[1]!, m[2]!)) this.add(n);
      return;
    }
    // Digits and dashes that are no range are a typo (1001-, -5, 1001--1005, 1001-1002-1003, and 1001..1005
    // would be dialled as 10011005 once its dots are dropped as separators), and a
    // spreadsheet's 1.001E+3 or 1001.0 is no number anybody dials: refused, not dialled as written
    // (1001.0 would otherwise be 10010 once its dot is dropped as a separator).
    if ((/^[\d\s-]+$/.test(item) && item.includes('-')) || /^\d+\s*\.\.\s*\d+$/.test(item))
      throw new NumberListError(`"${item}" is neither a number nor a range a-b`);
    if (/^\d+(?:\.\d+)?e\+?\d+$/i.test(item))
      throw new NumberListError(`"${item}" is a spreadsheet's exponent form: write the number out`);
    if (/^\d+\.\d+$/.test(item))
      throw new NumberListError(`"${item}" is a spreadsheet's decimal form: write the number out`);
    // +49-30-1, +49 (30) 1234.56, (030) 1234-5678: dialled as +49301..., as a phone dials what it is
    // given (RFC 3966 §5.1.1: visual separators carry no meaning); the + stays. Words (abc-def, alice)
    // and service codes (*21#) are not numbers written so and stay as they are.
    const dialled = dialledNumber(item);
    if (dialled !== undefined) {
      this.add(dialled);
      return;
    }
    if (!USER.test(item)) throw new NumberListError(`"${item}" is not a number that can be dialled`);
    this.add(item);
  }

  private add(n: string): void {
    if (this.seen.has(n)) {
      this.repeats++;
      return;
    }
    if (this.numbers.length >= MAX_NUMBERS)
      throw new NumberListError(`more than ${MAX_NUMBERS} numbers in one campaign`);
    this.seen.add(n);
    this.numbers.push(n);
  }
}

/** How many numbers a list's parse left out as repeats (added to `repeats`): STR CALL says so. */
export interface RepeatTally {
  repeats: number;
}

/** Expands a NUMBERS value; throws NumberListError naming the bad item. */
export function parseNumbers(text: string, tally?: RepeatTally): string[] {
  const list = new NumberList();
  // ',' or ';' between items, as in a numbers file: 3001;3002 is two numbers, not one user "3001;3002".
  // A Chinese input method's '，', '；' and '、' separate them too (NUMBERS=1009，1008): MML takes its
  // full-width punctuation where the grammar needs it (mml/full-width.ts), and a list's separator is
  // grammar. None of them can be in a number that can be dialled (USER).
  for (const raw of text.split(/[,;，；、]/)) {
    const item = raw.trim();
    if (item !== '') list.addItem(item);
  }
  if (tally !== undefined) tally.repeats += list.repeats;
  return list.numbers;
}

/** The largest numbers file read (a million numbers is about 10 MB). */
const MAX_NUMBERS_FILE_BYTES = 16 * 1024 * 1024;

/**
 * The numbers of a CSV file (FILE=): the first column of each row, each cell a number or a range; a
 * first row without digits is a header; empty rows and rows starting with # are skipped; a line with
 * letters among numbers is refused.
 */
export function readNumbersFile(path: string, tally?: RepeatTally): string[] {
  let text: string;
  try {
    const stat = statSync(path);
    // A device or a FIFO (/dev/zero) would never end; a list of numbers is small.
    if (!stat.isFile()) throw new NumberListError(`${path} is not a regular file`, true);
    if (stat.size > MAX_NUMBERS_FILE_BYTES) {
      throw new NumberListError(`${path} is ${stat.size} bytes; a numbers file may have at most 16 MB`, true);
    }
    text = utf8Text(
      readFileSync(path),
      (problem) =>
        new NumberListError(
          `${path} ${problem}: a numbers file must be UTF-8 or ASCII text; save it as UTF-8`,
        ),
    );
  } catch (err) {
    if (err instanceof NumberListError) throw err;
    throw new NumberListError(
      `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      true,
      err,
    );
  }
  const cells: { text: string; line: number }[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((line, i) => {
    const first = line
      .split(/[,;\t]/)[0]!
      .trim()
      .replace(/^"(.*)"$/, '$1');
    if (first === '' || first.startsWith('#')) return;
    cells.push({ text: first, line: i + 1 });
  });
  // A first row that names the column: no digit (Number), or words over a column of digits (Phone1,
  // MSISDN (E.164)), where the rows below are numbers or ranges (a stray line of words among them is
  // refused below, naming its own line).
  const head = cells[0];
  if (
    head !== undefined &&
    head.line === 1 &&
    (!/\d/.test(head.text) ||
      (/[A-Za-z]/.test(head.text) && cells.slice(1).some((c) => DIGITS_OR_RANGE.test(c.text))))
  )
    cells.shift();
  // A line of words among numbers (a sub-heading, "TOTAL", "n/a", a typo like 20x5) would be dialled as
  // a user name and counted as a failure in ASR: in a file with numbers (lines without a letter), a line
  // with a letter is refused, naming it. A file of user names only (alice, bob) is dialled as written.
  const letter = /\p{L}/u;
  const numbers = cells.some((c) => !letter.test(c.text));
  const list = new NumberList();
  for (const cell of cells) {
    try {
      list.addItem(cell.text);
      if (numbers && letter.test(cell.text))
        throw new Error(`"${cell.text}" is no number, among numbers: start a line that is no number with #`);
    } catch (err) {
      throw new NumberListError(`${path} line ${cell.line}: ${(err as Error).message}`);
    }
  }
  if (tally !== undefined) tally.repeats += list.repeats;
  return list.numbers;
}

/** A number (written with separators or not) or a range of digits (what a column of numbers holds). */
const DIGITS_OR_RANGE = WRITTEN_NUMBER;
