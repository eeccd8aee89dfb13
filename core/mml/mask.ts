// What MML shows in place of a secret: a password given as a parameter (masked in the echo, the history
// and the log) or the value of a secret setting (DSP CFG, SET CFG). Plain text, so that the console's
// terminal masks its echo line with the same.
import type { SettingValue } from '../config/settings';

export const MASK = '*****';

/**
 * A setting's value as DSP CFG, SET CFG, EXP CFG and the console show it: a secret one masked while it
 * holds something; an empty one shown empty, as any empty setting, so that the operator can tell that
 * none is set (a HEP auth key a collector asks for, say). An empty value hides nothing.
 */
export function shownValue(def: { readonly secret?: boolean }, value: SettingValue): SettingValue {
  return def.secret === true && value !== '' ? MASK : value;
}

/** Why a secret parameter may not be the mask itself (a statement recalled from the history). */
export const MASK_GIVEN = `${MASK} is how the history hides a secret; type the value itself`;
