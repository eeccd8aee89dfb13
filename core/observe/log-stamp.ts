// A log line's time stamp back to the instant it was written. The line keeps the original's layout,
// local time without its UTC offset ("2026-10-25 02:30:00.123 [INFO    ] ..."), so a fall-back night's
// repeated hour (Europe/Berlin 2026-10-25: 02:00-02:59 first at +02:00, then at +01:00) reads two ways.
// A day's file is written in time order, so of the two the line's instant is the one not before the line
// above it (the earlier when nothing is above it): once the clock has stepped back, the rest of the hour
// is its second pass. A read that starts inside the file (DSP LOG BEFORE=, a tail) first looks at the
// lines before it (instantBefore) for what came above. The spring-forward gap's times, which the logger
// never writes (a file from another zone), read as the hour after, as Date reads them.
import { wallTimeInstants } from './wall-time-instants';

/** A record's first line: time stamp, level, source (logger.ts writes them). */
export const LOG_LINE =
  /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3}) \[(DEBUG|INFO|WARNING|ERROR)\s*\] \[([^\]]*)\] ?/;

/** `2026-10-25 02:30:00.123`: a line's first characters. */
const STAMP_LENGTH = 23;
/** `2026-10-25 02:30`: the part of a stamp whose readings are looked up (an offset changes on a minute). */
const MINUTE_LENGTH = 16;

/**
 * The instants of a stamp's minute (`YYYY-MM-DD HH:MM`, second 0), earliest first: two in a fall-back
 * night's repeated hour, else one (a skipped time or an impossible date as Date reads it).
 */
function minuteReadings(minute: string): number[] {
  const n = (from: number, to: number): number => Number(minute.slice(from, to));
  const [year, month, day, hour, min] = [n(0, 4), n(5, 7) - 1, n(8, 10), n(11, 13), n(14, 16)];
  const found = wallTimeInstants(Date.UTC(year, month, day, hour, min));
  return found.length > 0 ? found : [new Date(year, month, day, hour, min).getTime()];
}

/** Reads stamps in file order; the readings of the last minute asked are kept (lines come in runs). */
export class LogStampClock {
  private minute = '';
  private minuteAt: number[] = [];

  /** `previous`: the instant of the line above the first one read (none: -Infinity). */
  constructor(private previous = -Infinity) {}

  /** The instants a stamp (a line's first 23 characters) can name, earliest first. */
  readings(stamp: string): number[] {
    const within = millisInMinute(stamp);
    return this.minuteOf(stamp).map((t) => t + within);
  }

  /** The instant of the next line's stamp: its first reading not before the line above, else its last. */
  read(stamp: string): number {
    const minute = this.minuteOf(stamp);
    const within = millisInMinute(stamp);
    let t = minute[0]! + within;
    if (t < this.previous && minute.length > 1) t = minute.at(-1)! + within;
    this.previous = t;
    return t;
  }

  private minuteOf(stamp: string): number[] {
    const minute = stamp.slice(0, MINUTE_LENGTH);
    if (minute !== this.minute) {
      this.minute = minute;
      this.minuteAt = minuteReadings(minute);
    }
    return this.minuteAt;
  }
}

/** The seconds and milliseconds of a stamp, in ms. */
const millisInMinute = (stamp: string): number =>
  Number(stamp.slice(17, 19)) * 1000 + Number(stamp.slice(20, STAMP_LENGTH));

/** A part of the file instantBefore asks to read. */
export interface ByteRange {
  position: number;
  length: number;
}

const CHUNK_BYTES = 64 * 1024;
/** Past a window's start, what is read of the line there: its head (stamp, level, source) whole. */
const HEAD_BYTES = 256;

/**
 * The instant of the last record before a window that starts at byte `start` of a file of `size` bytes
 * (the record holding `start`, which the window leaves to the next page, included), as reading the file
 * from its first line gives it; undefined when no record is before it. Asks for the bytes it reads
 * (yielding a range, given them back), backwards from `start`, `maxBytes` at most: a record outside a
 * repeated hour is its one reading; one inside it is in its second pass when, between it and the hour's
 * start (the nearest record outside it or the file's first), the clock stepped back. Past `maxBytes`
 * without either, the first pass.
 */
export function* instantBefore(
  start: number,
  size: number,
  maxBytes: number,
): Generator<ByteRange, number | undefined, Buffer> {
  if (start <= 0) return undefined;
  const clock = new LogStampClock();
  const end = Math.min(size, start + HEAD_BYTES);
  let nearest: string | undefined;
  /** The stamp of the record after the one looked at (going back, the one looked at before). */
  let after: string | undefined;
  let from = end;
  let carry = '';
  while (from > 0 && end - from < maxBytes) {
    const length = Math.min(CHUNK_BYTES, from);
    from -= length;
    // One character a byte: a line's place in the text is its place in the file.
    const text = (yield { position: from, length }).toString('latin1') + carry;
    let stop = text.length;
    for (;;) {
      const nl = stop > 0 ? text.lastIndexOf('\n', stop - 1) : -1;
      if (nl < 0 && from > 0) {
        carry = text.slice(0, stop);
        break;
      }
      const line = text.slice(nl + 1, stop);
      stop = nl;
      if (from + nl + 1 <= start && LOG_LINE.test(line)) {
        const stamp = line.slice(0, STAMP_LENGTH);
        nearest ??= stamp;
        const readings = clock.readings(stamp);
        // Outside the repeated hour, or the clock stepped back after this record: known.
        if (readings.length === 1) return stamp === nearest ? readings[0] : clock.readings(nearest)[0];
        if (after !== undefined && stamp > after) return clock.readings(nearest).at(-1);
        after = stamp;
      }
      if (nl < 0) return nearest === undefined ? undefined : clock.readings(nearest)[0];
    }
  }
  return nearest === undefined ? undefined : clock.readings(nearest)[0];
}
