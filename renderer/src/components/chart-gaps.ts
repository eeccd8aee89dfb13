// A hole in a time series (a server stopped or hung for 45 s, then going on) is drawn as a hole: an
// empty point goes between two samples much further apart than the series' usual step, so the line
// breaks there instead of joining them (a 45-second ramp in the event-loop delay, a diagonal across
// CPU, as if the values had moved steadily while nothing was measured).

/** The usual step between samples: the median of the differences (0 with fewer than two). */
function usualStep(times: readonly number[]): number {
  const steps: number[] = [];
  for (let i = 1; i < times.length; i++) steps.push(times[i]! - times[i - 1]!);
  if (steps.length === 0) return 0;
  steps.sort((a, b) => a - b);
  return steps[Math.floor(steps.length / 2)]!;
}

/** How many usual steps apart two samples are a hole. */
const HOLE_STEPS = 3;

/**
 * The times and each series' values with an empty point (null) after every sample followed by a hole;
 * the same arrays when there is none. Times must go forward for uPlot (it drew nothing of a history a
 * wall-clock step had put out of order): only the samples after the last step back are drawn.
 */
export function withGaps(
  allTimes: readonly number[],
  allValues: readonly (readonly (number | null)[])[],
): { times: number[]; values: (number | null)[][] } {
  let from = 0;
  for (let i = 1; i < allTimes.length; i++) if (!(allTimes[i]! > allTimes[i - 1]!)) from = i;
  const times = from === 0 ? allTimes : allTimes.slice(from);
  const values = from === 0 ? allValues : allValues.map((v) => v.slice(from));
  const step = usualStep(times);
  const holes: number[] = [];
  if (step > 0)
    for (let i = 1; i < times.length; i++) if (times[i]! - times[i - 1]! > step * HOLE_STEPS) holes.push(i);
  if (holes.length === 0) return { times: [...times], values: values.map((v) => [...v]) };
  const outTimes: number[] = [];
  const outValues: (number | null)[][] = values.map(() => []);
  let h = 0;
  for (let i = 0; i < times.length; i++) {
    if (holes[h] === i) {
      outTimes.push(times[i - 1]! + step);
      for (const v of outValues) v.push(null);
      h++;
    }
    outTimes.push(times[i]!);
    values.forEach((v, k) => outValues[k]!.push(v[i] ?? null));
  }
  return { times: outTimes, values: outValues };
}
