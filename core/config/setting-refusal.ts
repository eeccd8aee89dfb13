// How a refused setting value is said, after the key (SET CFG: "Parameter VALUE: <KEY> <reason>"; the
// start: "<KEY or variable>: <reason>"): a sentence whose verb follows the key. A value of the wrong form
// "must be <what is accepted> (got <value>)"; a well-formed value that clashes with another setting or the
// machine "cannot be <value>: <why>". An integer says its unit and range in words: "must be a whole number
// of milliseconds from 50 to 10000 (got "abc")".
import { settingText } from './setting-text';

/** What an integer setting counts (settings.ts, SettingDefinition.unit): said in its refusals. */
export type SettingUnit =
  | 'port'
  | 'id'
  | 'milliseconds'
  | 'seconds'
  | 'days'
  | 'bytes'
  | 'MB'
  | 'connections'
  | 'calls'
  | 'calls a second'
  | 'failures'
  | 'bindings'
  | 'messages';

/** "a port number from 0 to 65535", "a whole number of seconds from 1 to 86400", "a whole number from 0 to 9". */
function wholeNumber(unit: SettingUnit | undefined, min?: number, max?: number): string {
  const range = min !== undefined && max !== undefined ? ` from ${min} to ${max}` : '';
  if (unit === 'port') return `a port number${range}`;
  return `a whole number${unit === undefined || unit === 'id' ? '' : ` of ${unit}`}${range}`;
}

/** The fields a setting's accepted form is said from: its definition (settings.ts), as the console has it too. */
export interface SettingForm {
  type: string;
  min?: number;
  max?: number;
  unit?: SettingUnit;
  options?: readonly string[];
}

/** A boolean setting's spellings, as its refusal names them. */
const BOOLEAN_WORDS = 'YES or NO (or TRUE/FALSE, ON/OFF, 1/0)';

/**
 * What a setting of a fixed form (integer, boolean, enum, a list of options) accepts, after "must be":
 * one text for SET CFG's refusal and the console's Configuration dialog, which checks these forms first.
 */
export function acceptedForm(d: SettingForm): string | undefined {
  if (d.type === 'integer') return wholeNumber(d.unit, d.min, d.max);
  if (d.type === 'boolean') return BOOLEAN_WORDS;
  if (d.options === undefined) return undefined;
  return d.type === 'enum' ? `one of ${d.options.join(', ')}` : `a comma list of ${d.options.join(', ')}`;
}

/** What a list of options accepts when it is empty: "a comma list of MD5, SHA-256, at least one". */
export function atLeastOne(what: string): string {
  return `${what}, at least one`;
}

/** "must be <what> (got <value>)"; a secret's value is never echoed (DSP CFG and SET CFG show *****). */
export function mustBe(what: string, got: unknown, secret = false): string {
  return `must be ${what}${secret ? '' : ` (got ${JSON.stringify(got)})`}`;
}

/** "cannot be <value>: <why>", of a value of the right form that clashes (a port taken, an address). */
export function cannotBe(value: unknown, why: string): string {
  return `cannot be ${settingText(value)}: ${why}`;
}
