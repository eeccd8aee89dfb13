// What MML shows in place of a secret: a password given as a parameter (masked in the echo, the history
// and the log) or the value of a secret setting (DSP CFG, SET CFG).
import { SETTINGS } from '../config/settings';

export const MASK = '*****';

const SECRET_SETTINGS = new Set(SETTINGS.filter((d) => d.secret === true).map((d) => d.key));

/** Is this key (any case) a setting whose value is never shown? */
export function isSecretSetting(key: string): boolean {
  return SECRET_SETTINGS.has(key.trim().toUpperCase());
}
