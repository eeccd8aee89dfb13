// A request whose connection the server closed without an answer (a server out of file descriptors,
// EMFILE, accepts and closes at once; so does a listener that is not IMS Lab's): fetch (Node's undici)
// may then leave its promise pending with nothing left to wake it. The event loop empties and node exits
// 0 with nothing said, and a script trusting `mml`'s exit code went on as if its commands had run. The
// loop emptying while a request waits ('beforeExit') is that case: the request fails as a closed
// connection does when fetch says so ("other side closed").

/** What the client says of such a request. */
export const CLOSED_UNANSWERED = 'the server closed the connection without an answer';

/** `request`'s outcome, or a rejection like fetch's own (cause: a closed connection) when the loop empties meanwhile. */
export async function settledOrClosed<T>(request: Promise<T>): Promise<T> {
  let onEmpty = (): void => undefined;
  const closed = new Promise<never>((_resolve, reject) => {
    onEmpty = () => reject(new TypeError('fetch failed', { cause: { message: CLOSED_UNANSWERED } }));
    process.once('beforeExit', onEmpty);
  });
  try {
    return await Promise.race([request, closed]);
  } finally {
    process.off('beforeExit', onEmpty);
  }
}
