// Live dialog updates for the console, coalesced per dialog: however many messages a dialog gets, its
// summary goes out at most once per interval (the latest one, built then), so a load of messages is a
// handful of events rather than one per message, and a message costs the trace one map entry. Only
// what changed in the interval is held: one entry per dialog that had a message, dropped once sent.
import type { TraceDialogSummary } from './trace-dialog';

/** A dialog's summary now; undefined once the trace forgot the dialog (nothing is sent). */
type Summary = () => TraceDialogSummary | undefined;

/** Least time between two updates of one dialog (a busy call is one event per interval). */
export const TRACE_FEED_MS = 250;

export class TraceFeed {
  private pending = new Map<string, Summary>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly intervalMs: number,
    /** Sends one dialog's latest summary (the hub's emit). */
    private readonly send: (dialog: TraceDialogSummary) => void,
  ) {}

  /** A dialog changed: its summary goes out with the next interval (once, however many changes). */
  push(callId: string, summary: Summary): void {
    this.pending.set(callId, summary);
    if (this.timer === undefined) {
      this.timer = setTimeout(this.flush, this.intervalMs);
      this.timer.unref?.();
    }
  }

  /** Sends what is held now. */
  readonly flush = (): void => {
    this.timer = undefined;
    const held = this.pending;
    this.pending = new Map();
    for (const summary of held.values()) {
      const dialog = summary();
      if (dialog !== undefined) this.send(dialog);
    }
  };

  /** Drops what is held and the timer (the appliance stops). */
  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }
}
