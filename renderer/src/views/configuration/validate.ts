// A first check of a setting's new value in the form, from its definition (type, bounds, unit, options),
// so the operator sees the problem before SET CFG runs; SET CFG checks again and has the last word. A value
// of the wrong form is refused in SET CFG's words after "Parameter VALUE: " ("SIP.PORT must be a port
// number from 0 to 65535 (got "abc")"), made from the same definition by the same functions
// (core/config/setting-refusal.ts, and zhMustBe for 中文).
import type { Lang, SettingData } from '../../../../core/control/contract';
import { quote } from '../../api/mml-text';
import { translate } from '../../i18n/i18n';
import { acceptedForm, atLeastOne, mustBe } from '../../../../core/config/setting-refusal';
import { zhMustBe } from '../../../../core/mml/zh-params';

/** A value as the table and the edit form show it (the server's DSP CFG writes it the same way). */
export { settingText as valueText } from '../../../../core/config/setting-text';
import { INTEGER_TEXT } from '../../../../core/config/setting-text';

/** The problem with a new value, in the console's language (null: it may be sent). */
export function checkValue(s: SettingData, text: string, lang: Lang = 'en'): string | null {
  const v = text.trim();
  if (s.secret === true && v === '') return translate(lang, 'cfg.check.password');
  const what = acceptedForm(s);
  if (what === undefined) return null;
  // SET CFG's words, the item at fault named as it names it (settings.ts coerce). A secret is never of
  // these forms: its value would not be echoed.
  const refused = (got: string, accepted = what): string =>
    `${s.key} ${lang === 'zh' ? zhMustBe(accepted, JSON.stringify(got)) : mustBe(accepted, got)}`;
  switch (s.type) {
    case 'integer': {
      const n = INTEGER_TEXT.test(v) ? Number(v) : NaN;
      return Number.isInteger(n) && n >= (s.min ?? -Infinity) && n <= (s.max ?? Infinity) ? null : refused(v);
    }
    case 'boolean':
      return /^(true|false|yes|no|on|off|1|0)$/i.test(v) ? null : refused(v);
    case 'enum':
      return s.options!.includes(v.toUpperCase()) ? null : refused(v);
    case 'list': {
      const items = v
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x !== '');
      const bad = items.find((x) => !s.options!.includes(x.toUpperCase()));
      if (bad !== undefined) return refused(bad);
      return items.length === 0 ? refused(v, atLeastOne(what)) : null;
    }
    default:
      return null;
  }
}

/**
 * A secret whose empty value means none (TRACE.HEP_AUTH_KEY: no auth key), its default empty: the edit
 * offers to remove it, as SET CFG VALUE="" does, without showing it. Another (DIALER.PASSWORD) must be
 * typed anew.
 */
export function removableSecret(s: SettingData): boolean {
  return s.secret === true && s.default === '';
}

/** The dialog's SET CFG: VALUE always written, "" for an empty one (mml() leaves empty values out). */
export function setCommand(key: string, value: string): string {
  return `SET CFG:KEY=${quote(key)},VALUE=${quote(value.trim())}`;
}
