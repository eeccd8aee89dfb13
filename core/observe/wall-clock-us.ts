// The SIP trace's clock: microseconds since the epoch, monotonic between two messages (a ladder's deltas
// come from it) yet on the wall clock the CDR and the log use. performance.timeOrigin + performance.now()
// alone drifted from it for good after a wall-clock step or a suspend (the monotonic clock stops while a
// laptop sleeps): an hour after a step the trace showed a call an hour away from its CDR row. So the
// clock re-anchors to the wall clock when the wall clock is ahead by more than DRIFT_MS, checked once a
// second (one Date.now() a second on the message path, not one a message). It never goes back: a wall
// clock stepped back (NTP correcting a clock that ran ahead) made a call's ladder run backwards (a BYE
// -3593.98 s after the INVITE) and its pcap carry negative deltas; after such a step the trace stays
// ahead of the wall clock by the step, the lesser harm, until the process restarts.
const CHECK_MS = 1000;
/** More than NTP's slew moves the two apart in a second; less than a step or a night's sleep. */
const DRIFT_MS = 100;

// The first anchor is performance.timeOrigin (the wall clock when the process started, to the
// microsecond) rather than Date.now(), whole milliseconds: anchored on the floor of a millisecond, every
// stamp ran up to 1 ms behind the wall clock, and a received message was stamped before tshark saw it
// on the wire (0.1-0.4 ms) and could sort before the request it answers in a merged capture.
export function wallClockUs(
  wall: () => number = Date.now,
  mono: () => number = () => performance.now(),
  /** The wall clock at mono's 0, to the microsecond (default: performance.timeOrigin with the defaults). */
  origin: number | undefined = wall === Date.now ? performance.timeOrigin : undefined,
): () => number {
  let monoAt = mono();
  const now = wall();
  // An origin the wall clock has moved away from since (a step) is not taken.
  let wallAt = origin !== undefined && Math.abs(origin + monoAt - now) <= DRIFT_MS ? origin + monoAt : now;
  let nextCheck = monoAt + CHECK_MS;
  return () => {
    const m = mono();
    if (m >= nextCheck) {
      nextCheck = m + CHECK_MS;
      const w = wall();
      if (w - (wallAt + (m - monoAt)) > DRIFT_MS) {
        wallAt = w;
        monoAt = m;
      }
    }
    return Math.round((wallAt + (m - monoAt)) * 1000);
  };
}
