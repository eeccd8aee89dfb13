// Calls per second from the call topic: 'started' events counted in one-second buckets (a burst of
// INVITEs with retransmissions or digest challenges still counts each call once).

/** Calls started, by second (seconds since the epoch). */
export type StartBuckets = ReadonlyMap<number, number>;

/** Adds start times (ms) and drops buckets older than `keepSeconds`. */
export function addStarts(
  buckets: StartBuckets,
  at: number[],
  now: number,
  keepSeconds: number,
): StartBuckets {
  const next = new Map(buckets);
  for (const t of at) {
    const s = Math.floor(t / 1000);
    next.set(s, (next.get(s) ?? 0) + 1);
  }
  const oldest = Math.floor(now / 1000) - keepSeconds;
  for (const s of next.keys()) if (s < oldest) next.delete(s);
  return next;
}

/** Average over the last `window` whole seconds. */
export function callsPerSecond(buckets: StartBuckets, now: number, window = 5): number {
  const current = Math.floor(now / 1000);
  let n = 0;
  for (let s = current - window; s < current; s++) n += buckets.get(s) ?? 0;
  return n / window;
}
