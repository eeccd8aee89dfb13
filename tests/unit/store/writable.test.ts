// A data folder restored with the wrong owner for logs/ or CDR/ (or a day folder, or the day's file in
// it) started "running" with no log file and no CSV archive; now the start stops naming the path and its
// owner (core/store/writable.ts, exit 2 through startup-fault.ts). The tests run as any user: this one's
// permission answers are faked (as root every access passes).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startupFault } from '../../../core/cli/startup-fault';
import { checkWritable, NotWritableError } from '../../../core/store/writable';
import { tempDir } from '../../support/temp-dir';

function folder(): string {
  const dir = tempDir('ims-writable-');
  for (const day of ['2026-12-05', '2026-12-06', '2026-12-07']) {
    mkdirSync(join(dir, 'logs', day), { recursive: true });
    writeFileSync(join(dir, 'logs', day, 'ims-sip-server.log'), '');
  }
  mkdirSync(join(dir, 'CDR', '2026-12-07'), { recursive: true });
  writeFileSync(join(dir, 'CDR', '2026-12-07', 'cdr_2026-12-07.csv'), '');
  return dir;
}

/** An access check that refuses `denied` (EACCES) and passes everything else. */
const refusing =
  (denied: string) =>
  (path: string): void => {
    if (path === denied) throw Object.assign(new Error(`EACCES: ${path}`), { code: 'EACCES' });
  };

describe('checkWritable', () => {
  it('names the folder, day folder or file this user may not write, and its owner', () => {
    const dir = folder();
    for (const denied of [
      join(dir, 'logs'),
      join(dir, 'CDR'),
      join(dir, 'logs', '2026-12-07'),
      join(dir, 'CDR', '2026-12-07', 'cdr_2026-12-07.csv'),
    ]) {
      let err: unknown;
      try {
        checkWritable(dir, ['logs', 'CDR'], refusing(denied));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(NotWritableError);
      expect(startupFault(err, dir)).toBe(
        `data folder IMS_DATA_DIR=${dir} cannot be used: this user (uid ${process.getuid!()}) may not write ` +
          `${denied}, owned by uid ${process.getuid!()}: check the owner and permissions of the files in the ` +
          `data folder, not only of the folder (chown -R to the user IMS Lab runs as)`,
      );
    }
  });

  it('leaves alone older day folders, what does not exist yet, and a folder it may write', () => {
    const dir = folder();
    checkWritable(dir, ['logs', 'CDR', 'recordings'], refusing(join(dir, 'logs', '2026-12-05')));
    checkWritable(dir, ['logs', 'CDR', 'recordings'], refusing(join(dir, 'recordings')));
    checkWritable(dir, ['logs', 'CDR']);
  });
});
