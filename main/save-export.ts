// The console's downloads on the desktop (EXP CDR's CSV, EXP TRACE's pcap, EXP USER's and EXP CFG's
// JSON): the command wrote the file into the data folder as ever (the MML commands' place, the
// original's); its download button then asks main, over the one IPC channel made for it
// (preload/channels.ts IPC_SAVE_EXPORT), to put a copy where the user says, with the operating system's
// Save dialog, as a browser's download would. Only a bare name of a file those commands write, or of a
// day's log file (the Logs view's download, ims-sip-server_<date>.log), is taken (the HTTP download
// routes' own list, core/http/data-files.ts): the page cannot name any other file.
// Cancel writes nothing.
import type { BrowserWindow, Dialog, SaveDialogOptions } from 'electron';
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import type { Appliance } from '../core/appliance';
import { downloadRoutes } from '../core/http/data-files';

/** What the page is told (preload/desktop-api.ts SaveExportResult). */
export type SaveExportResult = { saved: true; path: string } | { saved: false; error?: string };

export interface SaveExportDeps {
  appliance: () => Appliance | undefined;
  dialog: Pick<Dialog, 'showSaveDialog'>;
  /** The folder the dialog opens in (the user's Downloads). */
  downloads: () => string;
}

/** The Save dialog's file type of an export, by its extension. */
const FILTERS: Record<string, { name: string; extensions: string[] }> = {
  '.csv': { name: 'CSV', extensions: ['csv'] },
  '.pcap': { name: 'pcap', extensions: ['pcap'] },
  '.txt': { name: 'Text', extensions: ['txt'] },
  '.json': { name: 'JSON', extensions: ['json'] },
  '.log': { name: 'Log', extensions: ['log'] },
};

/** Asks where to save the export `file` (a bare name the EXP command answered) and copies it there. */
export async function saveExport(
  deps: SaveExportDeps,
  win: BrowserWindow | null,
  file: unknown,
): Promise<SaveExportResult> {
  const a = deps.appliance();
  if (a === undefined) return { saved: false, error: 'the appliance is not running' };
  const name = typeof file === 'string' ? file : '';
  const found = downloadRoutes(a)
    .map((route) => route.locate(name))
    .find((f) => f !== undefined);
  if (found === undefined) return { saved: false, error: `${JSON.stringify(file)} is not an export file` };
  const filter = FILTERS[path.extname(name).toLowerCase()];
  const options: SaveDialogOptions = {
    defaultPath: path.join(deps.downloads(), name),
    ...(filter === undefined ? {} : { filters: [filter] }),
  };
  const chosen = await (win === null
    ? deps.dialog.showSaveDialog(options)
    : deps.dialog.showSaveDialog(win, options));
  if (chosen.canceled || chosen.filePath === undefined || chosen.filePath === '') return { saved: false };
  try {
    await copyFile(found.full, chosen.filePath);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { saved: false, error: `${chosen.filePath}: ${e.code ?? e.message}` };
  }
  return { saved: true, path: chosen.filePath };
}
