// DSP CDR, DSP CDR STAT, EXP CDR and CLR CDR on a real SQLite CDR store (rows inserted through
// SqliteCdrStore.insert, built from events as the recorder builds them) and its real CSV archive.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAMPAIGN_ID_MAX_LENGTH, campaignId } from '../../../core/cdr/campaign-id';
import { SqliteCdrStore } from '../../../core/cdr/cdr-store';
import { callRecord, messageRecord, optionsRecord, registrationRecord } from '../../../core/cdr/from-events';
import type { CdrRecord, NewCdrRecord } from '../../../core/cdr/record';
import { RETCODE } from '../../../core/mml/command';
import { latestClearableDate } from '../../../core/mml/commands/cdr';
import { binding, call, message, registration } from '../cdr/events';
import { NOW, openLab, run, useLabs, zhShownRows } from './lab';
import type { Lab } from './lab';

useLabs();

const MIN = 60_000;
const at = (month: number, day: number, hour = 12): number => new Date(2025, month - 1, day, hour).getTime();

/** A call from `from` to `to` started at `start`. */
function callRow(
  start: number,
  from: string,
  to: string,
  changes: Parameters<typeof call>[0] = {},
): NewCdrRecord {
  const c = call({
    startedAt: start,
    ringingAt: start + 200,
    answeredAt: start + 500,
    endedAt: start + 30_500,
  });
  return callRecord({
    ...c,
    callId: `${from}-${to}-${start}@lab`,
    caller: { ...c.caller, uri: `sip:${from}@ims.lab`, number: from },
    callee: { ...c.callee, uri: `sip:${to}@ims.lab`, number: to },
    ...changes,
  });
}

interface CdrLab extends Lab {
  cdr: SqliteCdrStore;
  stored: CdrRecord[];
}

/** Today (2025-11-01): 6 rows; before: 4 calls and registrations over the last 12 days. */
function cdrLab(): CdrLab {
  const lab = openLab();
  const cdr = new SqliteCdrStore(lab.db, lab.dir);
  lab.ctx.cdr = cdr;
  const failed = {
    state: 'failed',
    answeredAt: undefined,
    statusCode: 486,
    statusText: 'Busy Here',
  } as const;
  const cancelled = { state: 'cancelled', answeredAt: undefined, statusCode: 487, endReason: '' } as const;
  const rows: NewCdrRecord[] = [
    registrationRecord(registration('bound', binding({ expiresAt: NOW + 3600_000 }), NOW - 180 * MIN)),
    callRow(NOW - 120 * MIN, '1001', '1002'),
    callRow(NOW - 60 * MIN, '1003', '1001', { ...failed, endedAt: NOW - 60 * MIN + 2000 }),
    callRow(NOW - 30 * MIN, '1001', '1003', { ...cancelled, endedAt: NOW - 30 * MIN + 4000 }),
    messageRecord(message({ sentAt: NOW - 10 * MIN, at: NOW - 10 * MIN })),
    registrationRecord(registration('removed', binding(), NOW - 5 * MIN, 'unregister')),
    callRow(at(10, 20), '1001', '1002'),
    registrationRecord(registration('bound', binding(), at(10, 24))),
    callRow(at(10, 25), '1002', '1001'),
    callRow(at(10, 31), '1002', '1003'),
  ];
  const stored = cdr.insert(rows, NOW);
  for (const date of new Set(stored.map((r) => r.date))) {
    cdr.archive.appendDay(
      date,
      stored.filter((r) => r.date === date),
    );
  }
  return { ...lab, cdr, stored };
}

describe('DSP CDR', () => {
  it("lists today's records newest first, with the parties as numbers and what became of each", async () => {
    const lab = cdrLab();
    const r = await run(lab, 'DSP CDR');
    expect(r.retcode).toBe(RETCODE.OK);
    expect(r.message).toBe('Records of 2025-11-01: 6 of 6 shown, newest first');
    const t = r.tables[0]!;
    expect(t.title).toBe('Call detail records 2025-11-01');
    expect(t.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'Record ID:string',
      'Type:string',
      'State:string',
      'Start:time',
      'Caller:string',
      'Callee:string',
      'Duration (s):number',
      'Setup (ms):integer',
      'Result:string',
      'Reason:string',
      'Call-ID:string',
    ]);
    expect(t.rows.map((row) => row.slice(1))).toEqual([
      [
        'REGISTER',
        'UNREGISTERED',
        NOW - 5 * MIN,
        '1001',
        '',
        null,
        null,
        'Unregistered',
        'Unregistered',
        '422098@192.0.2.10',
      ],
      ['MESSAGE', 'COMPLETED', NOW - 10 * MIN, '1001', '1002', null, null, '200 OK', '', '595219@192.0.2.10'],
      [
        'CALL',
        'CANCELLED',
        NOW - 30 * MIN,
        '1001',
        '1003',
        null,
        null,
        'Cancelled',
        'User Cancelled',
        `1001-1003-${NOW - 30 * MIN}@lab`,
      ],
      [
        'CALL',
        'FAILED',
        NOW - 60 * MIN,
        '1003',
        '1001',
        null,
        null,
        'Failed (486)',
        'Normal',
        `1003-1001-${NOW - 60 * MIN}@lab`,
      ],
      [
        'CALL',
        'ENDED',
        NOW - 120 * MIN,
        '1001',
        '1002',
        30,
        500,
        'Answered (200)',
        'Normal',
        `1001-1002-${NOW - 120 * MIN}@lab`,
      ],
      ['REGISTER', 'SUCCESS', NOW - 180 * MIN, '1001', '', null, null, '200 OK', '', '422098@192.0.2.10'],
    ]);
    expect(t.total).toBe(6);
    // In Chinese the results read as the original's (已接听 (200), 失败 (486), 已取消); reason phrases stay.
    const [zh] = await lab.engine.execute('DSP CDR', 'tester', { lang: 'zh' });
    // The rows are the same in every language (for scripts); the text writes them so.
    expect(zh!.tables[0]!.rows).toEqual(t.rows);
    const shown = zhShownRows(zh!.tables[0]!);
    expect(shown.map((row) => row[8])).toEqual([
      '已注销',
      '200 OK',
      '已取消',
      '失败 (486)',
      '已接听 (200)',
      '200 OK',
    ]);
    // IMS Lab's own words (a normal end, an unregistration) read in Chinese; the original's 'User
    // Cancelled' is data.
    expect(shown.map((row) => row[9])).toEqual(['已注销', '', 'User Cancelled', '正常结束', '正常结束', '']);
    // The original's word TODAY means the same; another day by DATE.
    expect((await run(lab, 'DSP CDR TODAY')).tables[0]!.rows).toEqual(t.rows);
    const yesterday = await run(lab, 'DSP CDR DATE=2025-10-31');
    expect(yesterday.tables[0]!.rows.map((row) => [row[4], row[5]])).toEqual([['1002', '1003']]);
    expect((await run(lab, 'DSP CDR YESTERDAY')).tables[0]!.rows).toEqual(yesterday.tables[0]!.rows);
  });

  it('shows a party with no user part by its bare URI, not the header with its brackets', async () => {
    const lab = openLab();
    const cdr = new SqliteCdrStore(lab.db, lab.dir);
    lab.ctx.cdr = cdr;
    const { caller, callee } = call();
    // A keepalive OPTIONS to the server itself: its To has no user part.
    const server = { ...callee, header: '<sip:192.0.2.1:5060>', uri: 'sip:192.0.2.1:5060', number: '' };
    const at = NOW - MIN;
    const row = { callId: 'ka@lab', cseq: '1 OPTIONS', statusCode: 200, statusText: 'OK', sentAt: at, at };
    cdr.insert([optionsRecord({ ...row, from: caller, to: server })], NOW);
    const r = await run(lab, 'DSP CDR TYPE=OPTIONS');
    expect(r.tables[0]!.rows.map((cells) => [cells[4], cells[5]])).toEqual([['1001', 'sip:192.0.2.1:5060']]);
  });

  it('filters by type, caller and callee', async () => {
    const lab = cdrLab();
    const ids = async (text: string): Promise<unknown[]> =>
      (await run(lab, text)).tables[0]!.rows.map(
        (row) => `${String(row[1])} ${String(row[4])}>${String(row[5])}`,
      );
    expect(await ids('DSP CDR TYPE=call CALLER=1001')).toEqual(['CALL 1001>1003', 'CALL 1001>1002']);
    // An unregistration is a REGISTER row (UNREGISTERED), as the original wrote it; TYPE=UNREGISTER
    // selects those alone.
    expect(await ids('DSP CDR TYPE=REGISTER')).toEqual(['REGISTER 1001>', 'REGISTER 1001>']);
    expect(await ids('DSP CDR TYPE=UNREGISTER')).toEqual(['REGISTER 1001>']);
    expect(await ids('DSP CDR CALLEE=1001')).toEqual(['CALL 1003>1001']);
    // A part of a Call-ID in any case, as DSP CALL CALLID= takes it; the whole one finds its records only.
    expect(await ids(`DSP CDR CALLID=1001-1003-${NOW - 30 * MIN}@LAB`)).toEqual(['CALL 1001>1003']);
    expect(await ids('DSP CDR CALLID=1001-100')).toEqual(['CALL 1001>1003', 'CALL 1001>1002']);
    expect(await run(lab, 'DSP CDR CALLID=nobody@lab')).toMatchObject({
      retcode: RETCODE.NOT_FOUND,
      message: 'No CDR record of 2025-11-01 with Call-ID nobody@lab',
    });
    const none = await run(lab, 'DSP CDR TYPE=MESSAGE CALLER=1003');
    expect(none.message).toBe('No CDR record of 2025-11-01 where CALLER=1003 matches');
    expect(none.tables[0]!.rows).toEqual([]);
  });

  it('filters by STATE, in any case, with the other filters', async () => {
    const lab = cdrLab();
    const rows = async (text: string): Promise<unknown[]> =>
      (await run(lab, text)).tables[0]!.rows.map(
        (row) => `${String(row[1])} ${String(row[2])} ${String(row[4])}>${String(row[5])}`,
      );
    expect(await rows('DSP CDR STATE=failed')).toEqual(['CALL FAILED 1003>1001']);
    expect(await rows('DSP CDR TYPE=CALL STATE=ENDED')).toEqual(['CALL ENDED 1001>1002']);
    expect(await rows('DSP CDR STATE=UNREGISTERED')).toEqual(['REGISTER UNREGISTERED 1001>']);
    expect(await rows('DSP CDR CALLER=1001 STATE=CANCELLED')).toEqual(['CALL CANCELLED 1001>1003']);
    // With a part of a Call-ID: the calls of 1001 that were cancelled.
    expect(await rows('DSP CDR CALLID=1001-100 STATE=cancelled')).toEqual(['CALL CANCELLED 1001>1003']);
    expect((await run(lab, 'DSP CDR STATE=ANSWERED')).message).toBe(
      'No CDR record of 2025-11-01 where STATE=ANSWERED matches',
    );
    // The next page's command keeps STATE.
    const two = await run(lab, 'DSP CDR STATE=SUCCESS DATE=2025-10-24 LIMIT=1');
    expect(two.tables[0]!.rows).toHaveLength(1);
    const page = await run(lab, 'DSP CDR TYPE=CALL STATE=ENDED DATE=2025-10-20 LIMIT=1');
    expect(page.tables[0]!.rows).toHaveLength(1);
    lab.cdr.insert([callRow(NOW - 2 * MIN, '1002', '1003')], NOW);
    const next = await run(lab, 'DSP CDR STATE=ENDED LIMIT=1');
    expect(next.message).toMatch(/next page: DSP CDR DATE=2025-11-01 STATE=ENDED LIMIT=1 BEFORE=\d{20}$/);
  });

  it('pages back with BEFORE=<record_id>, the command given in the message', async () => {
    const lab = cdrLab();
    const first = await run(lab, 'DSP CDR LIMIT=4');
    expect(first.tables[0]!.rows).toHaveLength(4);
    const m = /; next page: (DSP CDR DATE=2025-11-01 LIMIT=4 BEFORE=(\d{20}))$/.exec(first.message);
    expect(m, first.message).not.toBeNull();
    expect(first.message.startsWith('Records of 2025-11-01: 4 of 6 shown, newest first; next page: ')).toBe(
      true,
    );
    expect(m![2]).toBe(first.tables[0]!.rows[3]![0]);
    // For scripts, the same statement in a field of its own (not only in the message's words).
    expect(first.next).toBe(m![1]);
    const second = await run(lab, first.next!);
    expect(second.retcode).toBe(RETCODE.OK);
    expect(second.message).toBe('Records of 2025-11-01: 2 of 6 shown, newest first');
    expect(second.next).toBeUndefined();
    expect(second.tables[0]!.rows.map((row) => row[1])).toEqual(['CALL', 'REGISTER']);
    // The filters are carried over into the next page's command.
    const calls = await run(lab, 'DSP CDR TYPE=CALL CALLER=1001 LIMIT=1');
    expect(calls.message).toMatch(
      /next page: DSP CDR DATE=2025-11-01 TYPE=CALL CALLER=1001 LIMIT=1 BEFORE=\d{20}$/,
    );
  });

  it('names the parameter at fault', async () => {
    const lab = cdrLab();
    const cases: [string, string][] = [
      [
        'DSP CDR TYPE=SUBSCRIBE',
        'Parameter TYPE: expected one of CALL, REGISTER, MESSAGE, OPTIONS, UNREGISTER, got "SUBSCRIBE"',
      ],
      [
        'DSP CDR DATE=2025-02-30',
        'Parameter DATE: expected a date YYYY-MM-DD, TODAY or YESTERDAY, got "2025-02-30"',
      ],
      ['DSP CDR LIMIT=0', 'Parameter LIMIT: expected an integer 1..1000, got "0"'],
      ['DSP CDR BEFORE=abc', 'Parameter BEFORE: must be a record_id (20 digits), got "abc"'],
      ['DSP CDR BEFORE=20250101000000000001', 'Parameter BEFORE: no CDR record 20250101000000000001'],
      ['DSP CDR TODAY DATE=2025-10-31', 'Parameter DATE is given twice (DATE and the word TODAY)'],
      [
        'DSP CDR STATE=NOT-A-STATE',
        'Parameter STATE: must be a state such as ENDED or FAILED, got "NOT-A-STATE"',
      ],
      [
        `DSP CDR STATE=${'X'.repeat(21)}`,
        `Parameter STATE: expected text of 1..20 characters, got "${'X'.repeat(21)}"`,
      ],
      ['EXP CDR STATE=1', 'Parameter STATE: must be a state such as ENDED or FAILED, got "1"'],
    ];
    for (const [text, message] of cases) {
      const r = await run(lab, text);
      expect(r.retcode, text).toBe(RETCODE.PARAMETER_ERROR);
      expect(r.message, text).toBe(message);
    }
    const zh = (await lab.engine.execute('DSP CDR STATE=1', 'tester', { lang: 'zh' }))[0]!;
    expect(zh.message).toMatch(/STATE.*应为状态，如 ENDED 或 FAILED，实际为 "1"$/);
  });

  it('says so when no CDR store is open', async () => {
    const lab = openLab();
    for (const text of ['DSP CDR', 'DSP CDR STAT', 'EXP CDR', 'CLR CDR ALL CONFIRM=YES']) {
      const r = await run(lab, text);
      expect(r.retcode, text).toBe(RETCODE.OPERATION_FAILED);
      expect(r.message, text).toBe('Call records are not available: no CDR store is open');
    }
  });
});

describe('DSP CDR STAT', () => {
  it('counts a day by type and state, with answered calls’ talk and setup times', async () => {
    const lab = cdrLab();
    const r = await run(lab, 'DSP CDR STAT');
    expect(r.retcode).toBe(RETCODE.OK);
    expect(r.message).toBe('6 CDR record(s) of 2025-11-01');
    expect(r.tables[0]!.rows).toEqual([
      ['CALL', 3, 50],
      ['REGISTER', 2, 33.33],
      ['MESSAGE', 1, 16.67],
    ]);
    expect(r.tables[1]!.rows).toEqual([
      ['CANCELLED', 1, 16.67],
      ['COMPLETED', 1, 16.67],
      ['ENDED', 1, 16.67],
      ['FAILED', 1, 16.67],
      ['SUCCESS', 1, 16.67],
      ['UNREGISTERED', 1, 16.67],
    ]);
    const t = r.tables[2]!;
    expect(Object.fromEntries(t.columns.map((c, i) => [c.name, t.rows[0]![i]]))).toEqual({
      Date: '2025-11-01',
      Calls: 3,
      Answered: 1,
      Failed: 1,
      Cancelled: 1,
      'Answer ratio (%)': 33.33,
      'Total talk (s)': 30,
      'Average talk (s)': 30,
      'Average setup (ms)': 500,
      Registrations: 1,
      Unregistrations: 1,
      Messages: 1,
    });
    const other = await run(lab, 'DSP CDR STAT DATE=2025-10-20');
    expect(other.message).toBe('1 CDR record(s) of 2025-10-20');
    expect((await run(lab, 'DSP CDR STAT DATE=2025-01-01')).message).toBe('No CDR record of 2025-01-01');
  });

  it('a ringing call the operator ended (RMV CALL) is CANCELLED in the state table, the Calls section and STATE=', async () => {
    const lab = openLab();
    const cdr = new SqliteCdrStore(lab.db, lab.dir);
    lab.ctx.cdr = cdr;
    const start = NOW - 10 * MIN;
    const ringing = {
      state: 'cancelled',
      answeredAt: undefined,
      endedAt: start + 3000,
      statusCode: 487,
      statusText: 'Request Terminated',
      hangupBy: 'operator',
      endReason: 'Ended by operator',
    } as const;
    cdr.insert([callRow(start, '1001', '1002', ringing), callRow(start + MIN, '1001', '1003')], NOW);
    const r = await run(lab, 'DSP CDR STAT TYPE=CALL');
    expect(r.tables[1]!.rows).toEqual([
      ['CANCELLED', 1, 50],
      ['ENDED', 1, 50],
    ]);
    const t = r.tables[2]!;
    const calls = Object.fromEntries(t.columns.map((c, i) => [c.name, t.rows[0]![i]]));
    expect([calls.Answered, calls.Failed, calls.Cancelled]).toEqual([1, 0, 1]);
    const listed = await run(lab, 'DSP CDR STATE=CANCELLED');
    expect(listed.tables[0]!.rows).toHaveLength(1);
  });

  it("counts one type's records with TYPE, as the original's DSP CDR STAT [TYPE=…] did", async () => {
    const lab = cdrLab();
    const calls = await run(lab, 'DSP CDR STAT:DATE=TODAY,TYPE=CALL;');
    expect(calls.retcode).toBe(RETCODE.OK);
    expect(calls.message).toBe('3 CDR record(s) of 2025-11-01 (type CALL)');
    expect(calls.tables[0]!.rows).toEqual([['CALL', 3, 100]]);
    const regs = await run(lab, 'DSP CDR STAT TYPE=register');
    expect(regs.tables[0]!.rows).toEqual([['REGISTER', 2, 100]]);
    expect(regs.tables[2]!.rows[0]!.slice(1, 4)).toEqual([0, 0, 0]);
    const [zh] = await lab.engine.execute('DSP CDR STAT TYPE=OPTIONS', 'tester', { lang: 'zh' });
    expect(zh!.message).toBe('没有 2025-11-01（类型 OPTIONS）的 CDR 记录');
    const [none] = await lab.engine.execute('DSP CDR STAT DATE=2020-01-01', 'tester', { lang: 'zh' });
    expect(none!.message).toBe('没有 2020-01-01 的 CDR 记录');
    expect((await run(lab, 'DSP CDR STAT TYPE=FAX')).retcode).toBe(RETCODE.PARAMETER_ERROR);
  });

  it("says the figures are partial while the original's day files are being imported", async () => {
    const lab = cdrLab();
    lab.cdr.importing = { file: 'cdr_2025-10-01.csv', rows: 26161 };
    const note =
      " (partial: the original's day file cdr_2025-10-01.csv is being imported, 26161 rows so far; ask again when the log says it is done)";
    expect((await run(lab, 'DSP CDR STAT')).message).toBe(`6 CDR record(s) of 2025-11-01${note}`);
    expect((await run(lab, 'DSP CDR')).message).toMatch(/newest first \(partial: /);
    expect((await run(lab, 'EXP CDR')).message).toMatch(/\.csv \(partial: the original's day file/);
    const [zh] = await lab.engine.execute('DSP CDR STAT', 'tester', { lang: 'zh' });
    expect(zh!.message).toBe(
      '2025-11-01 共 6 条 CDR 记录（不完整：原系统的日文件 cdr_2025-10-01.csv 正在导入，已导入 26161 行；日志显示导入完成后再查询）',
    );
    lab.cdr.importing = undefined;
    expect((await run(lab, 'DSP CDR STAT')).message).toBe('6 CDR record(s) of 2025-11-01');
  });

  it('rejects a bad date', async () => {
    const r = await run(cdrLab(), 'DSP CDR STAT DATE=20251101');
    expect(r.retcode).toBe(RETCODE.PARAMETER_ERROR);
    expect(r.message).toBe('Parameter DATE: expected a date YYYY-MM-DD, TODAY or YESTERDAY, got "20251101"');
  });
});

describe("CAMPAIGN=: one dialer campaign's calls", () => {
  it('DSP CDR and EXP CDR list the rows of that campaign only (extra_info "dialer campaign=C0002 ...")', async () => {
    // Before, there was no way to get one campaign's calls: every dialer call has CALLER=0000, so two
    // campaigns of a day were mixed, and DSP DIALSVC keeps only the last 200 calls (findings F3).
    const lab = cdrLab();
    const dialed = (start: number, to: string, extra: string): NewCdrRecord => ({
      ...callRow(start, '0000', to),
      extra_info: extra,
    });
    lab.cdr.insert(
      [
        dialed(NOW - 50 * MIN, '2001', 'dialer campaign=C0002 rtp_sent=100 rtp_received=100 rtp_lost=0'),
        dialed(NOW - 49 * MIN, '2002', 'dialer campaign=C0002'),
        dialed(NOW - 48 * MIN, '2003', 'dialer campaign=C00021 rtp_sent=1'),
        dialed(NOW - 47 * MIN, '2004', 'dialer campaign=C0003 rtp_sent=1'),
      ],
      NOW,
    );
    const callees = async (text: string): Promise<unknown[]> =>
      (await run(lab, text)).tables[0]!.rows.map((row) => row[5]);
    expect(await callees('DSP CDR CAMPAIGN=C0002')).toEqual(['2002', '2001']);
    expect(await callees('DSP CDR CAMPAIGN=c0003 TYPE=CALL')).toEqual(['2004']);
    expect((await run(lab, 'DSP CDR CAMPAIGN=C0009')).message).toBe(
      'No CDR record of 2025-11-01 where CAMPAIGN=C0009 matches',
    );
    // The next page's command keeps CAMPAIGN.
    expect((await run(lab, 'DSP CDR CAMPAIGN=C0002 LIMIT=1')).message).toMatch(
      /next page: DSP CDR DATE=2025-11-01 CAMPAIGN=C0002 LIMIT=1 BEFORE=\d{20}$/,
    );
    const r = await run(lab, 'EXP CDR CAMPAIGN=C0002');
    expect(r.retcode).toBe(RETCODE.OK);
    const [path, count] = r.tables[0]!.rows[0] as [string, number];
    expect(count).toBe(2);
    expect(readFileSync(path, 'utf8').match(/campaign=C0002\b/g)).toHaveLength(2);
    expect(await run(lab, 'DSP CDR CAMPAIGN=C%')).toMatchObject({
      retcode: RETCODE.PARAMETER_ERROR,
      message: 'Parameter CAMPAIGN: must be a campaign id such as C0001, got "C%"',
    });
  });

  it('takes every id the dialer gives, with one limit in each command that takes CAMPAIGN=', async () => {
    const lab = cdrLab();
    // Campaigns are numbered on across restarts: C10000 after C9999, and on (cdr/campaign-id.ts).
    const late = campaignId(10_000_000_000);
    expect(late).toBe('C10000000000');
    expect((await run(lab, `DSP CDR CAMPAIGN=${late}`)).message).toBe(
      `No CDR record of 2025-11-01 where CAMPAIGN=${late} matches`,
    );
    const allowed = async (command: string): Promise<unknown> =>
      (await run(lab, `HELP ${command}`)).tables[0]!.rows.find((r) => r[0] === 'CAMPAIGN')![4];
    const limits = await Promise.all(
      ['DSP CDR', 'EXP CDR', 'DSP DIALSVC', 'STP CALL'].map((c) => allowed(c)),
    );
    expect(new Set(limits)).toEqual(new Set([`text of 1..${CAMPAIGN_ID_MAX_LENGTH} characters`]));
  });
});

describe('EXP CDR', () => {
  it('writes the matching records, oldest first, to CDR/exports and says where', async () => {
    const lab = cdrLab();
    const r = await run(lab, 'EXP CDR DATE=2025-11-01 TYPE=CALL');
    expect(r.retcode).toBe(RETCODE.OK);
    const [path, count] = r.tables[0]!.rows[0] as [string, number];
    expect(count).toBe(3);
    expect(path).toMatch(/[/\\]CDR[/\\]exports[/\\]cdr_export_2025-11-01_CALL_20251101_093000\.csv$/);
    expect(path.startsWith(join(lab.dir, 'CDR'))).toBe(true);
    expect(r.message).toBe(`Exported 3 CDR record(s) of 2025-11-01 (type CALL) to ${path}`);
    expect(existsSync(path)).toBe(true);
    const lines = readFileSync(path, 'utf8')
      .split('\r\n')
      .filter((l) => l !== '');
    expect(lines).toHaveLength(4);
    expect(lines[0]!.startsWith('record_id,record_type,call_state,')).toBe(true);
    expect(lines.slice(1).map((l) => l.split(',')[2])).toEqual(['ENDED', 'FAILED', 'CANCELLED']);
    // Today by default, every type; a second export never overwrites the first.
    const all = await run(lab, 'EXP CDR');
    expect(all.tables[0]!.rows[0]![1]).toBe(6);
    expect(all.tables[0]!.rows[0]![0]).not.toBe(path);
    // In Chinese, with and without a type; the date set apart from the words either way.
    const zh = async (text: string) => (await lab.engine.execute(text, 'tester', { lang: 'zh' }))[0]!;
    expect((await zh('EXP CDR TYPE=CALL')).message).toMatch(
      /^已导出 2025-11-01（类型 CALL）的 3 条 CDR 记录到 .+\.csv$/,
    );
    expect((await zh('EXP CDR')).message).toMatch(/^已导出 2025-11-01 的 6 条 CDR 记录到 .+\.csv$/);
  });

  it('takes CALLEE, CALLID (exactly, else a part in any case) and STATE as DSP CDR does: the same rows', async () => {
    const lab = cdrLab();
    const exported = async (filters: string): Promise<string[]> => {
      const r = await run(lab, `EXP CDR ${filters}`);
      expect(r.retcode, filters).toBe(RETCODE.OK);
      const [path, count] = r.tables[0]!.rows[0] as [string, number];
      const ids = readFileSync(path, 'utf8')
        .split('\r\n')
        .slice(1)
        .filter((l) => l !== '')
        .map((l) => l.split(',')[0]!);
      expect(ids, filters).toHaveLength(count);
      // DSP CDR lists the same records, newest first.
      const listed = (await run(lab, `DSP CDR ${filters}`)).tables[0]!.rows.map((row) => String(row[0]));
      expect([...ids].reverse(), filters).toEqual(listed);
      return ids;
    };
    const id = (i: number): string => lab.stored[i]!.record_id;
    expect(await exported('CALLEE=1003')).toEqual([id(3)]);
    expect(await exported('STATE=failed')).toEqual([id(2)]);
    expect(await exported('CALLID=1001-100')).toEqual([id(1), id(3)]);
    expect(await exported(`CALLID=1001-1003-${NOW - 30 * MIN}@LAB`)).toEqual([id(3)]);
    expect(await exported('CALLID=1001-100 STATE=ENDED')).toEqual([id(1)]);
    expect(await exported('TYPE=CALL CALLER=1003 CALLEE=1001 STATE=FAILED')).toEqual([id(2)]);
    expect(await exported('CALLEE=1001 STATE=ENDED')).toEqual([]);
  });

  it('names the filters other than TYPE in its answer, as DSP CDR does: a filtered file is not the whole day', async () => {
    const lab = cdrLab();
    const exp = await run(lab, 'EXP CDR TYPE=CALL CALLER=1003 STATE=FAILED');
    const path = (exp.tables[0]!.rows[0] as [string, number])[0];
    expect(exp.message).toBe(
      `Exported 1 CDR record(s) of 2025-11-01 (type CALL) where CALLER=1003, STATE=FAILED to ${path}`,
    );
    const dsp = await run(lab, 'DSP CDR STATE=FAILED CALLID=1003-1001');
    expect(dsp.message).toBe(
      'Records of 2025-11-01 where CALLID=1003-1001, STATE=FAILED: 1 of 1 shown, newest first',
    );
    expect((await run(lab, 'EXP CDR')).message).toMatch(/^Exported 6 CDR record\(s\) of 2025-11-01 to /);
    const zh = async (text: string): Promise<string> =>
      (await lab.engine.execute(text, 'tester', { lang: 'zh' }))[0]!.message;
    expect(await zh('DSP CDR STATE=FAILED')).toBe(
      '2025-11-01 的记录（条件 STATE=FAILED）: 显示 1/1 条，最新的在前',
    );
    expect(await zh('EXP CDR CALLEE=1001')).toMatch(
      /^已导出 2025-11-01 （条件 CALLEE=1001）的 1 条 CDR 记录到 /,
    );
    expect(await zh('DSP CDR STATE=ANSWERED')).toBe('没有 2025-11-01（条件 STATE=ANSWERED） 的 CDR 记录');
  });

  it('accepts CSV only', async () => {
    const r = await run(cdrLab(), 'EXP CDR FORMAT=XML');
    expect(r.retcode).toBe(RETCODE.PARAMETER_ERROR);
    expect(r.message).toBe('Parameter FORMAT: expected one of CSV, got "XML"');
  });
});

describe('CLR CDR', () => {
  it('needs CONFIRM=YES and BEFORE or ALL', async () => {
    const lab = cdrLab();
    const unconfirmed = await run(lab, 'CLR CDR BEFORE=2025-10-21');
    expect(unconfirmed.retcode).toBe(RETCODE.CONFIRM_REQUIRED);
    expect(unconfirmed.message).toBe('CLR CDR cannot be undone: add CONFIRM=YES to carry it out');
    const nothing = await run(lab, 'CLR CDR CONFIRM=YES');
    expect(nothing.retcode).toBe(RETCODE.PARAMETER_ERROR);
    expect(nothing.message).toBe('CLR CDR needs at least one of BEFORE, ALL');
    const both = await run(lab, 'CLR CDR ALL BEFORE=2025-10-21 CONFIRM=YES');
    expect(both.message).toBe('Give BEFORE or ALL, not both');
    expect((await run(lab, 'CLR CDR ALL=NO CONFIRM=YES')).message).toBe(
      'Nothing to clear: give BEFORE=<date> or ALL',
    );
    expect(lab.cdr.count()).toBe(10);
  });

  it('keeps the last 7 days, as the original did', async () => {
    const lab = cdrLab();
    expect(latestClearableDate(NOW)).toBe('2025-10-25');
    const r = await run(lab, 'CLR CDR BEFORE=2025-10-26 CONFIRM=YES');
    expect(r.retcode).toBe(RETCODE.PARAMETER_ERROR);
    expect(r.message).toBe(
      'Parameter BEFORE: the records of the last 7 days are kept; BEFORE must be 2025-10-25 or earlier, ' +
        'got 2025-10-26 (CLR CDR ALL deletes everything)',
    );
    expect(lab.cdr.count()).toBe(10);
  });

  it('deletes the rows and CSV day folders dated strictly before BEFORE, keeping exports', async () => {
    const lab = cdrLab();
    await run(lab, 'EXP CDR DATE=2025-10-20');
    const r = await run(lab, 'CLR CDR BEFORE=2025-10-25 CONFIRM=YES');
    expect(r.retcode).toBe(RETCODE.OK);
    expect(r.message).toBe(
      'Deleted 2 CDR record(s) dated before 2025-10-25 and 2 CSV day folder(s) (2025-10-20, 2025-10-24); ' +
        'exports are kept',
    );
    expect(r.tables[0]!.rows).toEqual([['2025-10-25', 2, 2]]);
    expect(lab.cdr.count()).toBe(8);
    expect(lab.cdr.archive.days()).toEqual(['2025-10-25', '2025-10-31', '2025-11-01']);
    expect(existsSync(join(lab.dir, 'CDR', 'exports'))).toBe(true);
  });

  it('deletes everything with ALL', async () => {
    const lab = cdrLab();
    const r = await run(lab, 'CLR CDR ALL CONFIRM=YES');
    expect(r.retcode).toBe(RETCODE.OK);
    expect(r.message).toBe(
      'Deleted all 10 CDR record(s) and 5 CSV day folder(s) ' +
        '(2025-10-20, 2025-10-24, 2025-10-25, 2025-10-31, 2025-11-01); exports are kept',
    );
    expect(lab.cdr.count()).toBe(0);
    expect((await run(lab, 'DSP CDR')).message).toBe('No CDR record of 2025-11-01 matches');
  });
});
