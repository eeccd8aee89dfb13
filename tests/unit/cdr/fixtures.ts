// Test support for the CDR: the test events (events.ts), a fixed time zone so that dates and times can be
// checked exactly, a Log that keeps its lines, and a small RFC 4180 reader to check the CSV files.
import { afterAll } from 'vitest';
import type { Log } from '../../../core/observe/log';
import type { CdrRecord } from '../../../core/cdr/record';

export * from './events';

/**
 * Formats local times in UTC+8 (no DST) for the calling test file, restoring the zone afterwards.
 * Call at the top level of the test file. Node re-reads TZ when process.env.TZ is assigned.
 */
export function useShanghaiTime(): void {
  const saved = process.env.TZ;
  process.env.TZ = 'Asia/Shanghai';
  afterAll(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });
}

export interface KeptLog extends Log {
  lines: string[];
}

/** A Log that keeps "LEVEL text" lines. */
export function keptLog(): KeptLog {
  const lines: string[] = [];
  return {
    lines,
    debug: (m) => lines.push(`DEBUG ${m}`),
    info: (m) => lines.push(`INFO ${m}`),
    warning: (m) => lines.push(`WARNING ${m}`),
    error: (m) => lines.push(`ERROR ${m}`),
  };
}

export { readCsv } from '../../support/csv';

/** Polls until check() is true, or fails after timeoutMs. */
export async function until(check: () => boolean, timeoutMs = 2000): Promise<number> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return Date.now() - start;
}

/** A record with the record_id the store would give it (the n-th of 2026-11-24 00:38:05). */
export const numbered = (id: number, r: Omit<CdrRecord, 'record_id'>): CdrRecord => ({
  ...r,
  record_id: `20261124003805${String(id).padStart(6, '0')}`,
});
