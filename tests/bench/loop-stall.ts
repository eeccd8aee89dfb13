// How long some work held the event loop: the longest gap between the ticks of a 1 ms timer while it ran
// (a tick is late by what held the loop), beside the work's own time. For the benchmarks of long work that
// should leave the loop free between its steps (CDR reads, the trace export, imports).

/** The work's time and the loop's longest stall while it ran. */
export async function stallDuring<T>(
  work: () => Promise<T>,
): Promise<{ result: T; ms: number; stallMs: number }> {
  let last = performance.now();
  let worst = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 1);
  await new Promise((r) => setTimeout(r, 20));
  worst = 0;
  last = performance.now();
  const start = performance.now();
  const result = await work();
  const ms = performance.now() - start;
  // The stall the work caused shows at the next tick.
  await new Promise((r) => setTimeout(r, 5));
  clearInterval(tick);
  return { result, ms, stallMs: worst };
}
