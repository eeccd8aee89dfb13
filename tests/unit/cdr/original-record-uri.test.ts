// The bare URIs of a row of the original's day file (core/cdr/original-record.ts): the From/To value's
// addr-spec (RFC 3261 §25.1), not a `<sip:...>` a quoted display name holds. DSP CDR shows this URI for a
// party without a number.
import { describe, expect, it } from 'vitest';
import { ORIGINAL_COLUMNS, originalRecord } from '../../../core/cdr/original-record';
import { ORIGINAL_ROWS, readCsv } from './fixtures';

function uris(caller: string, callee: string): string {
  const fields = readCsv(`20251102015930000001,${ORIGINAL_ROWS['call']}\r\n`)[0]!;
  fields[ORIGINAL_COLUMNS.indexOf('caller_uri')] = caller;
  fields[ORIGINAL_COLUMNS.indexOf('callee_uri')] = callee;
  const r = originalRecord(fields);
  if (typeof r === 'string') throw new Error(r);
  return `${r.from_uri} ${r.to_uri}`;
}

describe("an original row's From/To URIs", () => {
  it('are the addr-specs, whatever a quoted display name holds', () => {
    expect(uris('"<sip:1003@x>" <sip:1001@127.0.0.1>;tag=1', '"sip:555@x" <sip:1002@127.0.0.1>')).toBe(
      'sip:1001@127.0.0.1 sip:1002@127.0.0.1',
    );
    expect(uris('"a \\"<sip:1003@x>\\" 实验" <sip:1001@h>;tag=1', 'sip:1002@h;tag=2')).toBe(
      'sip:1001@h sip:1002@h',
    );
    // What is no name-addr is still read as before.
    expect(uris('<sip:1001@h>;tag=1 junk', 'sip:1002@h ;x')).toBe('sip:1001@h sip:1002@h');
  });
});
