// Where EXP CFG and EXP USER write: <data dir>/exports/<what>_export_<YYYYmmdd_HHMMSS>.json, a new file
// each time (…_2.json and on when one exists already), as the original named its exports; and where a
// console's upload for IMP USER lands: <data dir>/imports/<its name>, a new file too.
import { join } from 'node:path';
import { localIsoTime } from '../../store/local-time';
import { writeNewFileIn, writeNewFileInSteps } from '../../store/new-file';
import { MmlError, RETCODE } from '../command';

/** The export folder of a data directory. */
export const exportDir = (dataDir: string): string => join(dataDir, 'exports');

/** Where a console's uploads for IMP USER go (FILE=imports/<name>). */
export const IMPORTS_FOLDER = 'imports';

/** <what>_export_<YYYYmmdd_HHMMSS> in local time. */
export const exportBase = (what: string, ms: number): string =>
  `${what}_export_${localIsoTime(new Date(ms)).slice(0, 19).replace(/[-:]/g, '').replace('T', '_')}`;

/**
 * Writes <dir>/<base><ext>, or <base>_2<ext>... when that exists already; returns the file. `mode`: its
 * permissions when created (0o600 for a file with passwords). Throws MmlError naming the file.
 */
export function writeNewFile(
  dir: string,
  base: string,
  data: string | Uint8Array,
  mode = 0o644,
  ext = '.json',
): string {
  try {
    return writeNewFileIn(dir, base, ext, data, mode);
  } catch (err) {
    const file = (err as { file?: string }).file ?? join(dir, `${base}${ext}`);
    throw new MmlError(RETCODE.OPERATION_FAILED, `Cannot write ${file}: ${(err as Error).message}`);
  }
}

/** writeNewFile for content made a part at a time, the event loop running between two (EXP USER). */
export async function writeNewFileInParts(
  dir: string,
  base: string,
  parts: AsyncIterable<Uint8Array>,
  mode = 0o644,
  ext = '.json',
): Promise<string> {
  try {
    return await writeNewFileInSteps(dir, base, ext, parts, mode);
  } catch (err) {
    const file = (err as { file?: string }).file ?? join(dir, `${base}${ext}`);
    throw new MmlError(RETCODE.OPERATION_FAILED, `Cannot write ${file}: ${(err as Error).message}`);
  }
}
