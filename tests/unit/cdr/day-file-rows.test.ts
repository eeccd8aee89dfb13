// A day file read a slice at a time (core/cdr/day-file-rows.ts): a million-row original read whole took
// gigabytes. The slices give the rows parseCsv gives the whole text, a quoted line break never cut.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../core/cdr/csv-read';
import { dayFileEncoding, dayFileRows } from '../../../core/cdr/day-file-rows';
import { makeDataDir, useDataDirs } from '../store/data-dir';

useDataDirs();

describe('dayFileRows', () => {
  it('gives a 3 MB file in slices, the same rows as the whole text', async () => {
    const file = join(makeDataDir(), 'day.csv');
    const line = (i: number) =>
      `${i},"a ""quoted"" field, with a comma\r\nand a line break",${'y'.repeat(80)}\r\n`;
    writeFileSync(file, `\uFEFFa,b,c\r\n${Array.from({ length: 25_000 }, (_, i) => line(i)).join('')}`);
    const slices: string[][][] = [];
    for await (const rows of dayFileRows(file, await dayFileEncoding(file))) slices.push(rows);
    // 128 KB a slice, about 500 of the original's rows: parsed in a few ms, SIP served between two.
    expect(slices.length).toBeGreaterThanOrEqual(24);
    expect(slices.flat()).toEqual(parseCsv(readFileSync(file, 'utf8')));
  });

  it('takes a file that is not UTF-8 for GB18030', async () => {
    const file = join(makeDataDir(), 'gbk.csv');
    writeFileSync(file, Buffer.from([0x61, 0x2c, 0xc4, 0xe3, 0xba, 0xc3, 0x0d, 0x0a]));
    expect(await dayFileEncoding(file)).toBe('gb18030');
    const rows: string[][] = [];
    for await (const slice of dayFileRows(file, 'gb18030')) rows.push(...slice);
    expect(rows).toEqual([['a', '你好']]);
  });
});
