// The original's dialer settings file, sip_client_config.json (reference §5.5), in the folder it ran in
// (beside data/, as its CDR/ and logs/ are). IMS Lab keeps these values as DIALER.* settings and does
// not read the file: started in the original's folder, a site whose dialer account, port or prompt
// differed from the defaults would have dialled as 0000 without a word. The values that differ from
// IMS Lab's are named at start with the settings that hold them; nothing is changed. server_ip and
// server_port have no counterpart: IMS Lab's dialer registers with the appliance itself.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const ORIGINAL_DIALER_FILE = 'sip_client_config.json';

/** The original's field → IMS Lab's setting. */
const FIELDS: readonly [field: string, key: string][] = [
  ['username', 'DIALER.USERNAME'],
  ['password', 'DIALER.PASSWORD'],
  ['local_ip', 'DIALER.LOCAL_IP'],
  ['local_port', 'DIALER.LOCAL_PORT'],
  ['media_file', 'DIALER.MEDIA_FILE'],
];

/**
 * The warnings about the original's sip_client_config.json beside `dataDir`: none when there is none or
 * it says what IMS Lab's settings say. `setting` reads IMS Lab's value of a key.
 */
export function originalDialerConfigText(dataDir: string, setting: (key: string) => unknown): string[] {
  const data = resolve(dataDir);
  if (dirname(data) === data) return [];
  const file = join(dirname(data), ORIGINAL_DIALER_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return []; // none there (or not readable: nothing of it could be used anyway)
  }
  let original: unknown;
  try {
    original = JSON.parse(text);
  } catch (err) {
    return [
      `the original's dialer settings ${file} are not JSON (${(err as Error).message}): IMS Lab does not read them (DIALER.* settings)`,
    ];
  }
  if (typeof original !== 'object' || original === null) return [];
  const fields = original as Record<string, unknown>;
  const differ: string[] = [];
  for (const [field, key] of FIELDS) {
    const value = fields[field];
    if (value === undefined || value === null || value === '') continue;
    const ours = setting(key);
    if (String(value) === String(ours)) continue;
    // An empty DIALER.LOCAL_IP is the server's address, which the original's local_ip usually was.
    if (key === 'DIALER.LOCAL_IP' && ours === '') continue;
    differ.push(key === 'DIALER.PASSWORD' ? `${key} (its password)` : `${key}=${String(value)} (${field})`);
  }
  if (differ.length === 0) return [];
  return [
    `the original's dialer settings ${file} differ from IMS Lab's, which does not read that file: set ${differ.join(', ')} (SET CFG, or config.json) to dial as the original did`,
  ];
}
