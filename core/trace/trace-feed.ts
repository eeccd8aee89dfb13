// Live dialog updates for the console, coalesced per dialog: however many messages a dialog gets, its
// summary goes out at most once per interval (the latest one), so a load of messages is a handful of
// events rather than one per message. Only what changed in the interval is held: one summary per
// dialog that had a message, dropped as soon as it is sent.
import type { TraceDialogSummary } from './trace-dialog';

/** Least time between two updates of one dialog (a busy call is one event per interval). */
export const TRACE_FEED_MS = 250;

export class TraceFeed {
  private pending = new Map<string, TraceDialogSummary>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly intervalMs: number,
    /** Sends one dialog's latest summary (the hub's emit). */
    private readonly send: (dialog: TraceDialogSummary) => void,
  ) {}

  /** A dialog changed: its summary goes out with the next interval, replacing any earlier one held. */
  push(dialog: TraceDialogSummary): void {
    this.pending.set(dialog.callId, dialog);
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
    for (const d of held.values()) this.send(d);
  };

  /** Drops what is held and the timer (the appliance stops). */
  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }
}
