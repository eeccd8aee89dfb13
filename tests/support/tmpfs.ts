// A small real file system for tests of what a full or read-only disk does: a tmpfs mounted on a new
// folder. Mounting needs root (CI runs as root); elsewhere `canMount` is false and such tests are skipped.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

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

/**
 * Mounts tmpfs disks for a test with the function it returns, each unmounted after the test. Its clean-up
 * runs after those registered later (vitest runs afterEach hooks last registered first): call it before
 * a hook that closes what lives on the disk.
 */
export function useTmpfsDisks(): (size: string, options?: string) => string {
  const disks: string[] = [];
  afterEach(() => {
    for (const disk of disks.splice(0)) unmountTmpfs(disk);
  });
  return (size, options = '') => {
    const disk = mountTmpfs(size, options);
    if (disk === undefined) throw new Error(`cannot mount a tmpfs of ${size}`);
    disks.push(disk);
    return disk;
  };
}

/** Fills a disk with a file `filler` in `dir` (ENOSPC expected), then gives `free` bytes back. */
export function fillDisk(dir: string, free = 0): void {
  const filler = join(dir, 'filler');
  try {
    writeFileSync(filler, Buffer.alloc(64 * 1024 * 1024));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  }
  if (free > 0) truncateSync(filler, Math.max(0, statSync(filler).size - free));
}
