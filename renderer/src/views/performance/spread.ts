// A chart's numbers in words: what the Performance charts and the Overview's sparklines say under or
// as their text alternative.

/** The last, smallest and largest value of a series (null where no sample had one). */
export function spread(values: readonly (number | null)[]): {
  now: number | null;
  min: number | null;
  max: number | null;
} {
  let min: number | null = null;
  let max: number | null = null;
  let now: number | null = null;
  for (const x of values) {
    if (x === null || !Number.isFinite(x)) continue;
    now = x;
    min = min === null || x < min ? x : min;
    max = max === null || x > max ? x : max;
  }
  return { now, min, max };
}
