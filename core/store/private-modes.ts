// The data folder's files that hold secrets are readable by the appliance's user only. IMS Lab creates
// them so (private-file.ts, secret.ts, CONFIG_FILE_MODE), but a folder an older IMS Lab used has them
// 0644: ims-lab.db's HA1 digests (enough to register as a user), trace.db's SIP messages, config.json's
// dialer password, secret.key. At start such a file is made 0600 and the log says so; a file this user
// may not change is named instead. The data folder itself is made 0700 the same way: IMS Lab makes it so,
// but one made beforehand (a Docker volume, `mkdir -p data`) was 0755, and its logs (every Authorization
// at DEBUG, enough for an offline guess of a phone's password), CDRs, trace exports and config exports
// were readable by every user of the host.
import { chmodSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The mode bits that give the file's group or other users access. */
const SHARED = 0o077;

const octal = (mode: number): string => (mode & 0o777).toString(8).padStart(4, '0');

/**
 * Takes group and other access away from the named files of `dataDir` that exist (SQLite's -wal and -shm
 * beside a database too); returns what it did or could not do, one sentence a file, for the log.
 */
export function tightenPrivateFiles(dataDir: string, names: readonly string[]): string[] {
  const notes: string[] = [];
  for (const name of names) tighten(join(dataDir, name), 'file', notes);
  return notes;
}

/** Takes group and other access away from the data folder itself (see above); returns the log's note. */
export function tightenDataFolder(dataDir: string): string[] {
  const notes: string[] = [];
  tighten(dataDir, 'folder', notes);
  return notes;
}

/** Makes `path` (a file or a folder, as `kind` says) its owner's only; a sentence in notes if it was not. */
function tighten(path: string, kind: 'file' | 'folder', notes: string[]): void {
  let mode: number;
  try {
    const st = statSync(path);
    if (kind === 'file' ? !st.isFile() : !st.isDirectory()) return;
    mode = st.mode;
  } catch {
    return; // not there (yet): created private when it is
  }
  if ((mode & SHARED) === 0) return;
  const tight = mode & 0o700;
  try {
    chmodSync(path, tight);
    notes.push(`${path} was open to other users of this host (mode ${octal(mode)}): now ${octal(tight)}`);
  } catch (err) {
    notes.push(
      `${path} is open to other users of this host (mode ${octal(mode)}) and could not be made private: ` +
        `${(err as NodeJS.ErrnoException).code ?? String(err)}`,
    );
  }
}

/** A database file and the -wal and -shm SQLite keeps beside it. */
export const withSqliteSidecars = (file: string): string[] => [file, `${file}-wal`, `${file}-shm`];
