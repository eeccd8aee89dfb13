import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RETCODE } from '../../../core/mml/command';
import {
  logFileOf,
  READ_CHUNK_BYTES,
  readLogFileTail,
  readLogFileTailAsync,
} from '../../../core/observe/log-file';
import { Logger } from '../../../core/observe/logger';
import { openLab, run, useLabs } from './lab';

useLabs();

describe('SET LOG', () => {
  it('changes the level at once and in the settings (SET LOGLEVEL LOGLEVEL= is the original spelling)', async () => {
    const lab = openLab();
    const r = await run(lab, 'SET LOG LEVEL=debug');
    expect(r).toMatchObject({
      retcode: 0,
      message: 'LOG.LEVEL = DEBUG (was INFO); not saved yet: SAVE CFG writes it to config.json',
      restartNeeded: false,
    });
    expect(lab.logger.level).toBe('DEBUG');
    expect(lab.settings.str('LOG.LEVEL')).toBe('DEBUG');
    await run(lab, 'SET LOGLEVEL LOGLEVEL=ERROR');
    expect(lab.logger.level).toBe('ERROR');
  });

  it('refuses a level it does not have (the original offered CRITICAL and then refused it)', async () => {
    const lab = openLab();
    expect(await run(lab, 'SET LOG LEVEL=CRITICAL')).toMatchObject({
      retcode: RETCODE.PARAMETER_ERROR,
      message: 'Parameter LEVEL: expected one of DEBUG, INFO, WARNING, ERROR, got "CRITICAL"',
    });
    expect(await run(lab, 'SET LOG')).toMatchObject({
      retcode: RETCODE.PARAMETER_ERROR,
      message: 'Missing parameter LEVEL (The lowest level logged) required by SET LOG',
    });
    expect(lab.logger.level).toBe('INFO');
  });
});

describe('DSP LOG', () => {
  it('shows the newest records, filtered by level and keyword', async () => {
    const lab = openLab();
    const log = lab.logger.for('registrar');
    lab.logger.setLevel('DEBUG');
    log.debug('REGISTER from 1001');
    log.info('bound sip:1001@ims.lab');
    log.warning('423 to 1002');
    lab.logger.for('proxy').error('no route to 1003');
    log.info('bound sip:1004@ims.lab');

    const all = await run(lab, 'DSP LOG RECENT LINES=3');
    expect(all.message).toBe('Log level DEBUG; 3 record(s); older records: DSP LOG LIMIT=3 BEFORE=2');
    expect(all.tables[0]!.columns.map((c) => c.type)).toEqual(['time', 'string', 'string', 'string']);
    expect(all.tables[0]!.rows.map((r) => r.slice(1))).toEqual([
      ['WARNING', 'registrar', '423 to 1002'],
      ['ERROR', 'proxy', 'no route to 1003'],
      ['INFO', 'registrar', 'bound sip:1004@ims.lab'],
    ]);
    expect(typeof all.tables[0]!.rows[0]![0]).toBe('number');
    // A bad value is named as it was written (LINES, the original's name), with the parameter it stands for.
    const bad = await run(lab, 'DSP LOG RECENT LINES=-5');
    expect(bad.retcode).toBe(3);
    expect(bad.message).toMatch(/^Parameter LINES \(LIMIT\): expected an integer 1\.\.1000/);

    const texts = async (cmd: string) => (await run(lab, cmd)).tables[0]!.rows.map((r) => r[3]);
    expect(await texts('DSP LOG LEVEL=WARNING')).toEqual(['423 to 1002', 'no route to 1003']);
    // The level in force, then the one asked for: not one read as the other.
    expect((await run(lab, 'DSP LOG LEVEL=WARNING')).message).toBe(
      'Log level DEBUG, WARNING and above shown; 2 record(s)',
    );
    const [zh] = await lab.engine.execute('DSP LOG LEVEL=WARNING', 'tester', { lang: 'zh' });
    expect(zh!.message).toBe('日志级别 DEBUG，显示 WARNING 及以上；2 条日志');
    expect(await texts('DSP LOG SEARCH KEYWORD=SIP:100')).toEqual([
      'bound sip:1001@ims.lab',
      'bound sip:1004@ims.lab',
    ]);
    expect(await texts('DSP LOG KEYWORD=proxy')).toEqual(['no route to 1003']);
    expect(await texts('DSP LOG KEYWORD=nothing')).toEqual([]);
    expect((await run(lab, 'DSP LOG LIMIT=0')).message).toBe(
      'Parameter LIMIT: expected an integer 1..1000, got "0"',
    );
  });
});

describe('DSP LOG DATE= and DSP LOG CFG', () => {
  it("reads a day's file, as the original's DSP LOG did, with the same filters", async () => {
    const lab = openLab();
    const file = logFileOf(lab.dir, '2025-10-31');
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(
      file,
      [
        '2025-10-31 23:59:58.001 [INFO    ] [sip] registration: sip:1001@ims.lab bound',
        '2025-10-31 23:59:58.500 [DEBUG   ] [sip] received REGISTER',
        'Via: SIP/2.0/UDP 10.0.0.5;branch=z9hG4bK1',
        '2025-10-31 23:59:59.250 [WARNING ] [auth] auth: failed for 1002',
        '',
      ].join('\n'),
    );
    const r = await run(lab, 'DSP LOG DATE=YESTERDAY LINES=2');
    expect(r.message).toBe(`${file}: 2 record(s); older records: DSP LOG DATE=2025-10-31 LIMIT=2 BEFORE=78`);
    expect(r.tables[0]!.rows).toEqual([
      [
        new Date(2025, 9, 31, 23, 59, 58, 500).getTime(),
        'DEBUG',
        'sip',
        'received REGISTER\nVia: SIP/2.0/UDP 10.0.0.5;branch=z9hG4bK1',
      ],
      [new Date(2025, 9, 31, 23, 59, 59, 250).getTime(), 'WARNING', 'auth', 'auth: failed for 1002'],
    ]);
    const warnings = await run(lab, 'DSP LOG DATE=2025-10-31 LEVEL=WARNING');
    expect(warnings.tables[0]!.rows.map((row) => row[3])).toEqual(['auth: failed for 1002']);
    const none = await run(lab, 'DSP LOG DATE=2025-10-01');
    expect(none.retcode).toBe(RETCODE.NOT_FOUND);
    expect(none.message).toBe(`No log file for 2025-10-01: ${logFileOf(lab.dir, '2025-10-01')}`);
    expect((await run(lab, 'DSP LOG DATE=yesterday2')).retcode).toBe(RETCODE.PARAMETER_ERROR);
  });

  // Read at once, a 16 MB file held the event loop (SIP with it) 1.1-1.9 s: now a chunk a turn.
  it("reads the day's file off the event loop: it turns at least once a chunk while reading", async () => {
    const lab = openLab();
    const file = logFileOf(lab.dir, '2025-10-31');
    mkdirSync(join(file, '..'), { recursive: true });
    const line = (i: number): string =>
      `2025-10-31 12:00:00.000 [INFO    ] [sip] line ${i} ${'x'.repeat(100)}`;
    const lines = Array.from({ length: 20_000 }, (_, i) => line(i));
    writeFileSync(file, `${lines.join('\n')}\n`);
    const chunks = Math.ceil(Buffer.byteLength(`${lines.join('\n')}\n`) / READ_CHUNK_BYTES);
    expect(chunks).toBeGreaterThan(4);
    let turns = 0;
    let reading = true;
    const turn = (): void => {
      turns++;
      if (reading) setImmediate(turn);
    };
    setImmediate(turn);
    const r = await run(lab, 'DSP LOG DATE=2025-10-31 KEYWORD=nomatch');
    reading = false;
    expect(r.message).toBe(`${file}: 0 record(s)`);
    expect(turns).toBeGreaterThanOrEqual(chunks);
  });

  // LIMIT is 1000 at most: the 1,001st newest line of a busy day was out of reach (and whatever was
  // before the file's last 16 MB). Now the answer names the command of the page before it.
  it('pages back through a whole day, past LIMIT and past the window read, filters kept', async () => {
    const lab = openLab();
    const file = logFileOf(lab.dir, '2025-10-31');
    mkdirSync(join(file, '..'), { recursive: true });
    const lines: string[] = [];
    for (let i = 1; i <= 2500; i++) {
      lines.push(`2025-10-31 12:00:00.000 [${i % 5 === 0 ? 'WARNING ' : 'INFO    '}] [sip] line ${i}`);
      if (i % 7 === 0) lines.push(`    further line of ${i}`);
    }
    writeFileSync(file, `${lines.join('\n')}\n`);
    const seen: string[] = [];
    let command: string | undefined = 'DSP LOG DATE=2025-10-31 LIMIT=1000';
    for (let pages = 0; command !== undefined; pages++) {
      expect(pages).toBeLessThan(4);
      const r = await run(lab, command);
      expect(r.retcode).toBe(0);
      seen.unshift(...r.tables[0]!.rows.map((row) => String(row[3])));
      if (r.next !== undefined) expect(r.message).toBe(`${file}: 1000 record(s); older records: ${r.next}`);
      command = r.next;
    }
    expect(seen).toHaveLength(2500);
    expect(seen[0]).toBe('line 1');
    expect(seen[6]).toBe('line 7\nfurther line of 7');
    expect(seen[2499]).toBe('line 2500');
    // Filters are kept from page to page; the page before the first answers none and names no next.
    const warnings = await run(lab, 'DSP LOG DATE=2025-10-31 LEVEL=WARNING KEYWORD="line" LIMIT=400');
    expect(warnings.next).toMatch(
      /^DSP LOG DATE=2025-10-31 LEVEL=WARNING KEYWORD=line LIMIT=400 BEFORE=\d+$/,
    );
    const older = await run(lab, warnings.next!);
    expect(older.tables[0]!.rows.map((row) => row[3])).toEqual(
      seen.filter((t) => /^line \d*[05]\b/.test(t)).slice(0, 100),
    );
    expect(older.next).toBeUndefined();
    // A window smaller than the file (16 MB in use): every record is still reached, none twice.
    const all: string[] = [];
    let before: number | undefined;
    do {
      const tail = await readLogFileTailAsync(file, 1000, {}, 4096, 1000, before);
      all.unshift(...tail.records.map((r) => r.text));
      before = tail.next;
    } while (before !== undefined);
    expect(all).toEqual(seen);
  });

  it('pages back through the records in memory too', async () => {
    const lab = openLab();
    for (let i = 1; i <= 30; i++) lab.logger.for('t').info(`m${i}`);
    const first = await run(lab, 'DSP LOG LIMIT=20 KEYWORD=m');
    expect(first.tables[0]!.rows.at(-1)![3]).toBe('m30');
    expect(first.next).toMatch(/^DSP LOG KEYWORD=m LIMIT=20 BEFORE=\d+$/);
    expect(first.message).toBe(`Log level INFO; 20 record(s); older records: ${first.next}`);
    const [zh] = await lab.engine.execute(first.next!, 'tester', { lang: 'zh' });
    expect(zh!.message).toBe('日志级别 INFO；10 条日志');
    const second = await run(lab, first.next!);
    expect(second.tables[0]!.rows.map((r) => r[3])).toEqual(
      Array.from({ length: 10 }, (_, i) => `m${i + 1}`),
    );
    expect(second.next).toBeUndefined();
  });

  it('CFG shows the level and where today is written', async () => {
    const lab = openLab();
    const r = await run(lab, 'DSP LOG CFG');
    expect(r.retcode).toBe(0);
    expect(r.tables[0]!.rows[0]!.slice(0, 2)).toEqual(['INFO', logFileOf(lab.dir, '2025-11-01')]);
  });
});

describe('what a peer puts in a log record', () => {
  it('cannot pass for a record of its own, nor drive the terminal: controls escaped, further lines indented', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ims-log-forge-'));
    try {
      const logger = new Logger({ level: 'DEBUG', console: false, dataDir: dir, recentCapacity: 10 });
      const forged = '2026-12-04 23:59:59.999 [ERROR   ] [appliance] FORGED';
      logger.for('sip').info(`User-Agent x\r${forged} \x1b[2J\x1b[31mred\x07 \u009b32m\u2028end\u0085`);
      logger.for('sip').debug(`received OPTIONS\nVia: SIP/2.0/UDP 10.0.0.5\n${forged}`);
      await logger.close();
      const file = logFileOf(dir, new Date().toLocaleDateString('sv'));
      const text = readFileSync(file, 'utf8');
      // eslint-disable-next-line no-control-regex -- none may be left
      expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]/);
      expect(text).toContain('User-Agent x\\x0D2026-12-04 23:59:59.999');
      expect(text).toContain('\\x1B[2J\\x1B[31mred\\x07');
      // The 8-bit CSI, NEL and the line separator too (C1 and U+2028 are controls of their own).
      expect(text).toContain('\\x9B32m\\u2028end\\x85');
      expect(text).toContain(`\n    ${forged}\n`);
      const records = readLogFileTail(file, 10).records;
      expect(records.map((r) => [r.level, r.source])).toEqual([
        ['INFO', 'sip'],
        ['DEBUG', 'sip'],
      ]);
      expect(records[1]!.text).toBe(`received OPTIONS\nVia: SIP/2.0/UDP 10.0.0.5\n${forged}`);
      expect(logger.recent(10)[0]!.text).toContain('\\x1B[2J');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('cannot reorder or hide the line: bidi overrides, isolates and zero-width characters escaped, RTL letters kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ims-log-bidi-'));
    try {
      const logger = new Logger({ level: 'INFO', console: false, dataDir: dir, recentCapacity: 10 });
      const hostile =
        '\u202Ekcatta \u2066x\u2069 a\u200Bb\u200F \u061C \u202A\u202B\u202C\u202D \u2067\u2068';
      // The joiners stay: Persian words and emoji sequences are written with them.
      logger
        .for('registrar')
        .info(`registration: 1001 bound, ${hostile} مرحبا שלום می\u200Cخواهم 👩\u200D💻`);
      await logger.close();
      const text = readFileSync(logFileOf(dir, new Date().toLocaleDateString('sv')), 'utf8');
      expect(text).not.toMatch(/[\u061c\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
      expect(text).toContain(
        '\\u202Ekcatta \\u2066x\\u2069 a\\u200Bb\\u200F \\u061C \\u202A\\u202B\\u202C\\u202D \\u2067\\u2068 مرحبا שלום می\u200Cخواهم 👩\u200D💻',
      );
      expect(logger.recent(10)[0]!.text).toContain('\\u202Ekcatta');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('readLogFileTailAsync', () => {
  it('answers as readLogFileTail does: records over chunk ends, multi-byte text, a cut file, filters', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ims-log-async-'));
    try {
      const file = join(dir, 'day.log');
      writeFileSync(
        file,
        [
          'junk before the first record',
          '2025-10-31 23:59:58.001 [INFO    ] [sip] registration: sip:1001@ims.lab bound — ✓ 中文',
          '2025-10-31 23:59:58.500 [DEBUG   ] [sip] received REGISTER',
          '    Via: SIP/2.0/UDP 10.0.0.5;branch=z9hG4bK1',
          'From: <sip:1001@ims.lab>;tag=ä',
          '2025-10-31 23:59:59.250 [WARNING ] [auth] auth: failed for 1002 😀',
          '2025-10-31 23:59:59.999 [ERROR   ] [sip] no newline at the end',
        ].join('\n'),
      );
      for (const [limit, filter, maxBytes] of [
        [1000, {}, undefined],
        [2, {}, undefined],
        [1000, { level: 'WARNING' }, undefined],
        [1000, { keyword: 'z9hG4' }, undefined],
        [1000, {}, 150],
        [1000, {}, 40],
        [0, {}, undefined],
      ] as const) {
        const want = readLogFileTail(file, limit, filter, maxBytes);
        for (const chunk of [1, 3, 7, 64, READ_CHUNK_BYTES])
          expect(await readLogFileTailAsync(file, limit, filter, maxBytes, chunk)).toEqual(want);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('readLogFileTail', () => {
  it('reads back what the logger wrote; a file larger than it reads is cut at a whole line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ims-log-file-'));
    try {
      const logger = new Logger({ level: 'INFO', console: false, dataDir: dir, recentCapacity: 0 });
      for (let i = 1; i <= 50; i++) logger.for('t').info(`line ${i}`);
      await logger.close();
      const [written] = readLogFileTail(
        logFileOf(dir, new Date().toLocaleDateString('sv')),
        1000,
      ).records.slice(-1);
      expect(written).toMatchObject({ level: 'INFO', source: 't', text: 'line 50' });
      const file = logFileOf(dir, new Date().toLocaleDateString('sv'));
      const tail = readLogFileTail(file, 1000, {}, 200);
      expect(tail.truncated).toBe(true);
      // 200 bytes hold four lines and a part of one, which is not taken for a record.
      expect(tail.records.map((r) => r.text)).toEqual(['line 47', 'line 48', 'line 49', 'line 50']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Logger.recent', () => {
  it('keeps a bounded ring of the records written, oldest first', () => {
    const logger = new Logger({ level: 'INFO', console: false, recentCapacity: 3 });
    const log = logger.for('t');
    log.debug('not written');
    for (let i = 1; i <= 5; i++) log.info(`m${i}`);
    expect(logger.recent(10).map((r) => r.text)).toEqual(['m3', 'm4', 'm5']);
    expect(logger.recent(2).map((r) => r.text)).toEqual(['m4', 'm5']);
    log.error('e6');
    expect(logger.recent(10, { level: 'ERROR' }).map((r) => r.text)).toEqual(['e6']);
    expect(logger.recent(10, { keyword: 'M4' }).map((r) => r.line)).toEqual([
      expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \[INFO {4}\] \[t\] m4$/),
    ]);
  });

  it('keeps nothing with a capacity of 0', () => {
    const logger = new Logger({ level: 'INFO', console: false, recentCapacity: 0 });
    logger.for('t').info('x');
    expect(logger.recent(10)).toEqual([]);
  });
  it('says while log lines cannot be written (for /healthz), and stops saying once they are', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ims-log-fail-'));
    try {
      writeFileSync(join(dir, 'logs'), 'a file where the logs folder should be');
      const logger = new Logger({ level: 'INFO', console: false, dataDir: dir, recentCapacity: 10 });
      logger.for('appliance').info('one');
      await logger.close();
      expect(logger.problem()).toMatch(/^log lines cannot be written to .*logs.*: Error: (ENOTDIR|EEXIST)/);
      rmSync(join(dir, 'logs'));
      logger.for('appliance').info('two');
      await logger.close();
      expect(logger.problem()).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
