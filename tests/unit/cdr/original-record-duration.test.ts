// `duration` across the move from the original (README "What changed"): IMS Lab writes talk time only,
// blank for a call never answered; the original wrote an unanswered call's start→end seconds
// (original-server.md §3.2). A row imported from its day files keeps the original's value (it is its
// record, as it wrote it), and `talk_ms`, IMS Lab's column, says the talk: 0 for it, so that a sum of
// talk_ms (DSP CDR STAT's Total talk) means the same before and after the move.
import { describe, expect, it } from 'vitest';
import { ORIGINAL_COLUMNS, originalRecord } from '../../../core/cdr/original-record';
import { ORIGINAL_ROWS, readCsv } from './fixtures';

function imported(row: string, duration: string): { duration: number | null; talk_ms: number | null } {
  const fields = readCsv(`20261206101500000001,${row}\r\n`)[0]!;
  fields[ORIGINAL_COLUMNS.indexOf('duration')] = duration;
  const r = originalRecord(fields);
  if (typeof r === 'string') throw new Error(r);
  return { duration: r.duration, talk_ms: r.talk_ms };
}

describe("an imported row's duration", () => {
  it("keeps the original's start→end seconds of an unanswered call, with talk_ms 0", () => {
    expect(imported(ORIGINAL_ROWS['cancelled']!, '7.5')).toEqual({ duration: 7.5, talk_ms: 0 });
    expect(imported(ORIGINAL_ROWS['failed']!, '3.2')).toEqual({ duration: 3.2, talk_ms: 0 });
  });

  it('of an answered call is its talk time, as IMS Lab writes it', () => {
    expect(imported(ORIGINAL_ROWS['call']!, '3.0')).toEqual({ duration: 3, talk_ms: 3000 });
  });
});
