// The console's language on a first visit, before anybody chose one: the browser's (navigator.languages,
// from its settings or the system's: zh-CN, zh-Hans-CN, zh-TW, zh), Chinese for any Chinese, else English.
// A choice made in the header is remembered (store/shell.ts, localStorage "ims.lang") and wins.
import type { Lang } from '../../../core/control/contract';

/** The first of the browser's preferred languages the console speaks; English when none. */
export function firstLang(preferred: readonly string[]): Lang {
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split(/[-_]/)[0];
    if (primary === 'zh') return 'zh';
    if (primary === 'en') return 'en';
  }
  return 'en';
}

/** The browser's preferred languages (none outside a browser). */
export function browserLanguages(): readonly string[] {
  if (typeof navigator === 'undefined') return [];
  return navigator.languages?.length ? navigator.languages : [navigator.language ?? ''];
}
