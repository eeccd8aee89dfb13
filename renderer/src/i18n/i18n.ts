// A typed dictionary (en.ts, zh.ts) rather than an i18n library: two languages and plain {name}
// placeholders need no plural engine or loader, and a missing key is a compile error.
import { en, type MessageKey } from './en';
import { zh } from './zh';
import type { Lang } from '../../../core/control/contract';

const DICTS: Record<Lang, Record<MessageKey, string>> = { en, zh };

export type { MessageKey };

export function translate(lang: Lang, key: MessageKey, vars?: Record<string, string | number>): string {
  const text = DICTS[lang][key];
  return vars === undefined ? text : text.replace(/\{(\w+)\}/g, (m, k: string) => String(vars[k] ?? m));
}

/** translate in one language, as a view's t() is (useT): what tests of words outside React call. */
export const translator =
  (lang: Lang) =>
  (key: MessageKey, vars?: Record<string, string | number>): string =>
    translate(lang, key, vars);
