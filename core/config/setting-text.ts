// A setting's value as a person reads it, in DSP CFG and the console alike: a boolean as YES or NO (the
// words its Allowed column names and MML writes), a list as a comma list. config.json keeps JSON's own.

export function settingText(v: unknown): string {
  if (v === true) return 'YES';
  if (v === false) return 'NO';
  return Array.isArray(v) ? v.join(',') : v === undefined || v === null ? '' : String(v);
}
