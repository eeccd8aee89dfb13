// The language of MML answers: English (the default) or Chinese, by the console's language. Keywords,
// parameter names, values, table rows and the keys of tables and columns stay as they are (DSP USER,
// USERNAME=1001, ACTIVE, stopped: /api/mml's JSON is the same for a script in every language); what a
// person reads changes: the return-code line, messages, table titles and column names, HELP's
// descriptions, and in the text an answer is printed as, the cells that are words (zh-cells.ts). Handlers write English; the engine translates their results at the end (translate()),
// so a command needs no change to be answered in Chinese. Text with no translation stays English.
import type { MmlResult, MmlTable } from './command';
import {
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
 * The result with its keys: every column's `key` is its English name, every titled table's `key` its
 * English title, the same in every language (a script finds a column by it; the name shown is
 * translated). Keys a command gave are kept.
 */
export function withKeys(result: MmlResult): MmlResult {
  if (result.tables.length === 0) return result;
  return {
    ...result,
    tables: result.tables.map((t) => ({
      ...(t.title === undefined ? {} : { key: t.key ?? t.title }),
      ...t,
      columns: t.columns.map((c) => ({ key: c.key ?? c.name, ...c })),
    })),
  };
}

/**
 * Titles and column names in Chinese; keys and cells stay as they are (the same JSON in every language:
 * scripts read it). The text of the answer writes the cells that are words in Chinese (zh-cells.ts).
 */
function translateTable(t: MmlTable): MmlTable {
  const title = t.title ?? '';
  const columns = pick(ZH_TABLE_COLUMNS, title);
  const shared = pick(ZH_TITLES_BY_FIRST_COLUMN, title);
  const own = shared === undefined ? undefined : pick(shared, t.columns[0]?.name ?? '');
  return {
    ...t,
    ...(t.title === undefined ? {} : { title: own ?? zhTitle(t.title) }),
    columns: t.columns.map((c) => ({ ...c, name: pick(columns, c.name) ?? zhWord(c.name) })),
  };
}

/** The result in `lang`; English results are returned as they are. */
export function translate(result: MmlResult, lang: MmlLang): MmlResult {
  const keyed = withKeys(result);
  if (lang === 'en') return keyed;
  return {
    ...keyed,
    message: zhMessage(keyed.message),
    tables: keyed.tables.map(translateTable),
    lang,
  };
}
