// Files a console in a browser moves to and from the data folder, which it cannot reach otherwise (a
// headless appliance, a Docker container): downloads of what the EXP commands wrote, and uploads of the
// files IMP USER reads, and a day's log file whole (logs/<date>/ims-sip-server.log, as the Logs view's
// download names it: DSP LOG shows 1,000 records a page). Each route serves bare file names of one
// folder, nothing else, streamed (a day's log at DEBUG can be hundreds of MB).
import { besideDeviceName } from '../control/device-names';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename, join } from 'node:path';
import type { Appliance } from '../appliance';
import { MAX_IMPORT_BYTES } from '../mml/import-limit';
import { exportDir, IMPORTS_FOLDER, writeNewFile } from '../mml/commands/export-file';
import { logFileOf } from '../observe/log-file';
import { DAY_LOG_ROUTE, dayOfLogName } from './day-log-name';
import { BodyTooLarge, readBody, UnsupportedEncoding } from './request-body';
import { openFile, sendOpened } from './send-file';

/** A GET route to files of one folder: what it serves, and where each of its names is. */
export interface DownloadRoute {
  prefix: string;
  /** The folder, as the 400 for a name that is not one of its files says it. */
  folder: string;
  /** The file `name` is and its content type, or undefined when the route does not serve that name. */
  locate(name: string): { full: string; type: string } | undefined;
  /** What a file of it is, in the 404 for one not there (default "export"). */
  noun?: string;
}

const CSV = 'text/csv; charset=utf-8';

export function downloadRoutes(a: Appliance): DownloadRoute[] {
  return [
    {
      prefix: '/api/export/',
      folder: 'CDR/exports/',
      locate: (name) =>
        /^[\w.-]+\.csv$/.test(name)
          ? { full: join(a.cdr.archive.root, 'exports', name), type: CSV }
          : undefined,
    },
    {
      prefix: '/api/trace-export/',
      folder: 'trace/exports/',
      locate: (name) => {
        const kind = /^trace_[\w.@-]+\.(pcap|txt)$/.exec(name)?.[1];
        if (kind === undefined || name.includes('..')) return undefined;
        const type = kind === 'pcap' ? 'application/vnd.tcpdump.pcap' : 'text/plain; charset=utf-8';
        return { full: join(a.trace.exportDir, name), type };
      },
    },
    {
      // EXP USER (passwords in it: only to a logged-in console, as all of these) and EXP CFG.
      prefix: '/api/data-export/',
      folder: 'exports/',
      locate: (name) =>
        /^(users|config)_export_[\w-]+\.json$/.test(name)
          ? { full: join(exportDir(a.dataDir), name), type: 'application/json' }
          : undefined,
    },
    {
      // A day's log file, logs/<day>/ims-sip-server.log, under the name dayLogName gives it.
      prefix: DAY_LOG_ROUTE,
      folder: 'logs/',
      noun: 'log file',
      locate: (name) => {
        const day = dayOfLogName(name);
        return day === undefined
          ? undefined
          : { full: logFileOf(a.dataDir, day), type: 'text/plain; charset=utf-8' };
      },
    },
  ];
}

/**
 * Sends `file` as the attachment `name` (HEAD: its headers only), or answers why not through `fail`: 404
 * when it is not there, 403 or 500 naming it when the server cannot read it (send-file.ts).
 */
export async function sendDownload(
  res: ServerResponse,
  route: DownloadRoute,
  name: string,
  file: { full: string; type: string },
  head: boolean,
  fail: (status: number, error: string) => void,
  onError: (err: Error) => void,
): Promise<void> {
  const opened = await openFile(file.full, `${route.folder}${name}`);
  if ('missing' in opened) fail(404, `no ${route.noun ?? 'export'} ${name}`);
  else if ('error' in opened) fail(opened.status, opened.error);
  else {
    const headers = {
      'content-type': file.type,
      'content-disposition': `attachment; filename="${name}"`,
      'cache-control': 'no-store',
    };
    sendOpened(res, opened, headers, head, onError);
  }
}

/** The upload route: PUT /api/import/<file name>, the file as the body. */
export const IMPORT_ROUTE = '/api/import/';

/** Longest base of a kept name in UTF-8 bytes: room for _100 and the extension in a 255-byte file name. */
const MAX_BASE_BYTES = 200;

/**
 * The name an upload is kept under: its own, its letters and digits in any script kept (用户.json stays
 * so, as a WAV prompt's name does; it was upload.json), anything else but . _ - made _ (no folders,
 * nothing hidden), composed (NFC: a macOS name's é is one letter, not e and a mark); undefined unless it
 * ends in .json or .csv, the formats IMP USER reads.
 */
export function importName(given: string): { base: string; ext: string } | undefined {
  const ext = /\.(json|csv)$/i.exec(given)?.[0];
  if (ext === undefined) return undefined;
  const letters = given
    .slice(0, -ext.length)
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}_.-]/gu, '_')
    .replace(/^[._-]+/, '');
  let base = '';
  for (const ch of [...letters].slice(0, 80)) {
    if (Buffer.byteLength(base + ch) > MAX_BASE_BYTES) break;
    base += ch;
  }
  return { base: base === '' ? 'upload' : besideDeviceName(base), ext: ext.toLowerCase() };
}

export type UploadOutcome =
  { status: 201; file: string; bytes: number } | { status: 400 | 413 | 415 | 500; error: string };

/**
 * Reads an upload (at most MAX_IMPORT_BYTES) and keeps it as a new file of <data>/imports/ (…_2 when the
 * name is taken: nothing is overwritten). Answers the FILE= to give IMP USER, relative to the data folder.
 * A refused upload leaves no file.
 */
export async function receiveImport(
  req: IncomingMessage,
  dataDir: string,
  given: string,
): Promise<UploadOutcome> {
  const name = importName(given);
  if (name === undefined)
    return { status: 400, error: `${given}: expected a .json or .csv file (what IMP USER reads)` };
  let body: Buffer;
  try {
    body = await readBody(req, MAX_IMPORT_BYTES);
  } catch (err) {
    if (err instanceof BodyTooLarge)
      return { status: 413, error: `larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB (what IMP USER reads)` };
    if (err instanceof UnsupportedEncoding) return { status: 415, error: err.message };
    return { status: 400, error: `upload: ${(err as Error).message}` };
  }
  try {
    const full = writeNewFile(join(dataDir, IMPORTS_FOLDER), name.base, body, 0o600, name.ext);
    return { status: 201, file: `${IMPORTS_FOLDER}/${basename(full)}`, bytes: body.length };
  } catch (err) {
    return { status: 500, error: (err as Error).message };
  }
}
