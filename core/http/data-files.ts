// Files a console in a browser moves to and from the data folder, which it cannot reach otherwise (a
// headless appliance, a Docker container): downloads of what the EXP commands wrote, and uploads of the
// files IMP USER reads. Each route serves bare file names of one folder, nothing else.
import { createReadStream, existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename, join } from 'node:path';
import type { Appliance } from '../appliance';
import { MAX_IMPORT_BYTES } from '../mml/import-limit';
import { exportDir, IMPORTS_FOLDER, writeNewExport } from '../mml/commands/export-file';

/** A GET route to files of one folder: what it serves, and where each of its names is. */
export interface DownloadRoute {
  prefix: string;
  /** The folder, as the 400 for a name that is not one of its files says it. */
  folder: string;
  /** The file `name` is and its content type, or undefined when the route does not serve that name. */
  locate(name: string): { full: string; type: string } | undefined;
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
  ];
}

/** Sends `full` as the attachment `name`: 404 when it is not there. */
export function sendDownload(
  res: ServerResponse,
  name: string,
  file: { full: string; type: string },
  notFound: () => void,
): void {
  if (!existsSync(file.full)) {
    notFound();
    return;
  }
  res.writeHead(200, {
    'content-type': file.type,
    'content-disposition': `attachment; filename="${name}"`,
    'cache-control': 'no-store',
  });
  createReadStream(file.full).pipe(res);
}

/** The upload route: PUT /api/import/<file name>, the file as the body. */
export const IMPORT_ROUTE = '/api/import/';

/**
 * The name an upload is kept under: its own, with anything but letters, digits, . _ - made _ (no
 * folders, nothing hidden); undefined unless it ends in .json or .csv, the formats IMP USER reads.
 */
export function importName(given: string): { base: string; ext: string } | undefined {
  const ext = /\.(json|csv)$/i.exec(given)?.[0];
  if (ext === undefined) return undefined;
  const base = given
    .slice(0, -ext.length)
    .replace(/[^\w.-]/g, '_')
    .replace(/^[._-]+/, '')
    .slice(0, 80);
  return { base: base === '' ? 'upload' : base, ext: ext.toLowerCase() };
}

/**
 * What a refused body (a JSON request over its limit, an upload over 64 MB) may still bring before the
 * 413 goes out: the server reads (and drops) the rest first, so that the client reads the answer instead
 * of a reset (RFC 9112 §9.6: closing while the client still sends makes its TCP stack drop the
 * response). A larger one is cut at once.
 */
export const LINGER_BYTES = 16 * 1024 * 1024;

export type UploadOutcome =
  { status: 201; file: string; bytes: number } | { status: 400 | 413 | 500; error: string };

/**
 * Reads an upload (at most MAX_IMPORT_BYTES) and keeps it as a new file of <data>/imports/ (…_2 when the
 * name is taken: nothing is overwritten). Answers the FILE= to give IMP USER, relative to the data folder.
 * A refused upload leaves no file.
 */
export function receiveImport(req: IncomingMessage, dataDir: string, given: string): Promise<UploadOutcome> {
  const name = importName(given);
  if (name === undefined)
    return Promise.resolve({
      status: 400,
      error: `${given}: expected a .json or .csv file (what IMP USER reads)`,
    });
  const tooLarge = {
    status: 413 as const,
    error: `larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB (what IMP USER reads)`,
  };
  const declared = Number(req.headers['content-length']);
  // Beyond what is read and dropped before the 413 (RFC 9112 §9.6: answered while the client still
  // sends, its TCP stack would drop the answer): cut at once.
  if (declared > MAX_IMPORT_BYTES + LINGER_BYTES) {
    req.destroy();
    return Promise.resolve(tooLarge);
  }
  return new Promise((done) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_IMPORT_BYTES) chunks.push(c);
      else chunks.length = 0; // keep nothing of it; answered 413 at its end
      if (size > MAX_IMPORT_BYTES + LINGER_BYTES) {
        req.destroy();
        done(tooLarge);
      }
    });
    req.on('error', (err) => done({ status: 400, error: `upload: ${err.message}` }));
    req.on('end', () => {
      if (size > MAX_IMPORT_BYTES) return done(tooLarge);
      try {
        const full = writeNewExport(
          join(dataDir, IMPORTS_FOLDER),
          name.base,
          Buffer.concat(chunks),
          0o600,
          name.ext,
        );
        done({ status: 201, file: `${IMPORTS_FOLDER}/${basename(full)}`, bytes: size });
      } catch (err) {
        done({ status: 500, error: (err as Error).message });
      }
    });
  });
}
