// When a campaign places its next call at RATE calls a second: on a grid of 1000/RATE ms from the last
// launch's slot, not from when the timer happened to fire. A timer fires a little late, more on a busy
// machine; slots counted from the late firing added that lateness to every gap (RATE=20 gave 18.7-19.1
// calls a second). A call held back longer than one slot (CONCURRENCY full, no RTP pair free) starts a
// new grid from now: the calls held back go one a slot, never in a burst to catch up.

/** The slot the next call goes in (ms on the monotonic clock), after one placed in `lastSlot`. */
export function nextSlot(lastSlot: number, intervalMs: number, now: number): number {
  const due = lastSlot + intervalMs;
  return now - due < intervalMs ? due : now;
}
