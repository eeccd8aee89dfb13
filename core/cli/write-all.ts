// Writing a command's whole output before the process exits. process.exit() right after write() loses
// what a pipe has not taken yet (stdout to a pipe is asynchronous in Node), and a reader that goes away
// (`| head -c 100`) makes the write fail with EPIPE: both must show in the exit code, never as a 0.

/** The streams given an 'error' listener for good. */
const guarded = new WeakSet<NodeJS.WritableStream>();

/**
 * Resolves once `text` is handed to the OS; rejects with the stream's error (EPIPE, ENOSPC...). The
 * stream keeps a listener for its 'error' event, which Node emits on the tick after the write's callback:
 * a listener removed in the callback left it unheard, and the process died of it with a stack trace and
 * exit 1 (`| head -1`, `> /dev/full`), never the exit 3 it should have.
 */
export function writeAll(out: NodeJS.WritableStream, text: string): Promise<void> {
  if (!guarded.has(out)) {
    guarded.add(out);
    out.on('error', () => undefined); // the write's callback has it
  }
  return new Promise((resolve, reject) => {
    let settled = false;
    const onError = (err: Error): void => {
      if (settled) return;
      settled = true;
      reject(err);
    };
    out.once('error', onError);
    out.write(text, (err) => {
      out.removeListener('error', onError);
      if (settled) return;
      settled = true;
      if (err) reject(err);
      else resolve();
    });
  });
}

/** Exit code of a command whose output could not be written (as `sh` reports a write error). */
export const OUTPUT_ERROR_EXIT = 3;
