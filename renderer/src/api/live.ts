// Snapshot + events without gaps or doubles (contract.ts, ControlEventBatch): a live view subscribes,
// loads its snapshot, keeps the events that arrive meanwhile, and applies only those numbered after
// the snapshot's seq. A gap in the numbers (events skipped under load) loads the snapshot again.
// Applying is coalesced per animation frame, so a burst of events is one render.
import type { Topic, TopicEvents } from '../../../core/control/contract';
import type { ControlClient } from './client';

export interface LiveSource<T extends Topic, S> {
  topic: T;
  /** Loads the snapshot; its seq is the last event it includes. */
  load(): Promise<S & { seq: number }>;
  /** A fresh snapshot replaces the view's data. */
  reset(snapshot: S): void;
  /** Events after the snapshot, in order. */
  apply(events: TopicEvents[T][]): void;
  /** The load failed (shown as an error state). */
  failed?(err: Error): void;
}

const frame: (fn: () => void) => void =
  typeof requestAnimationFrame === 'function'
    ? (fn) => requestAnimationFrame(fn)
    : (fn) => setTimeout(fn, 16);

export function followLive<T extends Topic, S>(client: ControlClient, src: LiveSource<T, S>): () => void {
  let seq = -1; // -1: no snapshot yet, buffer everything
  let loading = 0;
  let buffer: { data: TopicEvents[T][]; first: number }[] = [];
  let queued: TopicEvents[T][] = [];
  let scheduled = false;
  let stopped = false;

  const flush = (): void => {
    scheduled = false;
    if (stopped || queued.length === 0) return;
    const q = queued;
    queued = [];
    src.apply(q);
  };
  const take = (data: TopicEvents[T][], first: number): boolean => {
    const last = first + data.length - 1;
    if (last <= seq) return true; // already in the snapshot
    if (first > seq + 1) return false; // a gap
    queued.push(...data.slice(seq + 1 - first));
    seq = last;
    if (!scheduled) {
      scheduled = true;
      frame(flush);
    }
    return true;
  };
  const resync = (): void => {
    const mine = ++loading;
    seq = -1;
    buffer = [];
    queued = [];
    src.load().then(
      (snap) => {
        if (stopped || mine !== loading) return;
        seq = snap.seq;
        src.reset(snap);
        const held = buffer;
        buffer = [];
        for (const b of held) if (!take(b.data, b.first)) return resync();
      },
      (err: Error) => {
        if (!stopped && mine === loading) src.failed?.(err);
      },
    );
  };
  const off = client.follow(src.topic, {
    events(data, first) {
      if (seq < 0) buffer.push({ data, first });
      else if (!take(data, first)) resync();
    },
    resync,
  });
  return () => {
    stopped = true;
    off();
  };
}
