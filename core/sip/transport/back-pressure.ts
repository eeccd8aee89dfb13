// A peer that sends and never reads: what IMS Lab answers it (RFC 5626 §4.4.1 pongs to its keep-alive
// pings, responses to its requests) waits in the connection's write queue, in IMS Lab's memory. One TCP
// connection sending double CRLFs without reading the pongs grew the heap by a gigabyte in 20 s and then
// ended the process (out of memory). Past PAUSE_READING_AT bytes unsent, nothing more is read from the
// peer until the queue drains: its own sends then wait in the kernel (TCP flow control), and what it
// makes us write stops growing. A queue past UNSENT_LIMIT (our own requests to a peer that reads nothing)
// closes the connection: the transaction hears of it as of any transport error (RFC 3261 §18.4).
import type { Socket } from 'node:net';

export const PAUSE_READING_AT = 1024 * 1024;
export const UNSENT_LIMIT = 16 * 1024 * 1024;

/** Stops reading from `socket` while its unsent bytes are past PAUSE_READING_AT; `pause`/`resume`
 * default to the socket's own (a WebSocket pauses its reader instead). */
export function readNoMoreThanSent(
  socket: Socket,
  pause: () => void = () => socket.pause(),
  resume: () => void = () => socket.resume(),
): void {
  if (socket.writableLength <= PAUSE_READING_AT || socket.destroyed) return;
  const s = socket as Socket & { imsReadingPaused?: boolean };
  if (s.imsReadingPaused === true) return;
  s.imsReadingPaused = true;
  pause();
  socket.once('drain', () => {
    s.imsReadingPaused = false;
    if (!socket.destroyed) resume();
  });
}

/** Whether a connection's unsent bytes are past UNSENT_LIMIT: a peer that reads nothing. */
export function overUnsentLimit(socket: Socket): boolean {
  return socket.writableLength > UNSENT_LIMIT;
}
