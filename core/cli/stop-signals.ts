// SIGTERM (a CI job's time limit, `kill`) and SIGINT (Ctrl-C) while the mml client runs a script: it
// died of them silently, lines having run on the server and the answer already received maybe not
// written. Now the first one aborts the request in flight and says at once, on standard error, which
// lines were answered, which were in flight and which were not sent (`onStop`); the client then finishes
// writing what it has, logs its session out and exits 128 + the signal's number, as the shell reports a
// process killed by it. A second one ends the process at once.
import { constants } from 'node:os';

export type StopSignal = 'SIGTERM' | 'SIGINT';

const SIGNALS: readonly StopSignal[] = ['SIGTERM', 'SIGINT'];

export class StopSignals {
  private readonly controller = new AbortController();
  private readonly listeners = new Map<StopSignal, () => void>();
  /** The signal that stopped the run, once one did. */
  received: StopSignal | undefined;
  /** Resolves when one came. */
  readonly stopped: Promise<StopSignal>;

  constructor(
    onStop: (signal: StopSignal) => void,
    private readonly target: NodeJS.EventEmitter = process,
  ) {
    let resolve!: (signal: StopSignal) => void;
    this.stopped = new Promise((r) => (resolve = r));
    for (const signal of SIGNALS) {
      const listener = (): void => {
        if (this.received !== undefined) process.exit(exitCodeOf(signal));
        this.received = signal;
        onStop(signal);
        this.controller.abort();
        resolve(signal);
      };
      this.listeners.set(signal, listener);
      target.on(signal, listener);
    }
  }

  /** Aborted when a signal came (for the request in flight). */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Back to the default: the signals end the process. */
  dispose(): void {
    for (const [signal, listener] of this.listeners) this.target.removeListener(signal, listener);
    this.listeners.clear();
  }
}

/** 128 + the signal's number: 143 for SIGTERM, 130 for SIGINT. */
export function exitCodeOf(signal: StopSignal): number {
  return 128 + constants.signals[signal];
}
