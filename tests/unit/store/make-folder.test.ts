// The data folder made level by level: Node's recursive mkdir spun at 100% CPU under /proc
// (IMS_DATA_DIR=/proc/x: the level answers ENOENT with its parent there, and it tried again for ever).
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startupFault } from '../../../core/cli/startup-fault';
import { lockDataFolder } from '../../../core/store/folder-lock';
import { makeFolder } from '../../../core/store/make-folder';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const scratch = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'ims-make-folder-'));
  dirs.push(d);
  return d;
};

describe('makeFolder', () => {
  it('makes the missing levels with the mode asked, and leaves a folder that is there', () => {
    const root = scratch();
    const deep = join(root, 'a', 'b', 'c');
    makeFolder(deep, 0o700);
    expect(statSync(deep).isDirectory()).toBe(true);
    expect(statSync(join(root, 'a')).mode & 0o777).toBe(0o700);
    expect(() => makeFolder(deep)).not.toThrow();
  });

  it('throws for a file in the way, naming it', () => {
    const root = scratch();
    writeFileSync(join(root, 'f'), '');
    expect(() => makeFolder(join(root, 'f'))).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(() => makeFolder(join(root, 'f', 'x'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
  });

  it.skipIf(process.platform !== 'linux' || !existsSync('/proc/self'))(
    'stops at once on a folder that cannot be made under /proc: a start-up fault naming it',
    () => {
      const dir = '/proc/ims-lab-data';
      let fault: string | undefined;
      try {
        lockDataFolder(dir);
      } catch (err) {
        fault = startupFault(err, dir);
      }
      expect(fault).toMatch(
        /^data folder IMS_DATA_DIR=\/proc\/ims-lab-data cannot be used: \/proc\/ims-lab-data: /,
      );
    },
  );
});
