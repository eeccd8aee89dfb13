// record_id in the original's shape, YYYYmmddHHMMSS + a 6-digit counter (original-server.md §3.2), but
// unique across restarts (§12 item 28: the original's counter restarted at 1 with each process). The
// last id issued is kept in the settings table and read and written inside the same transaction as the
// rows, so a restart, a clock stepping back or another process on the same file cannot issue it twice.
import { cdrStamp } from './clock-fields';

/** The settings key holding the last record_id issued. */
export const LAST_RECORD_ID_SETTING = 'cdr.last_record_id';

const RECORD_ID = /^\d{20}$/;

/**
 * The id after `last` for a row committed at `now`: the first id of now's second when that is later,
 * else last + 1. More than 999,999 rows in one second carry into the seconds digits: still unique and
 * ordered, only no longer a real time.
 */
export function nextRecordId(last: string | undefined, now: number): string {
  const first = `${cdrStamp(now)}000001`;
  if (last === undefined || !RECORD_ID.test(last) || first > last) return first;
  return (BigInt(last) + 1n).toString().padStart(20, '0');
}

/**
 * The n ids after `last` for rows committed at `now`, as n calls of nextRecordId would give them, with
 * the time formatted once and the counter carried in a number while it stays within its six digits.
 */
export function nextRecordIds(last: string | undefined, now: number, n: number): string[] {
  const ids: string[] = [];
  if (n === 0) return ids;
  let id = nextRecordId(last, now);
  ids.push(id);
  const stamp = id.slice(0, 14);
  let counter = Number(id.slice(14));
  while (ids.length < n) {
    if (counter < 999_999) id = stamp + String(++counter).padStart(6, '0');
    else id = nextRecordId(id, now); // carries into the seconds digits (BigInt)
    ids.push(id);
  }
  return ids;
}

export function isRecordId(text: string): boolean {
  return RECORD_ID.test(text);
}
