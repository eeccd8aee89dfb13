// The instants at which the process's local clock (its zone, TZ) read a wall time: for times written
// without their UTC offset, as the original wrote them (its CDR day files, the log's lines).

/**
 * Every instant at which the local clock read the wall time `wall` (the reading's fields taken as UTC:
 * Date.UTC(year, month - 1, day, hour, minute, second, ms)), earliest first: two in the hour a fall-back
 * repeats, one on most days, none in the hour a spring-forward skips.
 */
export function wallTimeInstants(wall: number): number[] {
  const offsetMs = (t: number): number => -new Date(t).getTimezoneOffset() * 60_000;
  // The offsets in force a day either side cover any one change of the clock near that reading.
  const before = offsetMs(wall - 86_400_000);
  const later = offsetMs(wall + 86_400_000);
  if (before === later) return [wall - before];
  return [wall - before, wall - later]
    .filter((t, i) => offsetMs(t) === (i === 0 ? before : later))
    .sort((a, b) => a - b);
}
