// Work that runs a step at a time with the event loop let in between (an export, a clear, an import of
// many rows) one at a time: another such work on the same rows waits for its turn rather than seeing,
// or leaving, a state that is neither before nor after it (an export of half a clear, rows added after
// a clear said it deleted them). Waiting is a promise, never a held loop; turns come in order of asking.

export class OneAtATime {
  /** Settles when the last work asked for has ended (its failure is its caller's, not the next one's). */
  #last: Promise<unknown> = Promise.resolve();

  /** Runs `work` once every work asked for before it has ended; its result or its failure. */
  run<T>(work: () => T | Promise<T>): Promise<T> {
    const turn = this.#last.then(work);
    this.#last = turn.catch(() => undefined);
    return turn;
  }
}
