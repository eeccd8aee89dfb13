// A wall clock read once and advanced on the steady clock: the times of one call or one campaign (its
// start is the time of day the wall clock said then; every later time is the start plus what really
// elapsed). Read at each event on the wall clock, a clock stepped back an hour mid-call made the dialer's
// talk time -3593.98 s and a campaign end an hour before it started. The CDR does the same per call
// (core/sip/proxy/call-tracker.ts: timeIn).

/** Milliseconds since the epoch, whole (as Date.now gives them), never going back. */
export function anchoredClock(
  wall: () => number = Date.now,
  steady: () => number = () => performance.now(),
): () => number {
  const wallAt = wall();
  const steadyAt = steady();
  return () => wallAt + Math.round(steady() - steadyAt);
}
