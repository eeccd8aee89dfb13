// A first check of a setting's new value in the form, from its definition (type, bounds, options), so
// the operator sees the problem before SET CFG runs; SET CFG checks again and has the last word.
import type { Lang, SettingData } from '../../../../core/control/contract';
import { quote } from '../../api/mml-text';
import { translate } from '../../i18n/i18n';

/** A value as the table and the edit form show it (the server's DSP CFG writes it the same way). */
export { settingText as valueText } from '../../../../core/config/setting-text';
import { INTEGER_TEXT } from '../../../../core/config/setting-text';

/** The problem with a new value, in the console's language (null: it may be sent). */
export function checkValue(s: SettingData, text: string, lang: Lang = 'en'): string | null {
  const v = text.trim();
  if (s.secret === true && v === '') return translate(lang, 'cfg.check.password');
  switch (s.type) {
    case 'integer': {
      if (!INTEGER_TEXT.test(v))
        return s.min !== undefined && s.max !== undefined
          ? translate(lang, 'cfg.check.integerRange', { min: s.min, max: s.max })
          : translate(lang, 'cfg.check.integer');
      const n = Number(v);
      if (s.min !== undefined && n < s.min) return translate(lang, 'cfg.check.min', { n: s.min });
      if (s.max !== undefined && n > s.max) return translate(lang, 'cfg.check.max', { n: s.max });
      return null;
    }
    case 'boolean':
      return /^(true|false|yes|no|on|off|1|0)$/i.test(v) ? null : translate(lang, 'cfg.check.boolean');
    case 'enum':
      return s.options?.includes(v.toUpperCase()) || s.options?.includes(v)
        ? null
        : translate(lang, 'cfg.check.enum', { options: s.options?.join(', ') ?? '' });
    case 'list': {
      if (s.options === undefined) return null;
      const bad = v
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x !== '' && !s.options!.includes(x) && !s.options!.includes(x.toUpperCase()));
      return bad.length === 0
        ? null
        : translate(lang, 'cfg.check.list', { bad: bad.join(', '), options: s.options.join(', ') });
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
