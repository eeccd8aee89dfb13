// Campaign numbers as the original read them (comma lists, ranges, reversed ranges swapped, duplicates
// dropped in order, a non-numeric "range" dialled literally), with its silent skip of wide ranges
// replaced by ranges of up to 100,000 numbers and a clear error beyond; CSV files of numbers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_NUMBERS, NumberListError, parseNumbers, readNumbersFile } from '../../../core/dialer/numbers';
import { CampaignStatistics, percentile, type CallResult } from '../../../core/dialer/statistics';
import { zhText } from '../../../core/mml/zh';

const dir = mkdtempSync(join(tmpdir(), 'ims-numbers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('campaign numbers', () => {
  it('expands lists and ranges, swaps reversed ranges, drops duplicates keeping the first', () => {
    expect(parseNumbers('1001,1003-1005')).toEqual(['1001', '1003', '1004', '1005']);
    expect(parseNumbers('1005-1003')).toEqual(['1003', '1004', '1005']);
    expect(parseNumbers(' 1002 , 1001-1003,1002,,1001 ')).toEqual(['1002', '1001', '1003']);
    const tally = { repeats: 0 };
    expect(parseNumbers('2002,2003,2099,2002,2003,2002', tally)).toEqual(['2002', '2003', '2099']);
    expect(tally.repeats).toBe(3); // STR CALL says "(3 repeats left out)"
    expect(parseNumbers('0098-0101')).toEqual(['0098', '0099', '0100', '0101']);
    expect(parseNumbers('abc-def')).toEqual(['abc-def']); // the original dialled it literally
    // A Chinese input method's separators (NUMBERS=1009，1008 was one "number" refused).
    expect(parseNumbers('1009，1008、1001-1002；1003')).toEqual(['1009', '1008', '1001', '1002', '1003']);
  });

  it('takes a range of 100,000 numbers and names a wider one', () => {
    const all = parseNumbers('100000-199999');
    expect(all.length).toBe(MAX_NUMBERS);
    expect(all[0]).toBe('100000');
    expect(all.at(-1)).toBe('199999');
    expect(() => parseNumbers('100000-200000')).toThrow(NumberListError);
    expect(() => parseNumbers('100000-200000')).toThrow(
      'range 100000-200000 has 100001 numbers; at most 100000 are allowed',
    );
    expect(() => parseNumbers('1-60000,70000-130000')).toThrow('more than 100000 numbers in one campaign');
  });

  it('refuses what cannot be dialled', () => {
    expect(() => parseNumbers('1001,10x 02')).toThrow('"10x 02" is not a number that can be dialled');
    expect(() => parseNumbers('<sip:x>')).toThrow(NumberListError);
    for (const typo of ['1001-', '-5', '1001--1005', '1001-1002-1003'])
      expect(() => parseNumbers(`1000,${typo}`)).toThrow(`"${typo}" is neither a number nor a range a-b`);
    expect(() => parseNumbers('1.001E+3')).toThrow("spreadsheet's exponent form");
    // As the original: a "range" of names is one literal user, and service codes stay as they are.
    expect(parseNumbers('abc-def,*21#,+4930')).toEqual(['abc-def', '*21#', '+4930']);
    // ';' separates as ',' does (as in a numbers file): two numbers, not the user "3001;3002".
    expect(parseNumbers('3001;3002, 3003')).toEqual(['3001', '3002', '3003']);
  });

  it('dials a number written with visual separators without them, the + kept (RFC 3966 §5.1.1)', () => {
    // +49-30-1 was dialled as the user "+49-30-1" (a 404 where the lab routes +49301).
    expect(parseNumbers('+49-30-1')).toEqual(['+49301']);
    expect(parseNumbers('+49 (30) 1234.56, (030) 1234-5678; +1.555.123.4567, 10 02')).toEqual([
      '+4930123456',
      '03012345678',
      '+15551234567',
      '1002',
    ]);
    // The same number written two ways is one number.
    expect(parseNumbers('+49301,+49-30-1')).toEqual(['+49301']);
    // Ranges, words, service codes and typos are as they were.
    expect(parseNumbers('1001 - 1002,abc-def,*21#,alice.b')).toEqual([
      '1001',
      '1002',
      'abc-def',
      '*21#',
      'alice.b',
    ]);
    expect(() => parseNumbers('1001-1002-1003')).toThrow('neither a number nor a range a-b');
    // Dropping the dots of these would dial another number (10010, 10011005): refused, naming them.
    expect(() => parseNumbers('1001.0')).toThrow(
      '"1001.0" is a spreadsheet\'s decimal form: write the number out',
    );
    expect(() => parseNumbers('1001..1005')).toThrow('"1001..1005" is neither a number nor a range a-b');
    expect(zhText('Parameter NUMBERS: "1001.0" is a spreadsheet\'s decimal form: write the number out')).toBe(
      '参数 NUMBERS 错误: "1001.0" 是电子表格的小数形式：请写出完整号码',
    );
  });

  it("reads a number file's numbers written with separators, a quoted one with spaces too", () => {
    const f = join(dir, 'written.csv');
    writeFileSync(f, 'MSISDN,Name\n"+49 30 1234-5",Alice\n+49-30-1,Bob\n(030) 99.88;Carol\n+49301\n');
    expect(readNumbersFile(f)).toEqual(['+493012345', '+49301', '0309988']);
  });

  it('reads a CSV: first column, header and comments skipped, ranges allowed', () => {
    const f = join(dir, 'n.csv');
    writeFileSync(f, '\uFEFFnumber,name\n1001,Alice\n"1002",Bob\n# skip\n\n2000-2002;x\n1001\n');
    expect(readNumbersFile(f)).toEqual(['1001', '1002', '2000', '2001', '2002']);
    expect(() => readNumbersFile(join(dir, 'missing.csv'))).toThrow(/cannot read .*missing\.csv: ENOENT/);
    // Unreadable (STR CALL BATCH's RETCODE 7, as IMP USER's), unlike bad content (8).
    const unreadable = (path: string): boolean | undefined => {
      try {
        readNumbersFile(path);
        return undefined;
      } catch (err) {
        return (err as NumberListError).unreadable;
      }
    };
    expect(unreadable(join(dir, 'missing.csv'))).toBe(true);
    expect(unreadable(dir)).toBe(true);
    writeFileSync(join(dir, 'latin1.csv'), Buffer.from([0x31, 0x30, 0x30, 0x31, 0x0a, 0xe9, 0x0a]));
    expect(unreadable(join(dir, 'latin1.csv'))).toBe(false);
  });

  it('names the line of a bad cell; a header with words over a column of numbers is no number', () => {
    const f = join(dir, 'bad.csv');
    writeFileSync(f, 'number\n1001\n# note\nfoo bar\n1002\n');
    expect(() => readNumbersFile(f)).toThrow(
      new NumberListError(`${f} line 4: "foo bar" is not a number that can be dialled`),
    );
    writeFileSync(f, '1001\n1001-\n');
    expect(() => readNumbersFile(f)).toThrow(`${f} line 2: "1001-" is neither a number nor a range a-b`);
    for (const header of ['Phone1,Name', 'MSISDN (E.164)']) {
      writeFileSync(f, `${header}\n1001,a\n2000-2001,b\n`);
      expect(readNumbersFile(f), header).toEqual(['1001', '2000', '2001']);
    }
    // Users by name are numbers too: a first row of names over names is dialled.
    writeFileSync(f, 'alice1\nbob\n');
    expect(readNumbersFile(f)).toEqual(['alice1', 'bob']);
  });

  it('refuses a line of words among numbers, naming it, as a header after the first line is no header', () => {
    // Before, only the first row without a digit was taken as a header: "hello" and "20x5" further down
    // were dialled as user names, each a 404 counted as a failure in ASR, and nothing said so.
    const f = join(dir, 'junk.csv');
    writeFileSync(f, '2000\n2001\nhello\n2002-2003\n\n  2004  \n');
    const stray = (line: number, text: string): string =>
      `${f} line ${line}: "${text}" is no number, among numbers: start a line that is no number with #`;
    expect(() => readNumbersFile(f)).toThrow(new NumberListError(stray(3, 'hello')));
    writeFileSync(f, 'number\n2000\n20x5\n');
    expect(() => readNumbersFile(f)).toThrow(new NumberListError(stray(3, '20x5')));
    writeFileSync(f, 'Phone1,Name\n2000,a\nTOTAL,1\n');
    expect(() => readNumbersFile(f)).toThrow(new NumberListError(stray(3, 'TOTAL')));
    writeFileSync(f, '2000\nn/a\n');
    expect(() => readNumbersFile(f)).toThrow(new NumberListError(stray(2, 'n/a')));
    // 中文 names the line too.
    expect(zhText(`Parameter FILE: ${stray(3, 'hello')}`)).toBe(
      `参数 FILE 错误: ${f} 第 3 行: "hello" 不是号码，而文件的其他行都是号码：不是号码的行请以 # 开头`,
    );
    // Commented out, the file is read; service codes and + are numbers.
    writeFileSync(f, '2000\n# hello\n*21#\n+4930\n');
    expect(readNumbersFile(f)).toEqual(['2000', '*21#', '+4930']);
  });

  it('says a UTF-16 or UTF-32 file must be UTF-8 or ASCII, rather than naming its bytes read as UTF-8', () => {
    const text = 'number\r\n1001\r\n10x2\r\n';
    const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const utf16be = Buffer.from(utf16le).swap16();
    const utf32le = Buffer.concat([
      Buffer.from([0xff, 0xfe, 0, 0]),
      ...[...text].map((c) => Buffer.from([c.charCodeAt(0), 0, 0, 0])),
    ]);
    const cases: [string, Buffer, string][] = [
      ['le.csv', utf16le, 'is UTF-16 text (it starts with its byte order mark)'],
      ['be.csv', utf16be, 'is UTF-16 text (it starts with its byte order mark)'],
      ['32.csv', utf32le, 'is UTF-32 text (it starts with its byte order mark)'],
      // No mark: its NUL bytes tell.
      ['nobom.csv', Buffer.from(text, 'utf16le'), 'holds NUL bytes (UTF-16 or UTF-32 text, or not text)'],
    ];
    for (const [name, bytes, why] of cases) {
      const f = join(dir, name);
      writeFileSync(f, bytes);
      expect(() => readNumbersFile(f), name).toThrow(
        new NumberListError(`${f} ${why}: a numbers file must be UTF-8 or ASCII text; save it as UTF-8`),
      );
    }
  });
});

describe('campaign statistics', () => {
  const call = (over: Partial<CallResult>): CallResult => ({
    number: '1',
    callId: 'x',
    status: 200,
    reason: 'OK',
    answered: true,
    end: 'local',
    startedAt: 0,
    endedAt: 0,
    talkMs: 0,
    rtpSent: 0,
    rtpReceived: 0,
    rtpLost: 0,
    jitterMs: 0,
    maxJitterMs: 0,
    ...over,
  });

  it('counts calls the operator cleared before the answer apart: not failed, not in ASR nor under 487', () => {
    const s = new CampaignStatistics();
    s.placed = 4;
    s.add(call({}));
    s.add(call({ status: 486, answered: false }));
    s.add(call({ status: 487, answered: false, end: 'cancelled', cancelledByOperator: true }));
    s.add(call({ status: 0, answered: false, end: 'cancelled', cancelledByOperator: true }));
    // ITU-T E.411: ASR is answered seizures over seizures; the two cleared by the operator are neither.
    expect(s.figures()).toMatchObject({
      completed: 4,
      answered: 1,
      failed: 1,
      cancelled: 2,
      byCode: { '486': 1 },
      asr: 50,
    });
    expect(s.counts()).toEqual({ placed: 4, answered: 1, failed: 1, cancelled: 2 });
    // The ring timeout's CANCEL is a failure (no answer), under the 487 it brings back.
    s.add(call({ status: 487, answered: false, end: 'cancelled', reason: 'No answer' }));
    expect(s.figures()).toMatchObject({ failed: 2, cancelled: 2, byCode: { '486': 1, '487': 1 } });
  });

  it('computes ASR, ACD, PDD percentiles, failures by code and RTP totals', () => {
    const s = new CampaignStatistics();
    s.placed = 4;
    s.add(
      call({
        talkMs: 4000,
        pddMs: 100,
        rtpSent: 200,
        rtpReceived: 198,
        rtpLost: 2,
        jitterMs: 1,
        maxJitterMs: 3,
      }),
    );
    s.add(call({ talkMs: 2000, pddMs: 300, rtpSent: 100, rtpReceived: 100, jitterMs: 0.5, maxJitterMs: 1 }));
    s.add(call({ status: 486, answered: false, pddMs: 50 }));
    s.add(call({ status: 480, answered: false, pddMs: 20 }));
    expect(s.figures()).toEqual({
      placed: 4,
      completed: 4,
      answered: 2,
      failed: 2,
      cancelled: 0,
      byCode: { '480': 1, '486': 1 },
      asr: 50,
      acdSeconds: 3,
      pddP50Ms: 50,
      pddP95Ms: 300,
      rtpSent: 300,
      rtpReceived: 298,
      rtpLost: 2,
      jitterMeanMs: 0.75,
      jitterMaxMs: 3,
    });
    expect(percentile([], 50)).toBeNull();
  });

  it('counts calls answered and still talking in ASR: their seizure was answered', () => {
    const s = new CampaignStatistics();
    s.placed = 3;
    const live = { answered: 2, rtpSent: 0, rtpReceived: 0, rtpLost: 0 };
    expect(s.figures(live)).toMatchObject({ answered: 2, failed: 0, asr: 100 });
    s.add(call({ status: 404, answered: false }));
    expect(s.figures(live)).toMatchObject({ answered: 2, failed: 1, asr: 66.67 });
    expect(s.figures()).toMatchObject({ asr: 0 });
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
  });
});
