// LOG.KEEP_DAYS: nothing bounded logs/ (README read as if old days were deleted; they were not). With it
// set, the day folders older than that many days go at start and after each midnight, logged; 0 keeps all;
// CDR/ is never touched.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { daysPast, LogRetention, pruneLogDays } from '../../../core/observe/log-retention';
import type { Log } from '../../../core/observe/log';
import { tempDir } from '../../support/temp-dir';

function recorder(): { log: Log; lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (m: string) => lines.push(`${level} ${m}`);
  const log = {
    debug: at('DEBUG'),
    info: at('INFO'),
    warning: at('WARNING'),
    error: at('ERROR'),
  } as unknown as Log;
  return { log, lines };
}

function folder(days: string[]): string {
  const dir = tempDir('ims-keep-');
  for (const d of days) {
    mkdirSync(join(dir, 'logs', d), { recursive: true });
    writeFileSync(join(dir, 'logs', d, 'ims-sip-server.log'), 'x\n');
    mkdirSync(join(dir, 'CDR', d), { recursive: true });
    writeFileSync(join(dir, 'CDR', d, `cdr_${d}.csv`), 'x\n');
  }
  mkdirSync(join(dir, 'logs', 'notes'));
  return dir;
}

/** Noon local time on 2026-12-07. */
const NOON = new Date(2026, 11, 7, 12).getTime();

afterEach(() => vi.useRealTimers());

describe('LOG.KEEP_DAYS', () => {
  it('names the days more than N before today; 0 none', () => {
    const names = ['2026-11-30', '2026-12-05', '2026-12-06', '2026-12-07', 'notes', '2026-13-xx'];
    expect(daysPast(names, 1, '2026-12-07')).toEqual(['2026-11-30', '2026-12-05']);
    expect(daysPast(names, 7, '2026-12-07')).toEqual([]);
    expect(daysPast(names, 0, '2026-12-07')).toEqual([]);
    // Across a month and a year end.
    expect(daysPast(['2025-12-31', '2026-01-01'], 1, '2026-01-02')).toEqual(['2025-12-31']);
  });

  it('removes the old day folders of logs/ only, logging them, never CDR/', () => {
    const dir = folder(['2026-11-30', '2026-12-01', '2026-12-06', '2026-12-07']);
    const { log, lines } = recorder();
    pruneLogDays(dir, 2, log, NOON);
    expect(readdirSync(join(dir, 'logs')).sort()).toEqual(['2026-12-06', '2026-12-07', 'notes']);
    expect(readdirSync(join(dir, 'CDR'))).toHaveLength(4);
    expect(lines).toEqual([
      `INFO removed 2 day folder(s) of ${join(dir, 'logs')} older than 2 days (LOG.KEEP_DAYS): 2026-11-30 to 2026-12-01`,
    ]);
    pruneLogDays(dir, 0, log, NOON + 30 * 86_400_000);
    expect(existsSync(join(dir, 'logs', '2026-12-06'))).toBe(true);
    expect(lines).toHaveLength(1);
  });

  it('prunes at start and again after midnight', () => {
    vi.useFakeTimers({ now: NOON });
    const dir = folder(['2026-12-05', '2026-12-06', '2026-12-07']);
    const { log } = recorder();
    const r = new LogRetention(dir, () => 1, log, Date.now);
    r.start();
    expect(readdirSync(join(dir, 'logs')).sort()).toEqual(['2026-12-06', '2026-12-07', 'notes']);
    vi.advanceTimersByTime(12 * 3_600_000 + 2000); // 00:00:02 on 2026-12-08
    expect(readdirSync(join(dir, 'logs')).sort()).toEqual(['2026-12-07', 'notes']);
    r.stop();
    vi.advanceTimersByTime(2 * 86_400_000);
    expect(readdirSync(join(dir, 'logs')).sort()).toEqual(['2026-12-07', 'notes']);
  });
});
