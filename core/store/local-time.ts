// Timestamps as IMS Lab stores them: ISO 8601 local time with its UTC offset
// (2026-11-24T09:30:00.000+08:00). The original wrote Python's datetime.now().isoformat(): local time,
// no zone, sometimes with microseconds; parseLocalTime reads both.

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * The last whole second formatted, and the offset it was formatted with: a CDR row formats its moments
 * several times, and each local-time getter asks the time-zone rules again. Local time is UTC plus the
 * offset, so the same second at the same offset is the same text, whatever TZ says.
 */
let cachedSecond = Number.NaN;
let cachedOffset = Number.NaN;
let cachedHead = '';
let cachedZone = '';

/** The instant as local time with milliseconds and the local offset, e.g. 2026-11-24T09:30:00.000+08:00. */
export function localIsoTime(date: Date = new Date()): string {
  const ms = date.getTime();
  const offset = -date.getTimezoneOffset();
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond || offset !== cachedOffset) {
    const sign = offset < 0 ? '-' : '+';
    const abs = Math.abs(offset);
    cachedHead =
      `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
      `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
    cachedZone = `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
    cachedSecond = second;
    cachedOffset = offset;
  }
  return `${cachedHead}.${pad(ms - second * 1000, 3)}${cachedZone}`;
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
