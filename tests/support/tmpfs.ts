// A small real file system for tests of what a full or read-only disk does: a tmpfs mounted on a new
// folder. Mounting needs root (CI runs as root); elsewhere `canMount` is false and such tests are skipped.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A tmpfs of `size` (e.g. 16k) mounted with `options` (e.g. ro), or undefined where that is not allowed. */
export function mountTmpfs(size: string, options = ''): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'ims-tmpfs-'));
  try {
    const o = options === '' ? `size=${size}` : `${options},size=${size}`;
    execFileSync('mount', ['-t', 'tmpfs', '-o', o, 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}

export function unmountTmpfs(dir: string): void {
  execFileSync('umount', [dir]);
  rmSync(dir, { recursive: true, force: true });
}

/** Whether this process may mount one (tried once). */
export const canMount: boolean = (() => {
  const dir = mountTmpfs('4k');
  if (dir === undefined) return false;
  unmountTmpfs(dir);
  return true;
})();
