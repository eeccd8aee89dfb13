// A Save refused because another operator changed the user since the form read it (MOD USER IF_UPDATED=).
// The server's words give ISO times and point at DSP USER, for the terminal; the dialog says it with the
// table's times (to the millisecond: the check is to the millisecond) and points at its Reload button.
import type { MessageKey } from '../../i18n/i18n';

type T = (key: MessageKey, vars?: Record<string, string | number>) => string;

const ISO = /(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d(?:\.\d+)?)(?:Z|[+-]\d\d:\d\d)/g;

/** An update time as the Users table writes it (the server's clock), its milliseconds kept. */
export function tableTime(iso: string): string {
  return iso.replace(ISO, '$1 $2');
}

/**
 * The dialog's words for the refusal (English or 中文: both name the time the form read and the user's
 * Updated time, in that order, and DSP USER), or null for any other refusal.
 */
export function changedRefusal(t: T, message: string): string | null {
  const times = message.match(ISO);
  if (times === null || times.length !== 2 || !message.includes('DSP USER')) return null;
  return t('users.changedRefused', { since: tableTime(times[0]!), updated: tableTime(times[1]!) });
}
