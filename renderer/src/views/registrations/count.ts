// The Registrations view's count beside Remove all. With a search it says how many were found of how
// many there are ("9 found of 22"): Remove all (CLR REG) removes every one, not only those found.
import type { useT } from '../../store/shell';

export interface RegistrationsCount {
  /** Rows on this page, the page's first in the server's list, those matching the search, and all. */
  shown: number;
  offset: number;
  total: number;
  all: number;
  searching: boolean;
}

export function registrationsCount(t: ReturnType<typeof useT>, c: RegistrationsCount): string {
  if (c.shown < c.total)
    return t('common.showing', {
      shown: c.shown === 0 ? 0 : `${c.offset + 1}–${c.offset + c.shown}`,
      total: c.searching ? t('regs.foundOf', { n: c.total, all: c.all }) : c.total,
    });
  return c.searching ? t('regs.foundOf', { n: c.total, all: c.all }) : t('common.total', { n: c.total });
}
