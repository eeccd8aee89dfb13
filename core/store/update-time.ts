// A change based on what a user was when it was read (MOD USER IF_UPDATED=, the console's Edit dialog):
// the user's Updated time as it was then, compared with the stored one when the change is written, as
// HTTP's If-Unmodified-Since (RFC 9110 §13.1.4) does: a user changed in between is not overwritten.
import { parseLocalTime } from './local-time';
import { StoreError } from './types';

export interface UpdateTime {
  /** As given. */
  text: string;
  /** Whether a stored update_time is this one (at the precision it was given in). */
  matches(stored: string): boolean;
}

/**
 * The Updated time a change is based on: the stored text (2026-11-24T09:30:00.123+08:00, or an imported
 * one without its zone), or as DSP USER shows it (to the second, local time: any moment in that second
 * matches). Throws StoreError('invalid') for a text that is no date-time.
 */
export function updateTimeOf(text: string): UpdateTime {
  const given = parseLocalTime(text);
  if (given === undefined) {
    throw new StoreError(
      'invalid',
      `ifUpdated: expected the user's Updated time as DSP USER shows it (e.g. 2026-11-24 09:30:00), got ${text}`,
      'ifUpdated',
    );
  }
  const toSecond = !/[.,]\d/.test(text);
  const at = (t: number) => (toSecond ? Math.floor(t / 1000) : t);
  return {
    text,
    matches: (stored) => {
      if (stored === text) return true;
      const s = parseLocalTime(stored);
      return s !== undefined && at(s.getTime()) === at(given.getTime());
    },
  };
}
