// Long work (an MML script, a large import, a clear of every registration, an export, the text of a big
// answer, a prompt resampled) lets the event loop run SIP between its steps: a turn ends here, and the
// next step waits behind whatever came meanwhile.

/** Resolves in the next turn of the event loop, after the I/O that is waiting. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
