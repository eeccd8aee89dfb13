// Time-series charts with uPlot: canvas-drawn, about 50 KB, fast enough to redraw every sample for
// ten minutes of data with no frame drops. `spark` draws a bare line for the Overview tiles.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useShell, useT } from '../store/shell';
import { yAxisWidth } from './chart-axis';
import { withGaps } from './chart-gaps';
import { axisTime, legendTime } from './local-time';
import { linePattern } from './chart-lines';
import { valueWithUnit, type ValueUnit } from './value-unit';

/** Steps between the time axis' ticks, in seconds (the charts hold 10 minutes). */
const X_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];

/**
 * No sample under the cursor: the legend shows the newest (without a hook call), as each one comes. Once
 * set, the legend's own index is no longer empty: the cursor's says whether one is hovered (it stood at
 * the sample of the moment the view opened while the chart moved on).
 */
function showNewest(u: uPlot): void {
  const n = u.data[0]?.length ?? 0;
  if (u.cursor.idx == null && n > 0 && u.legend.idx !== n - 1) u.setLegend({ idx: n - 1 }, false);
}

/** A line's colour, by name: the theme gives its value (--chart-<name> in styles.css). */
export type ChartColor = 'teal' | 'blue' | 'amber' | 'green' | 'red' | 'violet';

export interface ChartSeries {
  label: string;
  color: ChartColor;
  values: (number | null)[];
}

/**
 * The y range: from 0 (or below it) to a little above the largest value. A sparkline's 0 is lifted off
 * its bottom edge, where uPlot's clip cut the line in half: an all-zero sparkline drew no visible line.
 */
function yRange(min: number, max: number, spark: boolean): [number, number] {
  const lo = Math.min(0, min);
  const hi = Math.max(1, max * 1.1);
  return [spark ? lo - (hi - lo) * 0.08 : lo, hi];
}

export function Chart({
  times,
  series,
  height = 160,
  spark = false,
  label,
  describedBy,
  unit,
}: {
  /** Seconds since the epoch. */
  times: number[];
  series: ChartSeries[];
  height?: number;
  spark?: boolean;
  label: string;
  /** The id of the chart's description in words (its values), for screen readers. */
  describedBy?: string;
  /** How its legend writes a value (as the view's "Now" does); uPlot's own gave 203.223 with no unit. */
  unit?: ValueUnit;
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  // Its axis and grid colours are read from the theme when it is built: a new theme builds it again.
  const theme = useShell((s) => s.theme);
  // The legend's time column is named in the page's language (uPlot's own is "Time").
  const timeLabel = useT()('chart.time');
  const shape =
    `${spark}:${theme}:${timeLabel}:${unit?.digits}:${unit?.unit}:` +
    series.map((s) => s.label + s.color).join('|');

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    // The theme whose colours it is drawn in (the page's, already applied: App sets it in a layout effect).
    el.dataset.drawnTheme = document.documentElement.dataset.theme ?? '';
    const axisColor = getComputedStyle(el).getPropertyValue('--text-dim').trim() || '#888';
    const gridColor = getComputedStyle(el).getPropertyValue('--border').trim() || '#333';
    const colorOf = (name: ChartColor) =>
      getComputedStyle(el).getPropertyValue(`--chart-${name}`).trim() || '#888888';
    const opts: uPlot.Options = {
      width: Math.max(el.clientWidth, 50),
      height,
      // Each line's marker is drawn in the line's pattern (styles.css makes it a short line).
      legend: { show: !spark, markers: { dash: (_u, i) => linePattern(i - 1).legend } },
      cursor: { show: !spark },
      // Away from the cursor the legend gives the newest sample, not uPlot's "--" (a chart read at a
      // glance had no figures until hovered); under the cursor, the sample there.
      hooks: spark ? {} : { setLegend: [showNewest] },
      scales: {
        x: { time: true },
        y: { range: (_u, min, max) => yRange(min, max, spark) },
      },
      axes: spark
        ? [{ show: false }, { show: false }]
        : [
            {
              stroke: axisColor,
              grid: { stroke: gridColor, width: 1 },
              ticks: { stroke: gridColor },
              // 24-hour digits in every language (uPlot's own: "4:30pm", "Dec 4").
              values: (_u, splits) => splits.map(axisTime),
              // Room for "HH:MM:SS" (about 60 px) between ticks: uPlot's 50 ran them together in the
              // first minute, while seconds are the ticks ("05:05:0505:05:10").
              space: 80,
              // Whole seconds and up: the labels say seconds, so half-second ticks read the same twice.
              incrs: X_STEPS,
            },
            {
              stroke: axisColor,
              grid: { stroke: gridColor, width: 1 },
              ticks: { stroke: gridColor },
              // Wide enough for the longest tick label (a fixed 50 px cut "15,000" to "5,000").
              size: (_u, values) => yAxisWidth(values),
            },
          ],
      series: [
        { label: timeLabel, value: (_u, v) => legendTime(v) },
        ...series.map((s, i) => ({
          label: s.label,
          stroke: colorOf(s.color),
          // Told apart by more than colour: the second line dashed, the third dotted (WCAG 1.4.1).
          dash: linePattern(i).dash,
          width: spark ? 1.5 : linePattern(i).dash === undefined ? 1.5 : 2,
          fill: spark ? `${colorOf(s.color)}22` : undefined,
          points: { show: false },
          ...(unit === undefined ? {} : { value: (_u: uPlot, v: number | null) => valueWithUnit(v, unit) }),
        })),
      ],
    };
    const u = new uPlot(opts, [[], ...series.map(() => [])] as uPlot.AlignedData, el);
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: Math.max(el.clientWidth, 50), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
    // The chart is rebuilt only when its shape changes; data goes through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shape, height]);

  useEffect(() => {
    const u = plot.current;
    if (u === null) return;
    // A hole in the samples (the server stopped, then went on) stays a hole, not a line across it.
    const drawn = withGaps(
      times,
      series.map((s) => s.values),
    );
    u.setData([drawn.times, ...drawn.values] as uPlot.AlignedData);
    if (!spark) showNewest(u);
  });

  return (
    <div
      ref={box}
      className={spark ? 'spark' : 'chart'}
      role="img"
      aria-label={label}
      aria-describedby={describedBy}
    />
  );
}
