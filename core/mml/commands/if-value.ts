// SET CFG's precondition IF_VALUE= (the console's Edit dialog sends the value it read): as MOD USER's
// IF_UPDATED= (store/update-time.ts) and HTTP's If-Match (RFC 9110 §13.1.1), a setting changed since it
// was read is refused, nothing changed, instead of overwritten unseen (two consoles editing PROXY.TIMER_C:
// A saved 90, B's open dialog then saved 240 over it). Compared as DSP CFG shows values: a number or a
// YES/NO as the setting reads it (IF_VALUE=yes is YES), a secret masked (only set or empty is known).
import { coerce, type SettingDefinition, type Settings } from '../../config/settings';
import { settingText } from '../../config/setting-text';
import { MmlError, RETCODE, type MmlParam } from '../command';
import { shownValue } from '../mask';

export const IF_VALUE: MmlParam = {
  name: 'IF_VALUE',
  type: 'string',
  help: "Only if the setting's value is still this (as DSP CFG shows it): refused if changed since",
};

/** `given` as DSP CFG would show it: read as the setting's type when it can be. */
function asShown(def: SettingDefinition, given: string): string {
  if (def.secret === true) return given.trim();
  try {
    return settingText(coerce(def, given));
  } catch {
    return given.trim();
  }
}

/** With TLS_KEY= (the pair dialog): the key file read beside the certificate, checked as IF_VALUE= is. */
export const IF_TLS_KEY: MmlParam = {
  name: 'IF_TLS_KEY',
  type: 'string',
  help: "Only if SIP.TLS_KEY's value is still this (as DSP CFG shows it): refused if changed since",
};

const said = (v: string): string => (v === '' ? '""' : v);

/** Throws RETCODE 7 when the setting's value is no longer `given` (nothing when IF_VALUE= is not given). */
export function checkIfValue(settings: Settings, def: SettingDefinition, given: string | undefined): void {
  if (given === undefined) return;
  const now = settingText(shownValue(def, settings.get(def.key)));
  if (asShown(def, given) === now) return;
  throw new MmlError(
    RETCODE.OPERATION_FAILED,
    `${def.key} was changed since it was ${said(given.trim())} (now ${said(now)}): nothing changed; read it again (DSP CFG KEY=${def.key})`,
  );
}
