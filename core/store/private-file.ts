// A database file of the appliance, created readable by its own user only: ims-lab.db holds the users'
// HA1 digests (enough to register as them) and trace.db their SIP messages. A data folder IMS Lab makes
// itself is 0700 (database.ts), but one made beforehand (a Docker image's `mkdir -p /data`, an
// operator's) may be open to every user of the host. SQLite gives its -wal and -shm files the database
// file's mode. A file that exists is not changed here (an older IMS Lab's 0644 one is made private at
// start: private-modes.ts).
import { closeSync, openSync } from 'node:fs';

/** Creates `path` empty with mode 0600 unless it exists (then it is not opened here at all); returns it. */
export function privateFile(path: string): string {
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return path;
}
