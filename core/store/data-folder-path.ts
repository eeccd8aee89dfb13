// A setting that names a file (DIALER.MEDIA_FILE, SIP.TLS_CERT, SIP.TLS_KEY, SIP.TLS_CA) given by its
// absolute path inside the data folder is kept relative to the folder: config.json then holds
// `media/prompt.wav`, not `/srv/ims/data/media/prompt.wav`, so the folder moved or restored elsewhere
// whole (README: back it up whole) starts with its own files rather than looking for the old folder's.
import { existsSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** The settings whose files are read against the data folder when relative. */
export const DATA_FOLDER_FILE_SETTINGS: ReadonlySet<string> = new Set([
  'DIALER.MEDIA_FILE',
  'SIP.TLS_CERT',
  'SIP.TLS_KEY',
  'SIP.TLS_CA',
]);

/**
 * `value` relative to `dataDir` when it is an absolute path inside it (by the folder's path as given or
 * its real one), with a separator in it (`./prompt.wav`: a bare name is looked for in media/ first);
 * otherwise `value` as it is.
 */
export function relativeToDataFolder(dataDir: string, value: string): string {
  if (!isAbsolute(value)) return value;
  const roots = [resolve(dataDir)];
  if (existsSync(dataDir)) roots.push(realpathSync(dataDir));
  for (const root of roots) {
    const r = relative(root, resolve(value));
    if (r === '' || r.startsWith('..') || isAbsolute(r)) continue;
    return r.includes(sep) ? r : `.${sep}${r}`;
  }
  return value;
}
