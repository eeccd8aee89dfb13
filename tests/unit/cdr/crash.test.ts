// Durability: a row the recorder has flushed survives kill -9 of the process (SQLite WAL, committed
// transaction), with no stop(), no close and no checkpoint.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteCdrStore } from '../../../core/cdr/cdr-store';
import { DATABASE_FILE } from '../../../core/store/database';
import { startNode } from '../../support/processes';
import { makeDataDir, open, useDataDirs } from '../store/data-dir';
import { readCsv } from './fixtures';

useDataDirs();

const CHILD = join(import.meta.dirname, 'child', 'record-then-hang.ts');

describe('CdrRecorder durability', () => {
  it('a flushed CALL row is in the database after kill -9', async () => {
    const dir = makeDataDir();
    const child = startNode(['--import', 'tsx', CHILD, dir]);
    try {
      const line = await Promise.race([
        child.waitFor(/flushed (\d+)\n/, 15_000),
        child.exited.then((code) => {
          throw new Error(`the child exited (${code}) before flushing:\n${child.output()}`);
        }),
      ]);
      // Committed by the recorder's own timer within a second of the event.
      expect(Number(/\d+/.exec(line)![0])).toBeLessThan(1000);
      expect(child.proc.kill('SIGKILL')).toBe(true);
      expect(await child.exited).toBe('SIGKILL');
    } finally {
      child.proc.kill('SIGKILL');
    }
    // Killed before any checkpoint: the row is only in the WAL, and still read back.
    expect(existsSync(join(dir, `${DATABASE_FILE}-wal`))).toBe(true);

    const store = new SqliteCdrStore(open(dir), dir);
    const page = await store.page();
    expect(page.total).toBe(1);
    expect(page.records[0]).toMatchObject({
      record_type: 'CALL',
      call_state: 'ENDED',
      call_id: 'crash-test@lab',
    });
    const csv = readCsv(readFileSync(store.archive.dayFile(page.records[0]!.date), 'utf8'));
    expect(csv.map((r) => r[0])).toEqual(['record_id', page.records[0]!.record_id]);
  }, 30_000);
});
