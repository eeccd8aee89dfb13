// Standard output and error on a terminal, written without waiting. Node writes a terminal synchronously
// on POSIX (tty.WriteStream makes its handle blocking), so a terminal nobody reads (output stopped with
// Ctrl-S, a `screen` or `script` whose own output is stalled, an SSH client that stopped reading) held
// the whole process at its next log line once the terminal's buffer was full: SIP, the console, the
// stop. A pipe's lines already queued in the stream, which the logger bounds (lines beyond BACKLOG_CHARS
// dropped and counted, the count said once they are read again); a terminal's now do too.
//
// Safe for the terminal's other users: libuv opened the terminal anew for the stream (uv_tty_init
// reopens a pty's slave by its name), a file description of the stream's own, so its non-blocking mode
// does not reach the shell sharing the terminal. Where it could not (the handle's descriptor is the
// process's own 1 or 2) the stream is left as it is, blocking.
import type { Writable } from 'node:stream';

interface TtyHandle {
  fd?: number;
  setBlocking?: (blocking: boolean) => number;
}

/**
 * Makes `stream`, the process's descriptor `fd` (1 or 2), write without waiting when it is a terminal
 * libuv reopened; true when it did (or had).
 */
export function writeWithoutWaiting(stream: NodeJS.WriteStream, fd: number): boolean {
  if (stream.isTTY !== true) return false;
  const handle = (stream as unknown as { _handle?: TtyHandle })._handle;
  if (handle?.setBlocking === undefined || typeof handle.fd !== 'number') return false;
  if (handle.fd < 0 || handle.fd === fd) return false;
  return handle.setBlocking(false) === 0;
}

let done = false;

/** The process's standard output and error, once (the logger's console, the server's own lines). */
export function processOutputWithoutWaiting(): void {
  if (done) return;
  done = true;
  writeWithoutWaiting(process.stdout, 1);
  writeWithoutWaiting(process.stderr, 2);
}

/** How often drained() looks. */
const DRAIN_POLL_MS = 10;

/**
 * Resolves once what `stream` queued is written (a terminal read, a pipe read), or after `ms`: at a stop,
 * so that its last lines reach a reader that keeps up, and a reader that does not cannot hold it.
 */
export function drained(stream: Writable, ms: number): Promise<void> {
  const until = Date.now() + ms;
  return new Promise((resolve) => {
    const look = (): void => {
      if (stream.writableLength === 0 || stream.destroyed || Date.now() >= until) resolve();
      else setTimeout(look, DRAIN_POLL_MS).unref();
    };
    look();
  });
}
