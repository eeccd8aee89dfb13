// The language of MML answers: English (the default) or Chinese, by the console's language. Keywords,
// parameter names, values and table cells stay as they are (DSP USER, USERNAME=1001, ACTIVE); what a
// person reads changes: the return-code line, messages, table titles and column names, HELP's
// descriptions. Handlers write English; the engine translates their results at the end (translate()),
// so a command needs no change to be answered in Chinese. Text with no translation stays English.
import type { MmlResult, MmlTable } from './command';
import {
  ZH_CELLS,
  ZH_COLUMN_CELLS,
  ZH_COMMAND_HELP,
  ZH_TABLE_COLUMNS,
  ZH_TITLES,
  ZH_TITLES_BY_FIRST_COLUMN,
  ZH_WORDS,
  zhText,
} from './zh';

export type MmlLang = 'en' | 'zh';
export const MML_LANGS: readonly MmlLang[] = ['en', 'zh'];

export function isMmlLang(value: unknown): value is MmlLang {
  return value === 'en' || value === 'zh';
}

/** Options of one MmlEngine.execute call. */
export interface MmlExecuteOptions {
  /** The language of the answers (default 'en'). */
  lang?: MmlLang;
  /**
   * The number of the script's first line (default 1): a piece of a longer file, whose lines are then
   * numbered as in the file ("line 200012, column 9").
   */
  firstLine?: number;
}

/** The entry of `key` in a map of translations (never an inherited property such as "constructor"). */
function pick<T>(map: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return map !== undefined && Object.hasOwn(map, key) ? map[key] : undefined;
}

/** A phrase (a title, a column name, a whole message) in Chinese, or itself when there is none. */
export function zhWord(text: string): string {
  return pick(ZH_WORDS, text) ?? text;
}

/**
 * A message in Chinese, line by line: a known sentence, a known pattern (with the reason it carries
 * translated too), or clauses separated by "; "; English when unknown.
 */
export function zhMessage(message: string): string {
  if (message === '') return message;
  return message.split('\n').map(zhText).join('\n');
}

/** A table title in Chinese: a title of its own, else as a phrase or message. */
export function zhTitle(title: string): string {
  return pick(ZH_TITLES, title) ?? zhText(title);
}

/** A command's HELP description in Chinese (by its name, e.g. "DSP USER"), or the English one. */
export function zhCommandHelp(name: string, english: string): string {
  return pick(ZH_COMMAND_HELP, name) ?? english;
}

/**
 * Titles and column names in Chinese. Cells are data and stay as they are, except the few placeholder
 * words a table writes for "none" (ZH_CELLS, by the table's title) and results written in words
 * (ZH_COLUMN_CELLS, by the column's name).
 */
function translateTable(t: MmlTable): MmlTable {
  const title = t.title ?? '';
  const columns = pick(ZH_TABLE_COLUMNS, title);
  const cells = pick(ZH_CELLS, title);
  const byColumn = t.columns.map((c) => pick(ZH_COLUMN_CELLS, c.name));
  const words = cells !== undefined || byColumn.some((f) => f !== undefined);
  // A column's own words first; what it leaves as it is may still be a title's word for "none".
  const cell = (v: string, i: number): string => {
    const own = byColumn[i]?.(v);
    return own !== undefined && own !== v ? own : (pick(cells, v) ?? v);
  };
  const shared = pick(ZH_TITLES_BY_FIRST_COLUMN, title);
  const own = shared === undefined ? undefined : pick(shared, t.columns[0]?.name ?? '');
  return {
    ...t,
    ...(t.title === undefined ? {} : { title: own ?? zhTitle(t.title) }),
    columns: t.columns.map((c) => ({ ...c, name: pick(columns, c.name) ?? zhWord(c.name) })),
    ...(words
      ? { rows: t.rows.map((row) => row.map((v, i) => (typeof v === 'string' ? cell(v, i) : v))) }
      : {}),
  };
}

/** The result in `lang`; English results are returned as they are. */
export function translate(result: MmlResult, lang: MmlLang): MmlResult {
  if (lang === 'en') return result;
  return {
    ...result,
    message: zhMessage(result.message),
    tables: result.tables.map(translateTable),
    lang,
  };
}
