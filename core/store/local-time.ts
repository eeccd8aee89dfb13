// Timestamps as IMS Lab stores them: ISO 8601 local time with its UTC offset
// (2026-11-24T09:30:00.000+08:00). The original wrote Python's datetime.now().isoformat(): local time,
// no zone, sometimes with microseconds; parseLocalTime reads both.
import { wallTimeInstants } from '../observe/wall-time-instants';

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * The last few whole seconds formatted, with the offset each was formatted with: a CDR row formats its
 * moments several times (a call's start, ringing, answer and end: up to four different seconds), and
 * each local-time getter asks the time-zone rules again. Local time is UTC plus the offset, so the same
 * second at the same offset is the same text, whatever TZ says.
 */
const SLOTS = 4;
const cachedSeconds = new Array<number>(SLOTS).fill(Number.NaN);
const cachedOffsets = new Array<number>(SLOTS).fill(Number.NaN);
const cachedHeads = new Array<string>(SLOTS).fill('');
const cachedZones = new Array<string>(SLOTS).fill('');
/** The slot the next second not found goes to (the oldest). */
let nextSlot = 0;

/** The instant as local time with milliseconds and the local offset, e.g. 2026-11-24T09:30:00.000+08:00. */
export function localIsoTime(date: Date = new Date()): string {
  const ms = date.getTime();
  const offset = -date.getTimezoneOffset();
  const second = Math.floor(ms / 1000);
  let slot = 0;
  while (slot < SLOTS && (cachedSeconds[slot] !== second || cachedOffsets[slot] !== offset)) slot++;
  if (slot === SLOTS) {
    slot = nextSlot;
    nextSlot = (nextSlot + 1) % SLOTS;
    const sign = offset < 0 ? '-' : '+';
    const abs = Math.abs(offset);
    cachedHeads[slot] =
      `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
      `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
    cachedZones[slot] = `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
    cachedSeconds[slot] = second;
    cachedOffsets[slot] = offset;
  }
  return `${cachedHeads[slot]}.${pad(ms - second * 1000, 3)}${cachedZones[slot]}`;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Parses an ISO 8601 date-time. Without a zone it is local time (the original's format); with Z or an
 * offset it is that instant. Returns undefined when the text is not such a date-time or names an
 * impossible date (2025-02-30, 24:00...).
 */
export function parseLocalTime(text: string): Date | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => Number(m[i])) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const zone = m[8];
  if (zone === undefined) return new Date(year, month - 1, day, hour, minute, second, ms);
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const digits = zone.replace(':', '');
    const hours = Number(digits.slice(1, 3));
    const minutes = Number(digits.slice(3, 5));
    if (hours > 23 || minutes > 59) return undefined;
    offsetMinutes = (digits.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
  }
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000);
}

/**
 * Every instant at which the local clock read `date` (YYYY-MM-DD) and `time` (HH:MM:SS[.mmm]), earliest
 * first: two in the hour a fall-back repeats, one on most days, none in the hour a spring-forward skips
 * (or for a text that is no such date and time).
 */
export function localInstants(date: string, time: string): number[] {
  const asUtc = parseLocalTime(`${date}T${time}Z`)?.getTime();
  return asUtc === undefined ? [] : wallTimeInstants(asUtc);
}
