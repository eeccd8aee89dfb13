// The terminal's rendering of an MML result, in the familiar shape:
//
//   RETCODE = 0  Operation succeeded
//
//   Users
//   -----
//   Username  Status  Logins
//   1001      ACTIVE       3
//   (Number of results = 1)
//
//   ---    END
//
// Columns are aligned by display width (a Chinese character takes two cells), numbers to the right. A
// table of a single row is printed as "Name  =  value" lines, as Huawei equipment prints one record.
import type { MmlColumn, MmlResult, MmlTable } from './command';
import { escapeControls } from '../observe/controls';
import { nextTurn } from '../observe/next-turn';
import { zhCellText } from './zh-cells';

export interface TextOptions {
  /** Print the command (%%DSP USER:...;%%) above its result, when the result carries it (default true). */
  echo?: boolean;
  /** After the command, the script line it is on, when the result carries one (default true). */
  lines?: boolean;
  /**
   * Formats time cells (ms since the epoch); default local YYYY-MM-DD HH:MM:SS, with .mmm for a column
   * shown to the millisecond (`toMs`, MmlColumn.ms).
   */
  formatTime?: (ms: number, toMs: boolean) => string;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

export function localDateTime(ms: number, toMs = false): string {
  const d = new Date(ms);
  return (
    `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ` +
    `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}` +
    (toMs ? `.${String(d.getMilliseconds()).padStart(3, '0')}` : '')
  );
}

/** East Asian wide and fullwidth characters take two terminal cells. */
function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/** Terminal cells a string takes. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += isWide(ch.codePointAt(0)!) ? 2 : 1;
  return w;
}

const padEnd = (s: string, width: number): string => s + ' '.repeat(Math.max(0, width - displayWidth(s)));
const padStart = (s: string, width: number): string => ' '.repeat(Math.max(0, width - displayWidth(s))) + s;

function cell(
  column: MmlColumn,
  value: unknown,
  formatTime: NonNullable<TextOptions['formatTime']>,
  zh: boolean,
): string {
  if (value === null || value === undefined) return '-';
  switch (column.type) {
    case 'boolean':
      // A read-only yes or no (已注册, 需重启, 重传): 是/否 in Chinese; English keeps YES/NO, which scripts parse.
      if (zh) return value === true ? '是' : value === false ? '否' : String(value);
      return value === true ? 'YES' : value === false ? 'NO' : String(value);
    case 'number':
      // Two decimals for all of a column (a duration of 3 beside 60.50 read as another kind of figure).
      return typeof value === 'number' ? value.toFixed(2) : String(value);
    case 'time':
      return typeof value === 'number' ? formatTime(value, column.ms === true) : String(value);
    default:
      // What a peer wrote (a User-Agent, a display name, a Reason) may carry ANSI escapes: escaped as the
      // log writes them, so that a script printing the API's text (jq -r .text) cannot drive a terminal.
      return escapeControls(String(value).replace(/[\r\n\t]+/g, ' '));
  }
}

const numeric = (c: MmlColumn): boolean => c.type === 'integer' || c.type === 'number';

function count(table: MmlTable, zh: boolean): string {
  const n = table.rows.length;
  if (zh) {
    return table.total !== undefined && table.total !== n
      ? `(结果个数 = ${n}，总数 = ${table.total})`
      : `(结果个数 = ${n})`;
  }
  return table.total !== undefined && table.total !== n
    ? `(Number of results = ${n}, total = ${table.total})`
    : `(Number of results = ${n})`;
}

/**
 * A table's lines, pushed onto `lines`; it yields after each row of each pass (cells, widths, lines), where
 * renderTextsAsync may let other events run.
 */
function* tableLines(
  table: MmlTable,
  formatTime: NonNullable<TextOptions['formatTime']>,
  zh: boolean,
  lines: string[],
): Generator<void, void> {
  if (table.title !== undefined && table.title !== '') {
    lines.push(table.title, '-'.repeat(displayWidth(table.title)));
  }
  // In Chinese the cells that are words (a state, a source, a result) are written in Chinese; the
  // table's rows keep them as they are (/api/mml's JSON is the same in every language).
  const words = zh ? zhCellText(table) : undefined;
  const cells: string[][] = [];
  for (const row of table.rows) {
    cells.push(
      table.columns.map((c, i) => {
        const v = row[i];
        return cell(c, words !== undefined && typeof v === 'string' ? words(v, i, row) : v, formatTime, zh);
      }),
    );
    yield;
  }
  if (cells.length === 1) {
    const width = Math.max(...table.columns.map((c) => displayWidth(c.name)));
    table.columns.forEach((c, i) => lines.push(`${padStart(c.name, width)}  =  ${cells[0]![i]}`.trimEnd()));
  } else if (cells.length > 1) {
    const widths = table.columns.map((c) => displayWidth(c.name));
    for (const row of cells) {
      row.forEach((v, i) => (widths[i] = Math.max(widths[i]!, displayWidth(v))));
      yield;
    }
    const line = (values: string[]): string =>
      values
        .map((v, i) => (numeric(table.columns[i]!) ? padStart(v, widths[i]!) : padEnd(v, widths[i]!)))
        .join('  ')
        .trimEnd();
    lines.push(line(table.columns.map((c) => c.name)));
    for (const row of cells) {
      lines.push(line(row));
      yield;
    }
  }
  lines.push(count(table, zh));
}

/** One result's text, ending with a newline, pushed onto `out`; yields as tableLines does, and at its end. */
function* resultText(result: MmlResult, options: TextOptions, out: string[]): Generator<void, void> {
  const formatTime = options.formatTime ?? localDateTime;
  const lines: string[] = [];
  const zh = result.lang === 'zh';
  if (options.echo !== false && result.command !== undefined) {
    const line =
      options.lines === false || result.line === undefined
        ? ''
        : zh
          ? `  （第 ${result.line} 行）`
          : `  (line ${result.line})`;
    lines.push(escapeControls(`%%${result.command};%%${line}`));
  }
  const [first = '', ...more] = escapeControls(result.message).split('\n');
  lines.push(`RETCODE = ${result.retcode}  ${first}`.trimEnd(), ...more);
  if (result.restartNeeded) {
    lines.push(zh ? '(修改在 IMS Lab 重启后生效)' : '(The change takes effect after a restart of IMS Lab)');
  }
  for (const table of result.tables) {
    lines.push('');
    yield* tableLines(table, formatTime, zh, lines);
  }
  lines.push('', '---    END');
  out.push(`${lines.join('\n')}\n`);
  yield;
}

function* resultsText(
  results: readonly MmlResult[],
  options: TextOptions,
  out: string[],
): Generator<void, void> {
  for (const result of results) yield* resultText(result, options, out);
}

function drain(steps: Generator<void, void>): void {
  while (steps.next().done !== true);
}

/** One result as terminal text, ending with a newline. */
export function renderText(result: MmlResult, options: TextOptions = {}): string {
  const out: string[] = [];
  drain(resultText(result, options, out));
  return out[0]!;
}

/** Several results (a script), separated by a blank line. */
export function renderTexts(results: readonly MmlResult[], options: TextOptions = {}): string {
  const out: string[] = [];
  drain(resultsText(results, options, out));
  return out.join('\n');
}

/**
 * Rows and results rendered per turn of the event loop by renderTextsAsync: DSP USER ALL's 20,000 rows,
 * or the answers of a 6,000-line script, took 0.1 to 0.3 s in one turn, and SIP waited.
 */
const STEPS_PER_TURN = 1000;

/** renderTexts, letting other events run every STEPS_PER_TURN rows (each pass) or results. */
export async function renderTextsAsync(
  results: readonly MmlResult[],
  options: TextOptions = {},
): Promise<string> {
  const out: string[] = [];
  const steps = resultsText(results, options, out);
  for (let n = 1; steps.next().done !== true; n++) if (n % STEPS_PER_TURN === 0) await nextTurn();
  return out.join('\n');
}
