// The CDR recorder's counters for /metrics (ims_cdr_rows_written_total, ims_cdr_write_failures_total by
// store): rows committed and appended, and every failed attempt of each, the retries' too.
import { describe, expect, it } from 'vitest';
import { CdrRecorder } from '../../../core/cdr/recorder';
import type { CdrRecord, NewCdrRecord } from '../../../core/cdr/record';
import { call, callEvent, keptLog, T0 } from './fixtures';

describe('CdrRecorder.figures', () => {
  it('counts rows written and failed attempts, database and CSV, across retries', () => {
    let dbFails = 1;
    let csvFails = 2;
    const recorder = new CdrRecorder({
      store: {
        insert: (records: readonly NewCdrRecord[]): CdrRecord[] => {
          if (dbFails-- > 0) throw new Error('SQLITE_FULL: database or disk is full');
          return records.map((r, i) => ({ ...r, record_id: `r${i}` }) as CdrRecord);
        },
      },
      archive: {
        appendDay: () => {
          if (csvFails-- > 0) throw new Error('ENOSPC: no space left on device, write');
          return undefined;
        },
      },
      log: keptLog(),
      now: () => T0 + 10_000,
      flushIntervalMs: 3_600_000,
    });
    expect(recorder.figures).toEqual({ dbRows: 0, dbFailures: 0, csvRows: 0, csvFailures: 0 });
    recorder.onCall(callEvent('ended', call({ id: 'a', callId: 'a' })));
    recorder.onCall(callEvent('ended', call({ id: 'b', callId: 'b' })));
    expect(recorder.flush()).toBe(0); // the database fails: kept for the next attempt
    expect(recorder.figures).toEqual({ dbRows: 0, dbFailures: 1, csvRows: 0, csvFailures: 0 });
    expect(recorder.flush()).toBe(2); // committed; the CSV append fails
    expect(recorder.figures).toEqual({ dbRows: 2, dbFailures: 1, csvRows: 0, csvFailures: 1 });
    recorder.flush(); // the CSV fails again
    recorder.flush(); // and works
    expect(recorder.figures).toEqual({ dbRows: 2, dbFailures: 1, csvRows: 2, csvFailures: 2 });
    recorder.stop();
  });
});
