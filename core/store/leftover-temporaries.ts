// What IMS Lab writes under a temporary name until it is whole (an export, an upload, config.json, the
// CDR spill) is removed when the write fails; a process killed meanwhile (kill -9, a crash, a power cut)
// left it for good: 10.5 MB of a cut EXP CDR in CDR/exports/, on a disk that may be full already. At
// start, with the data folder's lock held (no other IMS Lab writes there), those of IMS Lab's own naming
// whose process is gone are removed. Their names carry the writer's pid:
//   .<name>.<pid>-<n>.tmp   new-file.ts (exports, uploads for IMP USER, the CDR export)
//   .<name>.<pid>.part      prompt-files.ts (a prompt uploaded from a console)
//   <name>.<pid>.tmp        settings.ts (config.json), spill.ts (cdr-unwritten.json and its reserve),
//                           perf-history-file.ts (perf-history.json)
// A file of this process's own pid is a leftover too when it is older than this process: in a container
// node is pid 1 at every run, so the files a killed run left all carried "our" pid and were kept for good.
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The folders written so, relative to the data folder. */
export const TEMPORARY_FOLDERS = ['', 'CDR/exports', 'exports', 'imports', 'media', 'trace/exports'];

const NAMES = [
  /^\..+\.(\d+)-\d+\.tmp$/,
  /^\..+\.(\d+)\.part$/,
  /^(?:config\.json|cdr-unwritten\.json|\.cdr-unwritten\.reserve|perf-history\.json)\.(\d+)\.tmp$/,
];

/** The writer's pid of a temporary file of IMS Lab's naming; undefined for any other name. */
export function temporaryWriter(name: string): number | undefined {
  for (const pattern of NAMES) {
    const m = pattern.exec(name);
    if (m !== null) return Number(m[1]);
  }
  return undefined;
}

/**
 * Whether the writer of a file may still be writing it: a process of that pid runs (one of another user
 * counts: EPERM). For this process's own pid, only if the file was written since this process started
 * (`startedAt`, ms since the epoch): an earlier process of the same pid (pid 1 in a container) left it.
 */
function running(pid: number, file: string, startedAt: number): boolean {
  if (pid === process.pid) {
    try {
      return statSync(file).mtimeMs >= startedAt;
    } catch {
      return true; // gone meanwhile, or unreadable: left as it is
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary files a process now gone left in the data folder; answers them (full paths).
 * `startedAt`: when this process started (ms since the epoch).
 */
export function removeLeftoverTemporaries(dataDir: string, startedAt = performance.timeOrigin): string[] {
  const removed: string[] = [];
  for (const folder of TEMPORARY_FOLDERS) {
    const dir = join(dataDir, folder);
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue; // not made yet
    }
    for (const name of names) {
      const pid = temporaryWriter(name);
      const file = join(dir, name);
      if (pid === undefined || running(pid, file, startedAt)) continue;
      try {
        rmSync(file);
        removed.push(file);
      } catch {
        // A folder of that name, or no right to remove it: left as it is.
      }
    }
  }
  return removed;
}
