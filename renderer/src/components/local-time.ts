// Times as the console shows them: on the server's clock (its time zone, from the status snapshot), as
// its CDR, log files and MML show them, whatever the browser's zone; the browser's own until the server
// has said. 24-hour digits, the same in every language: the browser's own formats follow its locale, not
// the console's language ("6:10:35 PM" in 中文 too), and uPlot's chart labels are English ("4:30pm").

import { zoneFields, zoneFormatter, type ZoneFields } from '../../../core/observe/zone-fields';

export const two = (n: number): string => String(n).padStart(2, '0');

/** The server's time zone ('' for the browser's own). */
let zone = '';

/** Shows times in this IANA zone from now on ('' or a zone this browser does not know: its own). */
export function setClockZone(z: string): void {
  try {
    if (z !== '') zoneFormatter(z);
    zone = z;
  } catch {
    zone = '';
  }
}

/** The server's clock less the browser's (ms), from the status snapshot; 0 until known. */
let offset = 0;

/** Takes the server's clock as read at `browserNow` (setServerClock(status.serverTime)). */
export function setServerClock(serverTime: number, browserNow = Date.now()): void {
  if (Number.isFinite(serverTime)) offset = serverTime - browserNow;
}

/**
 * Now on the server's clock: what countdowns and durations of the server's times are counted against (a
 * browser ten minutes ahead showed fresh registrations as expired and a 4 s call as 10:03).
 */
export function serverNow(): number {
  return Date.now() + offset;
}

/** A moment of this browser's clock (Date.now()) on the server's. */
export function serverTimeAt(browserMs: number): number {
  return browserMs + offset;
}

/** Year, month, day, hour, minute, second of an instant on the shown clock. */
function fields(ms: number): ZoneFields {
  if (zone !== '') return zoneFields(zone, ms);
  const d = new Date(ms);
  return [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds()];
}

const millis = (ms: number): string => String(((ms % 1000) + 1000) % 1000).padStart(3, '0');

/**
 * The instant (ms since the epoch) a YYYY-MM-DD HH:MM[:SS] (or with a T, as DSP TRACE FROM= takes it) read
 * on the shown clock names (a time filter typed in the server's zone, as its lists show times); undefined
 * when it is no such time (2026-02-30, 24:00). Of a fall-back night's repeated hour, the first reading; a
 * spring-forward gap's missing times, the hour after.
 */
export function instantOf(text: string): number | undefined {
  const m = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d))?$/.exec(text.trim());
  if (m === null) return undefined;
  const [y, mo, d, h, mi, s = 0] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  const wanted = Date.UTC(y!, mo! - 1, d!, h!, mi!, s);
  // Date.UTC rolls a 13th month or a 30 February over into the next: such a text names no time.
  const back = new Date(wanted);
  if (back.getUTCMonth() !== mo! - 1 || back.getUTCDate() !== d! || h! > 23 || mi! > 59 || s > 59)
    return undefined;
  // The zone's offset at a guess, twice: the second corrects a guess on the other side of a change.
  let at = wanted;
  for (let i = 0; i < 2; i++) {
    const [fy, fmo, fd, fh, fmi, fs] = fields(at);
    at += wanted - Date.UTC(fy, fmo - 1, fd, fh, fmi, fs);
  }
  return at;
}

/** YYYY-MM-DD of an instant. */
export function localDate(d: Date): string {
  const [y, mo, day] = fields(d.getTime());
  return `${y}-${two(mo)}-${two(day)}`;
}

/** HH:MM:SS of ms since the epoch. */
export function clockTime(ms: number): string {
  const [, , , h, m, s] = fields(ms);
  return `${two(h)}:${two(m)}:${two(s)}`;
}

/** HH:MM:SS.mmm of ms since the epoch (a log line, a SIP message). */
export function clockTimeMs(ms: number): string {
  return `${clockTime(ms)}.${millis(ms)}`;
}

/**
 * A log line's or SIP message's moment in a list: HH:MM:SS.mmm today, MM-DD HH:MM:SS.mmm on another day
 * (a console left open overnight, lines read back from yesterday's file), on the server's clock.
 */
export function stampMs(ms: number, now = serverNow()): string {
  const [, mo, d] = fields(ms);
  const [, nowMo, nowD] = fields(now);
  return mo === nowMo && d === nowD && Math.abs(now - ms) < 86_400_000
    ? clockTimeMs(ms)
    : `${two(mo)}-${two(d)} ${clockTimeMs(ms)}`;
}

/** YYYY-MM-DD HH:MM:SS.mmm of ms since the epoch (a CDR record's moments). */
export function dateTimeMs(ms: number): string {
  return `${localDate(new Date(ms))} ${clockTimeMs(ms)}`;
}

/**
 * The UTC offset of the shown clock at an instant, UTC+08:00, UTC-05:00: it tells apart the two readings
 * of a fall-back night's repeated hour (01:30 EDT and 01:30 EST read the same digits).
 */
export function utcOffset(ms: number): string {
  const [y, mo, d, h, m, s] = fields(ms);
  const minutes = Math.round((Date.UTC(y, mo - 1, d, h, m, s) - Math.floor(ms / 1000) * 1000) / 60_000);
  const abs = Math.abs(minutes);
  return `UTC${minutes < 0 ? '-' : '+'}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

/** YYYY-MM-DD HH:MM:SS.mmm UTC±HH:MM (a CDR record's moments in its panel). */
export function dateTimeMsOffset(ms: number): string {
  return `${dateTimeMs(ms)} ${utcOffset(ms)}`;
}

/** The shown clock's time zone: the server's IANA name once known, else the browser's own. */
export function clockZoneName(): string {
  return zone !== '' ? zone : (Intl.DateTimeFormat().resolvedOptions().timeZone ?? '');
}

/** A chart's tick: HH:MM (HH:MM:SS when it falls inside a minute), or MM-DD at midnight. */
export function axisTime(seconds: number): string {
  const [, mo, d, h, m, s] = fields(seconds * 1000);
  if (h === 0 && m === 0 && s === 0) return `${two(mo)}-${two(d)}`;
  return s === 0 ? `${two(h)}:${two(m)}` : `${two(h)}:${two(m)}:${two(s)}`;
}

/** A chart legend's time of the sample under the cursor: YYYY-MM-DD HH:MM:SS, or -- for none. */
export function legendTime(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '--';
  return `${localDate(new Date(seconds * 1000))} ${clockTime(seconds * 1000)}`;
}
