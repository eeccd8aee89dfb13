// A setting's value as a person reads it, in DSP CFG and the console alike: a boolean as YES or NO (the
// words its Allowed column names and MML writes), a list as a comma list. config.json keeps JSON's own.
// And what an integer setting takes as text, checked the same in SET CFG and the console's form.

/** An integer as written: digits, a minus sign before any but zero ("-0" is a slip, not a port 0). */
export const INTEGER_TEXT = /^(?!-0+$)-?\d+$/;

export function settingText(v: unknown): string {
  if (v === true) return 'YES';
  if (v === false) return 'NO';
  return Array.isArray(v) ? v.join(',') : v === undefined || v === null ? '' : String(v);
}
