import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CDR_CSV_HEADER,
  CdrArchive,
  cdrCsvLine,
  csvField,
  csvLine,
  escapeCellControls,
  guardFormula,
} from '../../../core/cdr/csv';
import { callRecord, messageRecord, registrationRecord } from '../../../core/cdr/from-events';
import { CDR_COLUMN_KINDS, CDR_COLUMNS } from '../../../core/cdr/record';
import type { CdrRecord } from '../../../core/cdr/record';
import { makeDataDir, useDataDirs } from '../store/data-dir';
import { binding, call, message, numbered, readCsv, registration, useShanghaiTime } from './fixtures';

useDataDirs();
useShanghaiTime();

describe('RFC 4180 fields', () => {
  it('quotes only fields with a comma, a quote, CR or LF, doubling quotes', () => {
    expect(csvField('plain text')).toBe('plain text');
    expect(csvField('')).toBe('');
    expect(csvField('PCMU, PCMA')).toBe('"PCMU, PCMA"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('a\r\nb')).toBe('"a\r\nb"');
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField('a\rb')).toBe('"a\rb"');
    expect(csvLine(['1', 'x,y', '"', ''])).toBe('1,"x,y","""",');
  });

  it("quotes a cell holding ';': where it is the list separator, its second part would start a formula", () => {
    const r: CdrRecord = { ...numbered(9, callRecord(call())), user_agent: "x;=cmd|' /C calc'!A0" };
    const line = cdrCsvLine(r);
    expect(line).toContain(`,"x;=cmd|' /C calc'!A0",`);
    const [fields] = readCsv(line);
    expect(fields![CDR_COLUMNS.indexOf('user_agent')]).toBe("x;=cmd|' /C calc'!A0");
    expect(csvField('a;b')).toBe('"a;b"');
  });

  it("a call line: blanks where the original left them, duration as the original's float", () => {
    const r = numbered(
      1,
      callRecord(call({ state: 'failed', answeredAt: undefined, statusCode: 486, statusText: 'Busy Here' })),
    );
    const line = cdrCsvLine(r);
    expect(line.endsWith('\r\n')).toBe(true);
    const [fields] = readCsv(line);
    const byName = Object.fromEntries(CDR_COLUMNS.map((c, i) => [c, fields![i]]));
    expect(fields).toHaveLength(CDR_COLUMNS.length);
    expect(byName).toMatchObject({
      record_id: '20261124003805000001',
      duration: '',
      setup_time: '',
      status_code: '486',
      codec: 'PCMU, PCMA',
      expires: '',
      answered_at: '',
      talk_ms: '0',
    });
    expect(line).toContain(',"PCMU, PCMA",');
    const answered = readCsv(cdrCsvLine(numbered(2, callRecord(call()))))[0]!;
    expect(answered[CDR_COLUMNS.indexOf('duration')]).toBe('3.0');
    expect(answered[CDR_COLUMNS.indexOf('setup_time')]).toBe('0.50s');
    expect(answered[CDR_COLUMNS.indexOf('setup_ms')]).toBe('503');
    const precise = readCsv(
      cdrCsvLine(numbered(3, callRecord(call({ endedAt: call().answeredAt! + 12_345 })))),
    )[0]!;
    expect(precise[CDR_COLUMNS.indexOf('duration')]).toBe('12.35');
  });
});

describe('CdrArchive', () => {
  it('writes CDR/<date>/cdr_<date>.csv with the header once and the rows in order', () => {
    const dir = makeDataDir();
    const archive = new CdrArchive(dir);
    const reg = numbered(1, registrationRecord(registration('bound', binding())));
    const msg = numbered(2, messageRecord(message()));
    archive.appendDay('2026-11-24', [reg]);
    archive.appendDay('2026-11-24', [msg]);

    const file = join(dir, 'CDR', '2026-11-24', 'cdr_2026-11-24.csv');
    expect(archive.dayFile('2026-11-24')).toBe(file);
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith(CDR_CSV_HEADER)).toBe(true);
    expect(text.split(CDR_CSV_HEADER)).toHaveLength(2); // header exactly once
    expect(text).toBe(CDR_CSV_HEADER + cdrCsvLine(reg) + cdrCsvLine(msg));

    const rows = readCsv(text);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual([...CDR_COLUMNS]);
    const body = rows[2]![CDR_COLUMNS.indexOf('message_body')];
    expect(body).toBe('Hello, "Bob"\r\nsecond line');
    expect(text).toContain('"Hello, ""Bob""\r\nsecond line"');
    expect(rows[1]![CDR_COLUMNS.indexOf('expires')]).toBe('3600');
  });

  it('writes UTF-8 and adds the header to an existing empty file', () => {
    const dir = makeDataDir();
    const archive = new CdrArchive(dir);
    mkdirSync(join(dir, 'CDR', '2026-11-25'), { recursive: true });
    writeFileSync(archive.dayFile('2026-11-25'), '');
    const r = numbered(1, messageRecord(message({ body: '你好，世界' })));
    archive.appendDay('2026-11-25', [r]);
    const bytes = readFileSync(archive.dayFile('2026-11-25'));
    expect(bytes.toString('utf8')).toBe(CDR_CSV_HEADER + cdrCsvLine(r));
    expect(bytes.includes(Buffer.from('你好，世界', 'utf8'))).toBe(true);
  });

  it("sets aside a day file with another header (the original's 34 columns), whole, before appending", () => {
    const dir = makeDataDir();
    mkdirSync(join(dir, 'CDR', '2026-11-26'), { recursive: true });
    const original = `${CDR_COLUMNS.slice(0, 34).join(',')}\r\n`;
    const archive = new CdrArchive(dir);
    writeFileSync(archive.dayFile('2026-11-26'), original);
    const r = numbered(1, messageRecord(message()));
    archive.appendDay('2026-11-26', [r]);
    archive.appendDay('2026-11-26', [r]);
    expect(readFileSync(archive.dayFile('2026-11-26'), 'utf8')).toBe(
      CDR_CSV_HEADER + cdrCsvLine(r).repeat(2),
    );
    expect(readFileSync(join(dir, 'CDR', '2026-11-26', 'cdr_2026-11-26_before.csv'), 'utf8')).toBe(original);
    // A restart with the file now ours appends to it; another foreign one next to the first is -2.
    expect(new CdrArchive(dir).appendDay('2026-11-26', [r])).toBeUndefined();
    expect(readCsv(readFileSync(archive.dayFile('2026-11-26'), 'utf8'))).toHaveLength(4);
    writeFileSync(archive.dayFile('2026-11-26'), original);
    new CdrArchive(dir).appendDay('2026-11-26', [r]);
    expect(readFileSync(join(dir, 'CDR', '2026-11-26', 'cdr_2026-11-26_before-2.csv'), 'utf8')).toBe(
      original,
    );
    // While it runs: the original's file copied over the day's (cp writes into the same file) is set
    // aside too, not appended to (this version's rows under the original's header).
    const running = new CdrArchive(dir);
    running.appendDay('2026-11-26', [r]);
    const withRow = `${original}${'1,'.repeat(33)}1\r\n`;
    writeFileSync(archive.dayFile('2026-11-26'), withRow);
    running.appendDay('2026-11-26', [r]);
    expect(readFileSync(join(dir, 'CDR', '2026-11-26', 'cdr_2026-11-26_before-3.csv'), 'utf8')).toBe(withRow);
    expect(readFileSync(archive.dayFile('2026-11-26'), 'utf8')).toBe(CDR_CSV_HEADER + cdrCsvLine(r));
  });

  it('lists and removes day folders, never exports, and refuses a bad day name', async () => {
    const dir = makeDataDir();
    const archive = new CdrArchive(dir);
    expect(archive.days()).toEqual([]);
    const r = numbered(1, messageRecord(message()));
    for (const d of ['2026-11-20', '2026-11-22', '2026-11-24']) archive.appendDay(d, [r]);
    await archive.writeExport('cdr_export_all', [[r]]);
    expect(archive.days()).toEqual(['2026-11-20', '2026-11-22', '2026-11-24']);
    expect(archive.removeDays('2026-11-22')).toEqual(['2026-11-20']);
    expect(archive.days()).toEqual(['2026-11-22', '2026-11-24']);
    expect(archive.removeDays(undefined)).toEqual(['2026-11-22', '2026-11-24']);
    expect(existsSync(join(dir, 'CDR', 'exports', 'cdr_export_all.csv'))).toBe(true);
    expect(() => archive.dayFile('../../etc')).toThrow(/not a CDR day/);
  });

  it('exports never overwrite: a taken name gets _2, _3 (as every export, new-file.ts)', async () => {
    const archive = new CdrArchive(makeDataDir());
    const r = numbered(1, messageRecord(message()));
    const first = await archive.writeExport('x', [[r]]);
    const second = await archive.writeExport('x', [[r], [r]]);
    expect(first.path.endsWith('x.csv')).toBe(true);
    expect(second.path.endsWith('x_2.csv')).toBe(true);
    expect(second.count).toBe(2);
    expect(readFileSync(first.path, 'utf8')).toBe(CDR_CSV_HEADER + cdrCsvLine(r));
  });
});

describe('CSV injection guard (OWASP)', () => {
  it('prefixes a quote to text cells a spreadsheet would run as a formula; numbers stay numbers', () => {
    const base = numbered(7, callRecord(call()));
    const r: CdrRecord = {
      ...base,
      user_agent: '=HYPERLINK("http://evil.example","click")',
      callee_user_agent: '+SUM(A1:A9)',
      message_body: '@cmd',
      caller_uri: '-2+3',
    };
    const [fields] = readCsv(cdrCsvLine(r));
    const byName = Object.fromEntries(CDR_COLUMNS.map((c, i) => [c, fields![i]]));
    expect(byName.user_agent).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(byName.callee_user_agent).toBe(`'+SUM(A1:A9)`);
    expect(byName.message_body).toBe(`'@cmd`);
    expect(byName.caller_uri).toBe(`'-2+3`);
    expect(guardFormula('\tx')).toBe(`'\tx`);
    expect(guardFormula('\rx')).toBe(`'\rx`);
    expect(guardFormula('sip:1001@lab')).toBe('sip:1001@lab');
    expect(byName.duration).toBe(String(base.duration === null ? '' : Number(base.duration).toFixed(1)));
  });

  it('leaves signed numbers as they are: E.164 callers, tel: numbers with separators', () => {
    const r: CdrRecord = {
      ...numbered(8, callRecord(call())),
      caller_number: '+8613800001001',
      callee_number: '+1-555-0100',
      user_agent: '-Phone 1.0',
      callee_user_agent: '+1 (555) 0100',
    };
    const [fields] = readCsv(cdrCsvLine(r));
    const byName = Object.fromEntries(CDR_COLUMNS.map((c, i) => [c, fields![i]]));
    expect(byName.caller_number).toBe('+8613800001001');
    expect(byName.callee_number).toBe('+1-555-0100');
    expect(byName.callee_user_agent).toBe('+1 (555) 0100');
    expect(byName.user_agent).toBe(`'-Phone 1.0`);
    expect(guardFormula('-5')).toBe('-5');
    expect(guardFormula('+')).toBe(`'+`);
  });
});

describe('control characters a peer sent', () => {
  it('are escaped in the day file as the log escapes them; tabs and line breaks stay, the columns too', () => {
    const base = numbered(9, callRecord(call()));
    const r: CdrRecord = {
      ...base,
      user_agent: 'evil\rFAKE 2026 [ERROR   ] x\x1b[2J\x07',
      callee_user_agent: 'ev\x00il',
      message_body: 'line 1\r\nline\t2\n\u009b31m\u2028',
    };
    const line = cdrCsvLine(r);
    // Nothing a terminal acts on but the line break inside the quoted body and the row's own CRLF.
    // eslint-disable-next-line no-control-regex -- looking for control characters
    expect(line.replace(/\r\n|\n|\t/g, '')).not.toMatch(/[\x00-\x1f\x7f-\x9f\u2028\u2029]/);
    const [fields] = readCsv(line);
    expect(fields).toHaveLength(CDR_COLUMNS.length);
    const byName = Object.fromEntries(CDR_COLUMNS.map((c, i) => [c, fields![i]]));
    expect(byName.user_agent).toBe('evil\\x0DFAKE 2026 [ERROR   ] x\\x1B[2J\\x07');
    expect(byName.callee_user_agent).toBe('ev\\x00il');
    expect(byName.message_body).toBe('line 1\r\nline\t2\n\\x9B31m\\u2028');
    // Cells without one are written as they were (no escaping, no quoting).
    expect(escapeCellControls('Linphone/5.2 (belle-sip)')).toBe('Linphone/5.2 (belle-sip)');
  });

  it('bidi overrides and zero-width characters are escaped too (a spreadsheet or editor would reorder the cell); RTL letters stay', () => {
    const base = numbered(9, callRecord(call()));
    const r: CdrRecord = {
      ...base,
      user_agent: 'Phone \u202Ekcatta',
      caller_uri: '"\u2066gnp.exe\u2069\u200B" <sip:1001@lab>',
      end_reason: 'Normal \u061C\u200F\u202A\u202D',
      callee_user_agent: 'هاتف עברית',
    };
    const [fields] = readCsv(cdrCsvLine(r));
    const byName = Object.fromEntries(CDR_COLUMNS.map((c, i) => [c, fields![i]]));
    expect(byName.user_agent).toBe('Phone \\u202Ekcatta');
    expect(byName.caller_uri).toBe('"\\u2066gnp.exe\\u2069\\u200B" <sip:1001@lab>');
    expect(byName.end_reason).toBe('Normal \\u061C\\u200F\\u202A\\u202D');
    expect(byName.callee_user_agent).toBe('هاتف עברית');
  });
});

describe('cdrCsvLine', () => {
  // The rule written plainly: every cell's controls escaped, guarded, then quoted as needed; null blank; REAL integers "3.0".
  const reference = (r: CdrRecord): string =>
    csvLine(
      CDR_COLUMNS.map((c) => {
        const v = r[c];
        if (v === null) return '';
        if (typeof v === 'string') return guardFormula(escapeCellControls(v));
        return CDR_COLUMN_KINDS[c] === 'real' && Number.isInteger(v) ? v.toFixed(1) : String(v);
      }),
    ) + '\r\n';

  it('writes the cells the plain rule writes, for awkward text in every column', () => {
    const awkward = [
      '',
      'plain',
      '=1+1',
      '+49 30',
      '-3',
      '@SUM(A1)',
      '\tx',
      '\rx',
      'a,b',
      'a;=b',
      'say "hi"',
      'a\r\nb',
      'x=1',
      'Zoë, 北京',
      "'quoted",
      ' lead',
      ',',
      '"',
      '-',
      '=',
      '+8613800001001',
      '+1 (555) 0100',
      '-Phone',
      'evil\rFAKE [ERROR   ] x\x1b[2J\x07',
      'ev\x00il',
      '\x9b31m',
      'a\u2028b',
      'rlo\u202Eevil',
      'zw\u200Bsp\u2066iso\u2069',
      'tab\tinside',
      'a\nb',
    ];
    const base = numbered(1, callRecord(call({ id: 'c1', callId: 'c1@x' }), Date.now()));
    let n = 0;
    for (const column of CDR_COLUMNS) {
      if (typeof base[column] !== 'string') continue;
      for (const text of awkward) {
        const r = { ...base, [column]: text } as CdrRecord;
        expect(cdrCsvLine(r), `${column} = ${JSON.stringify(text)}`).toBe(reference(r));
        n++;
      }
    }
    expect(n).toBeGreaterThan(500);
    for (const duration of [null, 0, 3, 12.5]) {
      const r = { ...base, duration } as CdrRecord;
      expect(cdrCsvLine(r)).toBe(reference(r));
    }
  });
});
