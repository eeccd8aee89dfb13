// The y axis of a chart (Chart.tsx): as wide as its longest tick label, so that "15,000" is not cut to
// "5,000" as with a fixed width.

/** Pixels for the y axis: its longest tick label at about 7.5 px a character (12 px font), ticks and gap. */
export function yAxisWidth(values: readonly string[] | null | undefined): number {
  const longest = Math.max(0, ...(values ?? []).map((v) => v.length));
  return Math.max(40, Math.ceil(longest * 7.5) + 20);
}
