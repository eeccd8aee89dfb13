// A message with a UTF-8 display name (SIP is UTF-8, RFC 3261 §7.3.1): the TEXT export holds its bytes
// exactly, CRLF kept, and the console's message text reads it as written; bytes that are not UTF-8
// read one character per byte.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageTap } from '../../../core/sip/transport/message-tap';
import { messageView, SipTrace } from '../../../core/trace/index';
import { traceConfig } from './config';

const CALL_ID = 'utf8-1@127.0.0.1';
const register = (from: string): Buffer =>
  Buffer.concat([
    Buffer.from(
      `REGISTER sip:ims.lab SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bKu1\r\nFrom: "`,
      'utf8',
    ),
    Buffer.from(from, 'utf8'),
    Buffer.from(
      `" <sip:1001@ims.lab>;tag=u1\r\nTo: <sip:1001@ims.lab>\r\nCall-ID: ${CALL_ID}\r\n` +
        `CSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n`,
      'utf8',
    ),
  ]);

describe('UTF-8 in traced messages', () => {
  const dirs: string[] = [];
  const traces: SipTrace[] = [];
  afterEach(() => {
    for (const t of traces.splice(0)) t.stop();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const traced = (data: Buffer): SipTrace => {
    const dir = mkdtempSync(join(tmpdir(), 'ims-trace-utf8-'));
    dirs.push(dir);
    const tap = new MessageTap();
    const trace = new SipTrace(tap, dir, traceConfig({ ringMessages: 100, ringMB: 1 }));
    traces.push(trace);
    tap.emit('in', data, 'UDP', { address: '127.0.0.1', port: 5060 }, '127.0.0.1', 5061);
    return trace;
  };

  it('the TEXT export holds the message byte for byte, CRLF and UTF-8 kept', () => {
    const data = register('Jürgen 李');
    const text = traced(data).export(CALL_ID, 'TEXT');
    expect(text.indexOf(data)).toBeGreaterThan(0);
    expect(text.toString('utf8')).toContain('From: "Jürgen 李" <sip:1001@ims.lab>;tag=u1\r\nTo:');
  });

  it('the TEXT export escapes what would drive a terminal, UTF-8 or not; the pcap keeps the bytes', () => {
    // UTF-8: ESC and BEL escaped as the log writes them, the CRLFs kept.
    const utf8 = traced(register('J\u00fcrgen \x1b]0;PWNED\x07'));
    expect(utf8.export(CALL_ID, 'TEXT').toString('utf8')).toContain(
      'From: "Jürgen \\x1B]0;PWNED\\x07" <sip:1001@ims.lab>;tag=u1\r\nTo:',
    );
    expect(utf8.export(CALL_ID, 'PCAP').includes(Buffer.from('\x1b]0;PWNED\x07'))).toBe(true);
    // Not UTF-8 (a latin1 ü, an 8-bit CSI 0x9B): byte by byte, the CSI and ESC escaped, the ü kept.
    const latin1 = traced(Buffer.from(register('J\u00fcrgen \u009b2J\x1b[2J').toString('utf8'), 'latin1'));
    const text = latin1.export(CALL_ID, 'TEXT');
    expect(text.includes(0x9b) || text.includes(0x1b)).toBe(false);
    expect(text.toString('latin1')).toContain('From: "J\u00fcrgen \\x9B2J\\x1B[2J" <sip:');
  });

  it('the TEXT export escapes bidi overrides and zero-width characters, RTL letters kept', () => {
    const trace = traced(register('\u202Egnp.exe\u200B \u2066x\u2069 مرحبا'));
    expect(trace.export(CALL_ID, 'TEXT').toString('utf8')).toContain(
      'From: "\\u202Egnp.exe\\u200B \\u2066x\\u2069 مرحبا" <sip:1001@ims.lab>;tag=u1\r\n',
    );
  });

  it("the console's message text reads UTF-8 as written, and other bytes one character each", () => {
    const utf8 = traced(register('Jürgen 李'));
    expect(messageView(utf8.messages(CALL_ID)[0]!, 0).text).toContain('From: "Jürgen 李" <sip:');
    const latin1 = traced(Buffer.from(register('J\u00fcrgen').toString('utf8'), 'latin1'));
    expect(messageView(latin1.messages(CALL_ID)[0]!, 0).text).toContain('From: "Jürgen" <sip:');
  });
});
