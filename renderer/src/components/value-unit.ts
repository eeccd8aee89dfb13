// A measured value as the console shows it: one rounding and its unit, the same in a chart's "Now", its
// legend (uPlot's raw 203.223 beside "Now: 203 MB") and its summary in words.

/** How a chart's values are written: decimals and unit ('%', 'MB', 'KB/s', 'ms'). */
export interface ValueUnit {
  digits: number;
  unit: string;
}

export function valueWithUnit(v: number | null | undefined, { digits, unit }: ValueUnit): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : `${v.toFixed(digits)} ${unit}`;
}
