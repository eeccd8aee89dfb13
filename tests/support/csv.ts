// Reading the CDR archive's CSV in tests: RFC 4180, the format core/cdr/csv.ts writes (CRLF records,
// the last one ended too), read by the core's own reader.
import { parseCsv } from '../../core/cdr/csv-read';

/** Reads RFC 4180 CSV (quoted fields with doubled quotes, CRLF records) into rows of fields. */
export function readCsv(text: string): string[][] {
  if (text !== '' && !text.endsWith('\r\n')) throw new Error('CSV does not end with CRLF');
  return parseCsv(text);
}
