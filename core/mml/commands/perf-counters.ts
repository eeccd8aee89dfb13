// DSP PERF MSG's counters since the start, the figures /metrics gives: SIP responses by direction, CSeq
// method and status class (sip_replies_total; a method's row once it has one), and the evidence writers'
// (ims_cdr_*, ims_hep_*, ims_trace_db_*).
import { REPLY_CLASSES, type ReplyCounts } from '../../observe/reply-counts';
import type { WriterFigures } from '../../observe/writer-figures';
import type { MmlTable } from '../command';

export function repliesTable(replies: ReplyCounts): MmlTable {
  const rows: unknown[][] = [];
  const series = replies.series();
  for (let i = 0; i < series.length; i += REPLY_CLASSES.length) {
    const row = series.slice(i, i + REPLY_CLASSES.length);
    if (row.every((r) => r.value === 0)) continue;
    rows.push([row[0]!.direction, row[0]!.method, ...row.map((r) => r.value)]);
  }
  return {
    title: 'SIP responses by method and class (since start)',
    columns: [
      { name: 'Direction', type: 'string' },
      { name: 'Method', type: 'string' },
      ...REPLY_CLASSES.map((c) => ({ name: c, type: 'integer' as const })),
    ],
    rows,
  };
}

export function writersTable(w: WriterFigures): MmlTable {
  return {
    title: 'Evidence writers (since start)',
    columns: [
      { name: 'CDR rows (database)', type: 'integer' },
      { name: 'CDR write failures (database)', type: 'integer' },
      { name: 'CDR rows (CSV)', type: 'integer' },
      { name: 'CDR write failures (CSV)', type: 'integer' },
      { name: 'CDR rows dropped', type: 'integer' },
      { name: 'HEP packets sent', type: 'integer' },
      { name: 'HEP send errors', type: 'integer' },
      { name: 'trace.db messages', type: 'integer' },
      { name: 'trace.db write failures', type: 'integer' },
    ],
    rows: [
      [
        w.cdrDbRows,
        w.cdrDbFailures,
        w.cdrCsvRows,
        w.cdrCsvFailures,
        w.cdrDropped,
        w.hepSent,
        w.hepFailed,
        w.traceDbMessages,
        w.traceDbFailures,
      ],
    ],
  };
}
