// A console download on the desktop (no session token): the file the EXP command's answer names goes to
// window.ims.saveExport (main's Save dialog and copy, main/save-export.ts); Cancel is no error, a copy
// that could not be written is said. Before, nothing followed the command on the desktop.
import { describe, expect, it } from 'vitest';
import { downloadAnswered, saveOnDesktop } from './download';

const CSV = { route: '/api/export/', file: /(cdr_export_[\w.-]+\.csv)/ };

function fakeIms(answer: Awaited<ReturnType<ImsDesktopApi['saveExport']>>) {
  const asked: string[] = [];
  const ims = {
    saveExport: (file: string) => {
      asked.push(file);
      return Promise.resolve(answer);
    },
  } as unknown as ImsDesktopApi;
  return { ims, asked };
}

describe('downloads on the desktop', () => {
  it('hand the answered export file to the Save dialog', async () => {
    const { ims, asked } = fakeIms({ saved: true, path: '/home/me/cdr.csv' });
    await downloadAnswered('Exported 3 records to CDR/exports/cdr_export_2026-12-07.csv', CSV, null, ims);
    expect(asked).toEqual(['cdr_export_2026-12-07.csv']);
    // An answer naming no file asks for nothing.
    await downloadAnswered('No records', CSV, null, ims);
    expect(asked).toHaveLength(1);
  });

  it('take Cancel quietly and say why a copy was not written', async () => {
    expect(await saveOnDesktop('x.csv', fakeIms({ saved: false }).ims)).toBe(false);
    await expect(
      saveOnDesktop('x.csv', fakeIms({ saved: false, error: '/ro/x.csv: EACCES' }).ims),
    ).rejects.toThrow('/ro/x.csv: EACCES');
  });
});
