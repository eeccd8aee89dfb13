// A file sent as an answer (a download from the data folder, one of the console's own files), opened and
// looked at before the answer starts. A read stream piped without an 'error' listener ended the process,
// SIP and all, on a file the server cannot read: a root-owned 0600 export (EACCES), a folder named x.csv
// (EISDIR). Now such a file gets an answer naming it, and one that fails mid-way ends only its answer.
import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';

/** A file open for sending, or why it cannot be sent: not there, or there but not readable. */
export type OpenedFile =
  | { handle: FileHandle; size: number }
  | { missing: true }
  | { status: 403 | 500; error: string; folder?: true };

/**
 * Opens `full` for sending; `shown` names it in an answer (CDR/exports/x.csv, not the host's path).
 * Missing (ENOENT, ENOTDIR) is the caller's to answer (a 404 of its own, or another file).
 */
export async function openFile(full: string, shown: string): Promise<OpenedFile> {
  let handle: FileHandle;
  try {
    handle = await fsp.open(full, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') return { missing: true };
    if (code === 'EACCES' || code === 'EPERM')
      return { status: 403, error: `${shown}: the server is not allowed to read it (${code})` };
    return { status: 500, error: `${shown}: cannot be read (${code})` };
  }
  try {
    // A folder opens as a file does on Linux; its read fails (EISDIR) only once the answer has begun.
    const stat = await handle.stat();
    if (stat.isFile()) return { handle, size: stat.size };
    await handle.close();
    if (stat.isDirectory()) return { status: 500, error: `${shown}: a folder, not a file`, folder: true };
    return { status: 500, error: `${shown}: not a regular file` };
  } catch (err) {
    await handle.close().catch(() => undefined);
    return {
      status: 500,
      error: `${shown}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
    };
  }
}

/**
 * Sends an open file as a 200 with `headers` and its length; for HEAD, the headers alone (RFC 9110
 * §9.3.2). A read that fails mid-way (EIO) ends this answer (the client sees it cut short, its length
 * unmet) and is told to `onError`; the server goes on. The file is streamed, and only as long as it was
 * when opened: one written meanwhile (today's log) sends the length its Content-Length said (RFC 9110
 * §8.6), not the lines that came after, which broke the answer.
 */
export function sendOpened(
  res: ServerResponse,
  file: { handle: FileHandle; size: number },
  headers: Record<string, string>,
  head: boolean,
  onError: (err: Error) => void,
): void {
  res.writeHead(200, { ...headers, 'content-length': String(file.size) });
  if (head || file.size === 0) {
    res.end();
    void file.handle.close().catch(() => undefined);
    return;
  }
  pipeline(file.handle.createReadStream({ start: 0, end: file.size - 1 }), res, (err) => {
    // A client that goes away before the end (a cancelled download) is no fault of the file.
    if (err && (err as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') onError(err);
  });
}
