// Files the server wrote for the operator (EXP CDR's CSV, EXP TRACE's pcap, EXP USER's and EXP CFG's
// JSON) fetched with the session's token and handed to the browser as a download, or on the desktop
// saved where the user says with the Save dialog (window.ims.saveExport); and a file of this computer
// uploaded to the server's data folder for IMP USER (core/http/data-files.ts).
import { MAX_IMPORT_BYTES } from '../../../core/mml/import-limit';

/** Hands a blob to the browser as a download named `name`. */
export function saveFile(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // Revoked a moment later: some browsers start the download after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Fetches `file` from `route` (e.g. /api/export/) and downloads it; throws, naming the file and the HTTP
 * status, when it could not be fetched (written, but no download followed).
 */
export async function downloadExport(route: string, file: string, token: string): Promise<void> {
  const res = await fetch(`${route}${encodeURIComponent(file)}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!res.ok) throw new Error(`${file}: ${res.status} ${res.statusText}`);
  saveFile(file, await res.blob());
}

/**
 * Uploads a file of this computer for IMP USER; answers the FILE= the server kept it as (imports/<name>).
 * Throws, naming the file and the server's reason, when it was refused.
 */
export async function uploadImport(file: File, token: string): Promise<string> {
  if (file.size > MAX_IMPORT_BYTES) throw new Error(`${file.name}: larger than 64 MB (what IMP USER reads)`);
  const res = await fetch(`/api/import/${encodeURIComponent(file.name)}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}` },
    body: file,
  });
  const body = (await res.json().catch(() => ({}))) as { file?: string; error?: string };
  if (res.status !== 201 || body.file === undefined)
    throw new Error(`${file.name}: ${body.error ?? `${res.status} ${res.statusText}`}`);
  return body.file;
}

/** What an export fetches in a browser: the file the command's answer names (`file`), from `route`. */
export interface ExportDownload {
  route: string;
  file: RegExp;
}

/**
 * On the desktop: the Save dialog for the export `file` and a copy where the user says (main does both);
 * false when the user cancelled. Throws the reason when it could not be saved.
 */
export async function saveOnDesktop(
  file: string,
  ims: ImsDesktopApi | undefined = globalThis.window?.ims,
): Promise<boolean> {
  if (ims === undefined) throw new Error(`${file}: no desktop bridge to save it with`);
  const r = await ims.saveExport(file);
  if (!r.saved && r.error !== undefined) throw new Error(r.error);
  return r.saved;
}

/**
 * In a browser session (`token`), downloads the file an EXP command's answer names; on the desktop
 * (no token) the file is on this machine already, and the Save dialog puts a copy where the user says
 * (a browser's download would ask too). Throws as downloadExport.
 */
export async function downloadAnswered(
  text: string,
  download: ExportDownload,
  token: string | null,
  ims: ImsDesktopApi | undefined = globalThis.window?.ims,
): Promise<void> {
  const file = download.file.exec(text)?.[1];
  if (file === undefined) return;
  if (token !== null) await downloadExport(download.route, file, token);
  else await saveOnDesktop(file, ims);
}
