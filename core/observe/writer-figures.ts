// How the evidence writers fare since the start: CDR rows committed to the database and appended to the CSV
// archive, and the attempts of each that failed (each retried: a full disk fails every flush until there is
// room); HEP packets sent to the collector and lost; SIP trace messages written to trace.db and its failed
// writes. Counters, read when asked (/metrics, DSP PERF): nothing counted per message beyond a field each.

export interface WriterFigures {
  cdrDbRows: number;
  cdrDbFailures: number;
  cdrCsvRows: number;
  cdrCsvFailures: number;
  /** Rows dropped because the queue was full while the database failed. */
  cdrDropped: number;
  /** Packets sent / lost; 0 while no HEP collector is set. */
  hepSent: number;
  hepFailed: number;
  /** Messages written to trace.db / writes that failed (their batch not kept); 0 while it is off. */
  traceDbMessages: number;
  traceDbFailures: number;
}

/** The figures of the appliance's CDR recorder and SIP trace, as one. */
export function writerFigures(
  cdr: {
    readonly figures: { dbRows: number; dbFailures: number; csvRows: number; csvFailures: number };
    readonly dropped: number;
  },
  trace: { writerFigures(): { hepSent: number; hepFailed: number; dbMessages: number; dbFailures: number } },
): WriterFigures {
  const c = cdr.figures;
  const t = trace.writerFigures();
  return {
    cdrDbRows: c.dbRows,
    cdrDbFailures: c.dbFailures,
    cdrCsvRows: c.csvRows,
    cdrCsvFailures: c.csvFailures,
    cdrDropped: cdr.dropped,
    hepSent: t.hepSent,
    hepFailed: t.hepFailed,
    traceDbMessages: t.dbMessages,
    traceDbFailures: t.dbFailures,
  };
}
