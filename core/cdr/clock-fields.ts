// The original's date and time columns (original-server.md §3.2), cut from the store's local ISO time
// (2026-11-24T00:38:05.727+08:00): local time, as the original's datetime.now() wrote them.
import { zoneFields } from '../observe/zone-fields';
import { localIsoTime } from '../store/local-time';

/** YYYY-MM-DD, the date column and the CSV day. */
export function cdrDate(t: number): string {
  return localIsoTime(new Date(t)).slice(0, 10);
}

/** HH:MM:SS, start_time and end_time. */
export function cdrTime(t: number): string {
  return localIsoTime(new Date(t)).slice(11, 19);
}

/** HH:MM:SS.mmm, invite_time, ringing_time, answer_time and bye_time; '' when the moment never came. */
export function cdrTimeMs(t: number | undefined): string {
  return t === undefined ? '' : localIsoTime(new Date(t)).slice(11, 23);
}

/** YYYYmmddHHMMSS, the time part of a record_id. */
export function cdrStamp(t: number): string {
  return localIsoTime(new Date(t)).slice(0, 19).replace(/[-T:]/g, '');
}

/** A YYYY-MM-DD that names a real calendar day (2026-02-30 does not). */
export function isCdrDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Minutes east of UTC that `zone` is at `at` (its clock fields read back as UTC, less the instant). */
function zoneOffsetMinutes(zone: string, at: Date): number {
  const [year, month, day, hour, minute, second] = zoneFields(zone, at.getTime());
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/**
 * The time zone of the server's clock fields (its local time, which the CDR, the log files and MML
 * show), for a console in another zone to show the same times: an IANA name. Intl's zone when it keeps
 * the process's local time now; else, for a TZ that Intl does not know, a whole-hour fixed zone
 * (Etc/GMT-8 is UTC+8); else '' (the console then shows its own time).
 */
export function serverTimeZone(now = new Date()): string {
  const local = -now.getTimezoneOffset();
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone !== undefined && zoneOffsetMinutes(zone, now) === local) return zone;
  if (local % 60 !== 0) return '';
  const hours = local / 60;
  return hours === 0 ? 'Etc/UTC' : `Etc/GMT${hours > 0 ? '-' : '+'}${Math.abs(hours)}`;
}
