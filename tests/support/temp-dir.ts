// Temporary folders for a test file, removed when the file's tests are done (CI machines and this one
// collected hundreds of data folders the lifecycle and desktop tests left in /tmp).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];
// Imported while a test file is collected (each file has its own module registry): its last hook.
afterAll(removeTempDirs);

/** A new folder under the system's temp folder, removed after the importing test file's tests. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes every folder tempDir() made so far (one left read-only by a test is left, not an error). */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // a read-only mount a test made: its own teardown unmounts it
    }
  }
}
