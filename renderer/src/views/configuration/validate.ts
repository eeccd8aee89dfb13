// A first check of a setting's new value in the form, from its definition (type, bounds, options), so
// the operator sees the problem before SET CFG runs; SET CFG checks again and has the last word.
import type { SettingData } from '../../../../core/control/contract';

export function valueText(v: unknown): string {
  return Array.isArray(v) ? v.join(',') : v === undefined || v === null ? '' : String(v);
}

export function checkValue(s: SettingData, text: string): string | null {
  const v = text.trim();
  if (s.secret === true && v === '') return 'enter the new password';
  switch (s.type) {
    case 'integer': {
      if (!/^-?\d+$/.test(v)) return 'expected an integer';
      const n = Number(v);
      if (s.min !== undefined && n < s.min) return `at least ${s.min}`;
      if (s.max !== undefined && n > s.max) return `at most ${s.max}`;
      return null;
    }
    case 'boolean':
      return /^(true|false|yes|no|on|off|1|0)$/i.test(v) ? null : 'expected YES or NO';
    case 'enum':
      return s.options?.includes(v.toUpperCase()) || s.options?.includes(v)
        ? null
        : `one of ${s.options?.join(', ')}`;
    case 'list': {
      if (s.options === undefined) return null;
      const bad = v
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x !== '' && !s.options!.includes(x) && !s.options!.includes(x.toUpperCase()));
      return bad.length === 0 ? null : `not allowed: ${bad.join(', ')} (allowed: ${s.options.join(', ')})`;
    }
    default:
      return null;
  }
}
