// The original's CDR/ and logs/ beside a data folder (IMS Lab started in the original's folder, its
// data/ as the data folder): found when they hold a day of the original's layout, named with where
// IMS Lab keeps them; nothing else is taken for them.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { originalFoldersBeside, originalFoldersBesideText } from '../../../core/cdr/original-beside';

let root = '';
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** The original's folder: data/, and the given files under it. */
function originalFolder(files: string[]): string {
  root = mkdtempSync(join(tmpdir(), 'ims-orig-folder-'));
  mkdirSync(join(root, 'data'));
  for (const f of files) {
    mkdirSync(join(root, f, '..'), { recursive: true });
    writeFileSync(join(root, f), '');
  }
  return join(root, 'data');
}

describe("the original's folders beside the data folder", () => {
  it('are found with a day of CDR or of logs, and named with where IMS Lab keeps them', () => {
    const data = originalFolder([
      'CDR/2025-11-01/cdr_2025-11-01.csv',
      'CDR/exports/cdr_export_2025-11-01_20251101_120000.csv',
      'logs/2025-11-01/ims-sip-server.log',
    ]);
    expect(originalFoldersBeside(data)).toEqual({ cdr: join(root, 'CDR'), logs: join(root, 'logs') });
    const [cdr, logs] = originalFoldersBesideText(data);
    expect(cdr).toContain(`IMS Lab keeps CDR in ${join(data, 'CDR')}`);
    expect(logs).toContain(`IMS Lab writes its logs to ${join(data, 'logs')}`);
  });

  it('are not found without a day of their layout, or with none there', () => {
    expect(originalFoldersBeside(originalFolder(['CDR/exports/x.csv', 'logs/other.log']))).toEqual({});
    rmSync(root, { recursive: true, force: true });
    expect(originalFoldersBeside(originalFolder(['CDR/2025-11-01/notes.txt']))).toEqual({});
    rmSync(root, { recursive: true, force: true });
    expect(originalFoldersBesideText(originalFolder([]))).toEqual([]);
  });
});
