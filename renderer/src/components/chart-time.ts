// The x axis and the legend's time of a chart (Chart.tsx), in the bench PC's local time and 24-hour
// digits, the same in every language: uPlot's own labels are English ("4:30pm", "Dec 4"), which showed in
// 中文 too, and a 12-hour clock is not what a log, a CDR or a SIP trace beside the chart shows.

const two = (n: number): string => String(n).padStart(2, '0');

/** A tick: HH:MM (HH:MM:SS when it falls inside a minute), or MM-DD at midnight. */
export function axisTime(seconds: number): string {
  const d = new Date(seconds * 1000);
  const [h, m, s] = [d.getHours(), d.getMinutes(), d.getSeconds()];
  if (h === 0 && m === 0 && s === 0) return `${two(d.getMonth() + 1)}-${two(d.getDate())}`;
  return s === 0 ? `${two(h)}:${two(m)}` : `${two(h)}:${two(m)}:${two(s)}`;
}

/** The legend's time of the sample under the cursor: YYYY-MM-DD HH:MM:SS. */
export function legendTime(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '--';
  const d = new Date(seconds * 1000);
  const date = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
  return `${date} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}
