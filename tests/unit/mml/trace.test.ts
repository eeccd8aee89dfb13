// The trace commands on a real trace fed through the tap: DSP TRACE (list with filters, the ladder of a
// Call-ID), EXP TRACE (pcap and text files), SET TRACE (settings changed as SET CFG would, applied to
// the running trace; a bad HEP collector refused naming the parameter), CLR TRACE (CONFIRM=YES).
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MessageTap } from '../../../core/sip/transport/message-tap';
import { packetOf, pcapFile, SipTrace, traceConfig } from '../../../core/trace/index';
import { CALL_ID, FLOW, T0, play, registration } from '../trace/flow';
import { openLab, run, useLabs, zhShownRows, type Lab } from './lab';
import { displayWidth, renderText } from '../../../core/mml/text';
import { turnsDuring } from '../../support/turns';

useLabs();

function traceLab(): Lab & { tap: MessageTap; trace: SipTrace } {
  const lab = openLab();
  const tap = new MessageTap();
  const trace = new SipTrace(tap, lab.dir, traceConfig(lab.settings));
  lab.settings.onChange((c) => {
    if (c.key.startsWith('TRACE.')) trace.reconfigure(traceConfig(lab.settings));
  });
  lab.ctx.trace = trace;
  return Object.assign(lab, { tap, trace });
}

describe('trace commands', () => {
  it('says the ring is off after RINGMSG=0, not that it let its messages go; the ring back on is empty', async () => {
    const lab = traceLab();
    play(lab.tap, FLOW);
    expect((await run(lab, 'SET TRACE RINGMSG=0')).retcode).toBe(0);
    play(lab.tap, registration(7001), T0 + 60_000_000);
    expect((await run(lab, 'DSP TRACE')).message).toBe(
      'in memory: off (TRACE.RING_MESSAGES=0); trace.db off',
    );
    const [zh] = await lab.engine.execute('DSP TRACE', 'tester', { lang: 'zh' });
    expect(zh!.message).toBe('内存中: 已关闭（TRACE.RING_MESSAGES=0）；trace.db 已关闭');
    expect((await run(lab, 'SET TRACE RINGMSG=100')).retcode).toBe(0);
    expect((await run(lab, 'DSP TRACE')).message).toMatch(/^in memory: 0 dialogs, 0 messages \(/);
  });

  it('DSP TRACE ADDRESS= takes an address, or address:port as the ladder shows it', async () => {
    const lab = traceLab();
    play(lab.tap, FLOW);
    play(lab.tap, registration(7001), T0 + 60_000_000);
    const ids = async (text: string): Promise<unknown[]> =>
      (await run(lab, text)).tables[0]!.rows.map((r) => r[0]);
    expect(await ids('DSP TRACE ADDRESS=127.0.0.1')).toHaveLength(2);
    expect(await ids('DSP TRACE ADDRESS=127.0.0.1:5062')).toEqual([CALL_ID]);
    expect(await ids('DSP TRACE ADDRESS="127.0.0.1:5060"')).toHaveLength(2);
    expect(await ids('DSP TRACE ADDRESS=127.0.0.1:5999')).toEqual([]);
    expect(await ids('DSP TRACE ADDRESS=[::1]:5062')).toEqual([]);
    // Addresses compared, not texts (RFC 5952 §4): an IPv4-mapped spelling is the IPv4 peer.
    expect(await ids('DSP TRACE ADDRESS=::FFFF:127.0.0.1')).toHaveLength(2);
    expect(await ids('DSP TRACE ADDRESS="[::ffff:7f00:1]:5062"')).toEqual([CALL_ID]);
    for (const bad of ['999.1.1.1', '127.0.0.1:99999', '127.0.0.1:0', 'host:5060']) {
      const r = await run(lab, `DSP TRACE ADDRESS="${bad}"`);
      expect([r.retcode, r.message]).toEqual([
        3,
        `Parameter ADDRESS: expected an IPv4 or IPv6 address, or address:port, got "${bad}"`,
      ]);
    }
  });

  it('DSP TRACE with TO before FROM names the two rather than listing nothing', async () => {
    const lab = traceLab();
    play(lab.tap, FLOW);
    const r = await run(lab, 'DSP TRACE FROM=2026-12-02T14:00:00 TO=2026-12-02T13:00:00');
    expect([r.retcode, r.message]).toEqual([
      3,
      'Parameter TO: 2026-12-02T13:00:00 is before FROM 2026-12-02T14:00:00',
    ]);
    const [zh] = await lab.engine.execute(
      'DSP TRACE FROM=2026-12-02T14:00:00 TO=2026-12-02T13:00',
      'tester',
      {
        lang: 'zh',
      },
    );
    expect(zh!.message).toBe('参数 TO 错误: 2026-12-02T13:00 早于 FROM 2026-12-02T14:00:00');
    expect((await run(lab, 'DSP TRACE FROM=2026-12-02T13:00:00 TO=2026-12-02T13:00:00')).retcode).toBe(0);
  });

  it('DSP TRACE lists the dialogs with their summary, filtered', async () => {
    const lab = traceLab();
    play(lab.tap, FLOW);
    play(lab.tap, registration(7001), T0 + 60_000_000);
    const all = await run(lab, 'DSP TRACE');
    expect(all.retcode).toBe(0);
    expect(all.message).toMatch(/^in memory: 2 dialogs, 17 messages /);
    expect(all.tables[0]!.rows).toEqual([
      [
        'reg-7001@127.0.0.1',
        'REGISTRATION',
        'REGISTER sip:ims.lab SIP/2.0',
        '7001',
        '7001',
        2,
        T0 / 1000 + 7001 + 60_000,
        200,
      ],
      [CALL_ID, 'CALL', 'INVITE sip:4002@127.0.0.1 SIP/2.0', '4001', '4002', 15, T0 / 1000, 200],
    ]);
    const calls = await run(lab, 'DSP TRACE KIND=CALL USER=4002 STATUS=1XX METHOD=BYE ADDRESS=127.0.0.1');
    expect(calls.tables[0]!.rows.map((r) => r[0])).toEqual([CALL_ID]);
    const later = await run(lab, `DSP TRACE FROM=${new Date(T0 / 1000 + 30_000).toISOString()}`);
    expect(later.tables[0]!.rows.map((r) => r[0])).toEqual(['reg-7001@127.0.0.1']);
    const bad = await run(lab, 'DSP TRACE STATUS=OK');
    expect(bad.retcode).toBe(3);
    expect(bad.message).toMatch(/STATUS/);
    // FINAL: the class of the dialog's final answer (STATUS: one seen anywhere in it, a 1xx here).
    const ids = async (text: string): Promise<unknown[]> =>
      (await run(lab, text)).tables[0]!.rows.map((r) => r[0]);
    expect(await ids('DSP TRACE FINAL=2XX KIND=CALL')).toEqual([CALL_ID]);
    expect(await ids('DSP TRACE FINAL=1XX')).toEqual([]);
    expect(await ids('DSP TRACE FINAL=4XX')).toEqual([]);
    // TEXT: the Call-ID's or a message's text, in any case (the INVITE's SDP here).
    expect(await ids('DSP TRACE TEXT="M=AUDIO 4000"')).toEqual([CALL_ID]);
    expect(await ids('DSP TRACE TEXT=sip:7001@ims.lab')).toEqual(['reg-7001@127.0.0.1']);
    expect(await ids('DSP TRACE TEXT=Polycom')).toEqual([]);
    expect((await run(lab, 'DSP TRACE FINAL=OK')).message).toBe(
      'Parameter FINAL: expected a class like 4XX (1XX-6XX), got OK',
    );
  });

  it('DSP TRACE lists the dialogs of trace.db after a restart; a part of a Call-ID finds them there', async () => {
    const lab = traceLab();
    expect((await run(lab, 'SET TRACE STATE=ON')).retcode).toBe(0);
    play(lab.tap, FLOW);
    play(lab.tap, registration(7001), T0 + 60_000_000);
    lab.trace.stop();
    // A restart: a new trace on the same trace.db, the ring empty.
    const trace = new SipTrace(lab.tap, lab.dir, traceConfig(lab.settings));
    lab.ctx.trace = trace;
    try {
      const all = await run(lab, 'DSP TRACE');
      expect(all.message).toMatch(/^in memory: 0 dialogs, 0 messages .*; trace\.db on: 17 messages/);
      expect(all.tables[0]!.rows.map((r) => r.slice(0, 6))).toEqual([
        ['reg-7001@127.0.0.1', 'REGISTRATION', 'REGISTER sip:ims.lab SIP/2.0', '7001', '7001', 2],
        [CALL_ID, 'CALL', 'INVITE sip:4002@127.0.0.1 SIP/2.0', '4001', '4002', 15],
      ]);
      expect(all.tables[0]!.total).toBe(2);
      const byUser = await run(lab, 'DSP TRACE USER=4001 METHOD=BYE');
      expect(byUser.tables[0]!.rows.map((r) => r[0])).toEqual([CALL_ID]);
      // FINAL on trace.db's dialogs too.
      expect((await run(lab, 'DSP TRACE FINAL=2XX')).tables[0]!.total).toBe(2);
      expect((await run(lab, 'DSP TRACE FINAL=4XX')).tables[0]!.total).toBe(0);
      const part = await run(lab, 'DSP TRACE CALLID=REG-7001');
      expect(part.message).toBe('Call-ID reg-7001@127.0.0.1: 2 messages');
    } finally {
      trace.stop();
    }
  });

  it('says a Call-ID the ring let go is gone for that reason, and what keeps more (a ladder still open asked for its pcap)', async () => {
    const lab = traceLab();
    lab.settings.set('TRACE.RING_MESSAGES', 100);
    lab.trace.reconfigure(traceConfig(lab.settings));
    play(lab.tap, FLOW);
    for (let n = 0; n < 200; n++) play(lab.tap, registration(8000 + n), T0 + (n + 1) * 1_000_000);
    expect(lab.trace.status().evicted).toBeGreaterThan(0);
    const r = await run(lab, `EXP TRACE CALLID=${CALL_ID}`);
    expect(r.retcode).toBe(5);
    expect(r.message).toBe(
      `No message of Call-ID ${CALL_ID} is held (the trace keeps the newest 100 messages in memory and let older ones go: TRACE.RING_MESSAGES keeps more, TRACE.PERSIST keeps them in trace.db)`,
    );
    const [zh] = await lab.engine.execute(`DSP TRACE CALLID=${CALL_ID}`, 'tester', { lang: 'zh' });
    expect(zh!.message).toMatch(/^没有保留 Call-ID .* 的消息（跟踪在内存中只保留最新的 100 条消息/);
    // Nothing let go: the plain answer.
    const fresh = traceLab();
    expect((await run(fresh, 'EXP TRACE CALLID=nobody@x')).message).toBe(
      'No message of Call-ID nobody@x is held',
    );
    lab.trace.stop();
    fresh.trace.stop();
  });

  it('DSP TRACE CALLID draws the ladder and lists the messages; an unknown Call-ID is NOT_FOUND', async () => {
    const lab = traceLab();
    play(lab.tap, FLOW);
    const r = await run(lab, `DSP TRACE CALLID="${CALL_ID}"`);
    expect(r.retcode).toBe(0);
    const ladder = r.tables[0]!.rows.map((row) => row[0]).join('\n');
    expect(ladder).toContain('|---- INVITE (SDP) -->|');
    expect(ladder).toContain('|<--- 200 OK (BYE) ---|');
    expect(ladder).toContain('|<--- 200 OK (rtx) ---|');
    const messages = r.tables[1]!;
    expect(messages.rows).toHaveLength(15);
    expect(messages.rows[7]!.slice(3, 8)).toEqual(['IN', 'UDP', '127.0.0.1:5062', 'SIP/2.0 200 OK', true]);
    expect((await run(lab, 'DSP TRACE CALLID=nothing')).retcode).toBe(5);
  });

  it("DSP TRACE CALLID in Chinese: the ladder's header lines, the direction and a retransmission in Chinese", async () => {
    const lab = traceLab();
    play(lab.tap, FLOW);
    const [zh] = await lab.engine.execute(`DSP TRACE CALLID="${CALL_ID}"`, 'tester', { lang: 'zh' });
    const [en] = await lab.engine.execute(`DSP TRACE CALLID="${CALL_ID}"`, 'tester');
    // The rows are the same in every language (for scripts); the text writes them in Chinese.
    expect(zh!.tables.map((t) => t.rows)).toEqual(en!.tables.map((t) => t.rows));
    const zhLines = zhShownRows(zh!.tables[0]!).map((row) => String(row[0]));
    const enLines = en!.tables[0]!.rows.map((row) => String(row[0]));
    expect(enLines[0]).toMatch(new RegExp(`^Call-ID ${CALL_ID}: 15 messages from \\d{4}-`));
    expect(zhLines[0]).toMatch(new RegExp(`^Call-ID ${CALL_ID}：共 15 条消息，开始于 \\d{4}-`));
    expect(enLines[2]).toMatch(/^ {3}time \(s\) {3}delta \(s\)/);
    expect(zhLines[2]).toMatch(/^ {3}时间 \(秒\) {2}间隔 \(秒\)/);
    // As wide in terminal cells: the columns' bars stay over the arrows.
    expect(displayWidth(zhLines[2]!)).toBe(displayWidth(enLines[2]!));
    expect(zhLines.slice(3)).toEqual(enLines.slice(3));
    expect(zhShownRows(zh!.tables[1]!)[7]!.slice(3, 5)).toEqual(['接收', 'UDP']);
    expect(en!.tables[1]!.rows[7]!.slice(3, 5)).toEqual(['IN', 'UDP']);
    const text = renderText(zh!);
    expect(text).not.toMatch(/ messages from |time \(s\)|\bIN\b|\bOUT\b|\bYES\b|\bNO\b/);
    expect(text).toMatch(/发送/);
    expect(renderText(en!)).toMatch(/\bYES\b/);
  });

  it('EXP TRACE writes a pcap or a text file under trace/exports', async () => {
    const lab = traceLab();
    play(lab.tap, registration(7001), T0 - 60_000_000); // another dialog's messages come first in the ring
    play(lab.tap, FLOW);
    const pcap = await run(lab, `EXP TRACE CALLID="${CALL_ID}"`);
    const file = String(pcap.tables[0]!.rows[0]![0]);
    expect(file).toMatch(/trace[/\\]exports[/\\]trace_flow-1@127\.0\.0\.1_\d{8}T\d{6}\.pcap$/);
    expect(readFileSync(file).readUInt32LE(0)).toBe(0xa1b2c3d4);
    const text = await run(lab, `EXP TRACE CALLID="${CALL_ID}" FORMAT=TEXT`);
    const content = readFileSync(String(text.tables[0]!.rows[0]![0]), 'utf8');
    expect(content).toContain('INVITE sip:4002@127.0.0.1 SIP/2.0\r\nVia:');
    expect(content).toContain('(retransmission)');
    // Each message's time as the ladder's title shows it, not raw microseconds.
    expect(content).toMatch(
      /\n#1 received UDP 127\.0\.0\.1:5061 -> 127\.0\.0\.1:5060 at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}\n/,
    );
    // Numbered as DSP TRACE's list (1..15), not by the ring's sequence.
    expect([...content.matchAll(/\n\n#(\d+) /g)].map((m) => Number(m[1]))).toEqual(
      Array.from({ length: 15 }, (_, i) => i + 1),
    );
    expect((await run(lab, 'EXP TRACE CALLID=nothing')).retcode).toBe(5);
    // Two exports of one call in one second: two files (the second wrote over the first).
    const at = new Date();
    const first = lab.trace.exportFile(CALL_ID, 'PCAP', at).file;
    const second = lab.trace.exportFile(CALL_ID, 'PCAP', at).file;
    expect(second).not.toBe(first);
    expect(second).toMatch(/_\d+\.pcap$/);
    expect(existsSync(first) && existsSync(second)).toBe(true);
  });

  it('EXP TRACE with filters writes every matching dialog in one file, in time order', async () => {
    const lab = traceLab();
    play(lab.tap, registration(7001), T0 - 60_000_000);
    play(lab.tap, FLOW);
    play(lab.tap, registration(7002), T0 + 10_000_000);
    /** The pcap's packet times (µs), from its record headers. */
    const times = (file: string): number[] => {
      const data = readFileSync(file);
      const out: number[] = [];
      for (let at = 24; at + 16 <= data.length; at += 16 + data.readUInt32LE(at + 8))
        out.push(data.readUInt32LE(at) * 1e6 + data.readUInt32LE(at + 4));
      return out;
    };
    const regs = await run(lab, 'EXP TRACE KIND=REGISTRATION');
    expect(regs.retcode).toBe(0);
    expect(regs.message).toMatch(/^4 messages of 2 dialogs written to .*trace_2_dialogs_\d{8}T\d{6}\.pcap$/);
    const t = times(String(regs.tables[0]!.rows[0]![0]));
    expect(t).toHaveLength(4);
    expect(t).toEqual([...t].sort((a, b) => a - b));
    expect(t[3]! - t[0]!).toBeGreaterThan(60_000_000); // 7001's, a minute before 7002's
    const all = await run(lab, 'EXP TRACE KIND=CALL FORMAT=TEXT');
    expect(readFileSync(String(all.tables[0]!.rows[0]![0]), 'utf8')).toContain(
      `Call-ID ${CALL_ID}: 15 messages`,
    );
    expect((await run(lab, 'EXP TRACE KIND=MESSAGE')).retcode).toBe(5);
    // At most so many messages a file: the dialogs that fit whole, oldest first, and it says it cut.
    const cut = await lab.trace.exportManyFile(
      ['reg-7001@127.0.0.1', CALL_ID, 'reg-7002@127.0.0.1'],
      'PCAP',
      3,
    );
    expect(cut).toMatchObject({ dialogs: 1, messages: 2, cut: true });
    const none = await run(lab, 'EXP TRACE');
    expect(none.retcode).toBe(3);
    expect(none.message).toMatch(/^Parameter CALLID: give a Call-ID, or filters/);
  });

  it('EXP TRACE with filters writes a large file a step at a time, the loop free between, the bytes as in one go', async () => {
    // 50,000 messages (about 50 MB) written in one turn held SIP 2 s.
    const lab = traceLab();
    for (let n = 0; n < 5000; n++) play(lab.tap, registration(10_000 + n));
    const pcap = await turnsDuring(() => run(lab, 'EXP TRACE KIND=REGISTRATION'));
    expect(pcap.result.message).toMatch(/^10000 messages of 5000 dialogs written to .*\.pcap$/);
    // 500 messages a step: gathered in 20 steps, made into packets and written in 20 more.
    expect(pcap.turns).toBeGreaterThanOrEqual(40);
    const ids = Array.from({ length: 5000 }, (_, n) => `reg-${10_000 + n}@127.0.0.1`);
    const messages = ids.flatMap((id) => lab.trace.messages(id));
    const same = readFileSync(String(pcap.result.tables[0]!.rows[0]![0])).equals(
      pcapFile(messages.map(packetOf)),
    );
    expect(same).toBe(true);
    const text = await turnsDuring(() => run(lab, 'EXP TRACE KIND=REGISTRATION FORMAT=TEXT'));
    expect(text.turns).toBeGreaterThanOrEqual(40);
    const written = readFileSync(String(text.result.tables[0]!.rows[0]![0]), 'utf8');
    expect(written.split('\n\nCall-ID reg-')).toHaveLength(5000);
    expect(written).toContain(`Call-ID reg-14999@127.0.0.1: 2 messages`);
  });

  it('says when the ring let messages go: in the status line, and in the ladder of a dialog that lost its first', async () => {
    const lab = traceLab();
    expect((await run(lab, 'SET TRACE RINGMSG=10')).retcode).toBe(0);
    play(lab.tap, FLOW);
    const list = await run(lab, 'DSP TRACE');
    expect(list.message).toMatch(/^in memory: 1 dialog, 10 messages \(.*\), 5 older let go;/);
    const [zh] = await lab.engine.execute('DSP TRACE', 'tester', { lang: 'zh' });
    expect(zh!.message).toContain('，已丢弃较早的 5 条');
    const ladder = await run(lab, `DSP TRACE CALLID="${CALL_ID}"`);
    expect(ladder.tables[0]!.rows[0]![0]).toMatch(
      new RegExp(`^Call-ID ${CALL_ID}: 10 messages from .* \\(the first 5 of 15 left the trace ring\\)$`),
    );
  });

  it('writes an IPv6 address:port in brackets (RFC 5952 §6), in DSP TRACE and in the text export', async () => {
    const lab = traceLab();
    const options =
      'OPTIONS sip:[::1] SIP/2.0\r\nVia: SIP/2.0/TCP [::1]:5061;branch=z9hG4bKv6\r\n' +
      'From: <sip:4001@[::1]>;tag=v6\r\nTo: <sip:[::1]>\r\nCall-ID: v6tcp\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n';
    lab.tap.emit('in', Buffer.from(options), 'TCP', { address: '::1', port: 5060 }, '::1', 57288);
    const shown = await run(lab, 'DSP TRACE CALLID=v6tcp');
    expect(shown.tables[1]!.rows[0]!.slice(3, 6)).toEqual(['IN', 'TCP', '[::1]:57288']);
    const text = await run(lab, 'EXP TRACE CALLID=v6tcp FORMAT=TEXT');
    expect(readFileSync(String(text.tables[0]!.rows[0]![0]), 'utf8')).toMatch(
      /\n#\d+ received TCP \[::1\]:57288 -> \[::1\]:5060 at /,
    );
  });

  it('SET TRACE turns trace.db on and changes the limits; a bad HEP collector names HEP', async () => {
    const lab = traceLab();
    const on = await run(lab, 'SET TRACE STATE=ON RINGMSG=100 DAYS=3 DBMB=50');
    expect(on.retcode).toBe(0);
    expect(lab.settings.get('TRACE.PERSIST')).toBe(true);
    expect(lab.trace.settings).toMatchObject({
      persist: true,
      ringMessages: 100,
      retentionDays: 3,
      dbMB: 50,
    });
    play(lab.tap, FLOW);
    lab.trace.flush();
    expect(existsSync(`${lab.dir}/trace.db`)).toBe(true);
    expect(lab.trace.status().storedMessages).toBe(15);
    const bad = await run(lab, 'SET TRACE HEP="nowhere"');
    expect(bad.retcode).toBe(3);
    expect(bad.message).toMatch(/Parameter HEP: TRACE.HEP_COLLECTOR/);
    expect(lab.settings.get('TRACE.HEP_COLLECTOR')).toBe('');
    const hep = await run(lab, 'SET TRACE HEP="127.0.0.1:9060"');
    expect(hep.retcode).toBe(0);
    expect(lab.trace.settings.hepCollector).toBe('127.0.0.1:9060');
    expect((await run(lab, 'SET TRACE HEP=OFF')).retcode).toBe(0);
    expect(lab.trace.settings.hepCollector).toBe('');
    expect((await run(lab, 'SET TRACE')).retcode).toBe(3);
    lab.trace.stop();
  });

  it('CALLID= takes a part of a Call-ID in any case: one dialog draws it, several are listed', async () => {
    const lab = traceLab();
    play(lab.tap, FLOW);
    play(lab.tap, registration(7001), T0 + 60_000_000);
    play(lab.tap, registration(7002), T0 + 61_000_000);
    const one = await run(lab, 'DSP TRACE CALLID=FLOW-1');
    expect(one.retcode).toBe(0);
    expect(one.message).toBe(`Call-ID ${CALL_ID}: 15 messages`);
    const several = await run(lab, 'DSP TRACE CALLID=REG-700');
    expect(several.retcode).toBe(0);
    expect(several.tables[0]!.rows.map((r) => r[0])).toEqual(['reg-7002@127.0.0.1', 'reg-7001@127.0.0.1']);
    expect((await run(lab, 'DSP TRACE CALLID=nothing')).retcode).toBe(5);
    const exported = await run(lab, 'EXP TRACE CALLID=Flow-1');
    expect(exported.retcode).toBe(0);
    expect(exported.message).toMatch(new RegExp(`^15 messages of Call-ID ${CALL_ID} written to`));
    const ambiguous = await run(lab, 'EXP TRACE CALLID=reg-700');
    expect(ambiguous.retcode).toBe(3);
    expect(ambiguous.message).toContain('reg-7002@127.0.0.1, reg-7001@127.0.0.1');
  });

  it('SET TRACE says "not saved yet" only when one of its keys is left to save, as SET CFG does', async () => {
    const lab = traceLab();
    const same = await run(lab, 'SET TRACE RINGMSG=20000 DAYS=7 HEP=OFF');
    expect(same.retcode).toBe(0);
    expect(same.message).toContain('TRACE.RING_MESSAGES = 20000 (was 20000)');
    expect(same.message).not.toContain('not saved yet');
    const changed = await run(lab, 'SET TRACE DAYS=3');
    expect(changed.message).toMatch(/; not saved yet: SAVE CFG writes it to config\.json$/);
    expect((await run(lab, 'SET TRACE DAYS=7')).message).not.toContain('not saved yet');
    lab.trace.stop();
  });

  it('SET TRACE answered with an error changes nothing, not even the parameters before the bad one', async () => {
    const lab = traceLab();
    const bad = await run(lab, 'SET TRACE STATE=ON RINGMSG=5 HEP=nohostport');
    expect(bad.retcode).toBe(3);
    expect(bad.message).toMatch(/Parameter HEP: TRACE.HEP_COLLECTOR/);
    expect(lab.settings.get('TRACE.PERSIST')).toBe(false);
    expect(lab.settings.source('TRACE.PERSIST')).toBe('default');
    expect(lab.settings.source('TRACE.RING_MESSAGES')).toBe('default');
    expect(lab.settings.unsaved()).toEqual([]);
    expect(lab.trace.settings).toMatchObject({ persist: false, hepCollector: '' });
    expect(existsSync(`${lab.dir}/trace.db`)).toBe(false);
    lab.trace.stop();
  });

  it('CLR TRACE needs CONFIRM=YES and forgets everything', async () => {
    const lab = traceLab();
    play(lab.tap, FLOW);
    expect((await run(lab, 'CLR TRACE')).retcode).toBe(4);
    const r = await run(lab, 'CLR TRACE CONFIRM=YES');
    expect(r.retcode).toBe(0);
    expect(r.message).toBe('Trace cleared: 15 messages in memory, 0 in trace.db');
    expect(lab.trace.dialogs().total).toBe(0);
  });
});
