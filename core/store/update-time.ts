// A change based on what a user was when it was read (MOD USER IF_UPDATED=, the console's Edit dialog):
// the user's Updated time as it was then, compared with the stored one when the change is written, as
// HTTP's If-Unmodified-Since (RFC 9110 §13.1.4) does: a user changed in between is not overwritten.
//
// Compared to the millisecond, whether it comes from the console (the stored text) or is typed from DSP
// USER (which shows the Updated time to the millisecond, local time). A time given to the second names
// .000 of it: taken as "any moment in that second" it let a change overwrite another made in the same
// second unseen (read at 09:30:00.100, changed by someone else at 09:30:00.600: both read 09:30:00). The
// store also makes each change of a user later than the one before (users.ts nextUpdateTime), so that
// no two versions of a user share a millisecond either.
import { localIsoTime, parseLocalTime } from './local-time';
import { StoreError } from './types';

export interface UpdateTime {
  /** As given. */
  text: string;
  /** Whether a stored update_time is this one, to the millisecond. */
  matches(stored: string): boolean;
  /** Given to the second only, and `stored` is within that second but not at its start (why it failed). */
  vague(stored: string): boolean;
}

/**
 * The Updated time a change is based on: the stored text (2026-11-24T09:30:00.123+08:00, or an imported
 * one without its zone), or as DSP USER shows it (2026-11-24 09:30:00.123, local time). Throws
 * StoreError('invalid') for a text that is no date-time.
 */
export function updateTimeOf(text: string): UpdateTime {
  const given = parseLocalTime(text);
  if (given === undefined) {
    throw new StoreError(
      'invalid',
      `ifUpdated: expected the user's Updated time as DSP USER shows it (e.g. 2026-11-24 09:30:00.250), got ${text}`,
      'ifUpdated',
    );
  }
  const toSecond = !/[.,]\d/.test(text);
  const ms = (stored: string) => parseLocalTime(stored)?.getTime();
  return {
    text,
    matches: (stored) => stored === text || ms(stored) === given.getTime(),
    vague: (stored) => {
      const s = ms(stored);
      return toSecond && s !== undefined && Math.floor(s / 1000) === Math.floor(given.getTime() / 1000);
    },
  };
}

/**
 * The Updated time of a user's next version: now, or a millisecond after `previous` when the clock has
 * not passed it (two changes in one millisecond, or the clock set back), so that each version's time
 * is its own.
 */
export function nextUpdateTime(previous: string, now = Date.now()): string {
  const before = parseLocalTime(previous)?.getTime();
  return localIsoTime(new Date(before !== undefined && before >= now ? before + 1 : now));
}
