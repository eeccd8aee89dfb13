// The original's settings file, config/config.json in the folder it ran in (reference §5.2), beside
// data/ as its CDR/, logs/ and sip_client_config.json are. IMS Lab does not read it (its own config.json,
// with IMS Lab's keys, is in the data folder): started in the original's folder, a LOG_LEVEL or
// SERVER_PORT written there was dropped without a word. Its keys that IMS Lab takes elsewhere are named at
// start with what to do, as they are when that file is copied into the data folder; nothing is changed.
import { dirname, join, resolve } from 'node:path';
import { CONFIG_FILE, configText, keyElsewhere, SettingError } from './settings';

/** The warning about the original's config/config.json beside `dataDir`: none when there is none or it holds nothing IMS Lab takes. */
export function originalConfigFileText(dataDir: string): string[] {
  const data = resolve(dataDir);
  if (dirname(data) === data) return [];
  const file = join(dirname(data), 'config', CONFIG_FILE);
  let original: unknown;
  try {
    original = JSON.parse(configText(file));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    const why =
      err instanceof SettingError ? err.message : `${file}: not valid JSON (${(err as Error).message})`;
    return [
      `the original's settings file is not read: ${why}; IMS Lab's settings are in ${join(data, CONFIG_FILE)} (SET CFG, SAVE CFG)`,
    ];
  }
  if (typeof original !== 'object' || original === null || Array.isArray(original)) return [];
  const keys = Object.keys(original).flatMap((k) => {
    const advice = keyElsewhere(k);
    return advice === undefined ? [] : [`${k}: ${advice}`];
  });
  if (keys.length === 0) return [];
  return [
    `the original's settings ${file} are beside the data folder: IMS Lab does not read that file (its settings are in ${join(data, CONFIG_FILE)}, with IMS Lab's keys, or SET CFG then SAVE CFG); ${keys.join('; ')}`,
  ];
}
