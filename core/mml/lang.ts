// The language of MML answers: English (the default) or Chinese, by the console's language. Keywords,
// parameter names, values and table cells stay as they are (DSP USER, USERNAME=1001, ACTIVE); what a
// person reads changes: the return-code line, messages, table titles and column names, HELP's
// descriptions. Handlers write English; the engine translates their results at the end (translate()),
// so a command needs no change to be answered in Chinese. Text with no translation stays English.
import type { MmlResult, MmlTable } from './command';
import { ZH_COMMAND_HELP, ZH_PATTERNS, ZH_WORDS } from './zh';

export type MmlLang = 'en' | 'zh';
export const MML_LANGS: readonly MmlLang[] = ['en', 'zh'];

export function isMmlLang(value: unknown): value is MmlLang {
  return value === 'en' || value === 'zh';
}

/** Options of one MmlEngine.execute call. */
export interface MmlExecuteOptions {
  /** The language of the answers (default 'en'). */
  lang?: MmlLang;
}

/** A phrase (a title, a column name, a whole message) in Chinese, or itself when there is none. */
export function zhWord(text: string): string {
  return ZH_WORDS[text] ?? text;
}

/** A message in Chinese: a known sentence, a known pattern, or line by line; English when unknown. */
export function zhMessage(message: string): string {
  if (message === '') return message;
  if (message.includes('\n')) return message.split('\n').map(zhMessage).join('\n');
  const whole = ZH_WORDS[message];
  if (whole !== undefined) return whole;
  for (const [pattern, replace] of ZH_PATTERNS) {
    const m = pattern.exec(message);
    if (m !== null) return replace(...(m.slice(1) as string[]));
  }
  return message;
}

/** A command's HELP description in Chinese (by its name, e.g. "DSP USER"), or the English one. */
export function zhCommandHelp(name: string, english: string): string {
  return ZH_COMMAND_HELP[name] ?? english;
}

function translateTable(t: MmlTable): MmlTable {
  return {
    ...t,
    ...(t.title === undefined ? {} : { title: zhWord(t.title) }),
    columns: t.columns.map((c) => ({ ...c, name: zhWord(c.name) })),
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
