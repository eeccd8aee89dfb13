// Writing a command's whole output before the process exits. process.exit() right after write() loses
// what a pipe has not taken yet (stdout to a pipe is asynchronous in Node), and a reader that goes away
// (`| head -c 100`) makes the write fail with EPIPE: both must show in the exit code, never as a 0.

/** Resolves once `text` is handed to the OS; rejects with the stream's error (EPIPE, ENOSPC...). */
export function writeAll(out: NodeJS.WritableStream, text: string): Promise<void> {
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
