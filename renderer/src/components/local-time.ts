// Times as the console shows them: the bench PC's local time in 24-hour digits, the same in every
// language, as a log, a CDR or a SIP trace shows them. The browser's own formats follow its locale, not
// the console's language ("6:10:35 PM" in 中文 too), and uPlot's chart labels are English ("4:30pm").

export const two = (n: number): string => String(n).padStart(2, '0');

/** YYYY-MM-DD, local. */
export function localDate(d: Date): string {
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

/** HH:MM:SS, local, of ms since the epoch. */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** A chart's tick: HH:MM (HH:MM:SS when it falls inside a minute), or MM-DD at midnight. */
export function axisTime(seconds: number): string {
  const d = new Date(seconds * 1000);
  const [h, m, s] = [d.getHours(), d.getMinutes(), d.getSeconds()];
  if (h === 0 && m === 0 && s === 0) return `${two(d.getMonth() + 1)}-${two(d.getDate())}`;
  return s === 0 ? `${two(h)}:${two(m)}` : `${two(h)}:${two(m)}:${two(s)}`;
}

/** A chart legend's time of the sample under the cursor: YYYY-MM-DD HH:MM:SS, or -- for none. */
export function legendTime(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '--';
  return `${localDate(new Date(seconds * 1000))} ${clockTime(seconds * 1000)}`;
}
