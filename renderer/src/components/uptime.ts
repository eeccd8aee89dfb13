// How long the appliance has run, as the Overview shows it: the console's H:MM:SS (as call durations) under a
// day, and days before it past one ("7d 03:12:05", "7天 03:12:05"): "168:00:00" after a week was unreadable
// on a wall display.
import { two } from './local-time';

/** `days(n, time)` puts the count of days before the time of day, in the console's language. */
export function formatUptime(seconds: number, days: (n: number, time: string) => string): string {
  const total = Math.max(0, Math.floor(seconds));
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (d > 0) return days(d, `${two(h)}:${two(m)}:${two(s)}`);
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}
