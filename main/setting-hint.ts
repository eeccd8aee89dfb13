// Where a desktop user changes the setting that stopped the start. The app is started from a menu, not
// a shell, and its window (where SET CFG is) never opened: "choose another port" means config.json in
// the data folder, or the environment variable when the setting came from there.
import path from 'node:path';
import { CONFIG_FILE, SETTINGS, SettingError, definition } from '../core/config/settings';

/** The sentence the start-up dialog adds after the reason, or undefined when no setting is at fault. */
export function settingHint(err: unknown, dataDir: string): string | undefined {
  if (!(err instanceof SettingError)) return undefined;
  const def = definition(err.key);
  if (def !== undefined) {
    const file = path.join(dataDir, CONFIG_FILE);
    // A port example one that is likely free (5060 → 5070); other settings show the key only.
    const example =
      typeof def.default === 'number' && def.key.endsWith('PORT') ? String(def.default + 10) : '…';
    const env = def.env !== undefined ? `, or set ${def.env} in the environment` : '';
    return `To change ${def.key}: edit ${file} (JSON; create it if missing: {"${def.key}": ${example}})${env}, then start IMS Lab again.`;
  }
  if (SETTINGS.some((d) => d.env === err.key)) {
    return `${err.key} is set in the environment IMS Lab was started from: change or remove it, then start IMS Lab again.`;
  }
  return undefined;
}
