// Text the trace reads from a message's own bytes for its lists is UTF-8 when it is (RFC 3261 §7.3.1):
// the Call-ID of a message that did not parse (a word outside §25.1's characters), and a response's
// reason phrase (TEXT-UTF8) in the arrow's label. They were read one character per byte: a Call-ID
// holding 李 was listed as `å\x9D\x8E` and could not be looked up as typed. A Call-ID that is not UTF-8
// still reads one character per byte; HEP links the messages of either by the same bytes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageTap } from '../../../core/sip/transport/message-tap';
import { label, SipTrace } from '../../../core/trace/index';
import { hepPacket } from '../../../core/trace/hep';
import { traceConfig } from './config';

const PROXY = { address: '127.0.0.1', port: 5060 };

function message(callId: string, startLine = 'MESSAGE sip:1002@ims.lab SIP/2.0'): Buffer {
  return Buffer.concat([
    Buffer.from(`${startLine}\r\nVia: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bKu8\r\n`),
    Buffer.from('From: <sip:1001@ims.lab>;tag=a\r\nTo: <sip:1002@ims.lab>\r\nCall-ID: '),
    Buffer.from(callId, 'latin1'), // the bytes as given
    Buffer.from('\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n'),
  ]);
}
const utf8 = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');

describe('UTF-8 text in the trace lists', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  for (const persist of [false, true]) {
    it(`${persist ? 'trace.db' : 'the ring'}: a malformed message's Call-ID is listed and found as its characters`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'ims-trace-callid-'));
      dirs.push(dir);
      const tap = new MessageTap();
      let trace = new SipTrace(tap, dir, traceConfig({ persist }));
      tap.emit(
        'in',
        message(utf8('bad李@evil')),
        'UDP',
        PROXY,
        '127.0.0.1',
        5061,
        undefined,
        'Malformed Call-ID header',
      );
      tap.emit(
        'in',
        message('bad\xff@evil'),
        'UDP',
        PROXY,
        '127.0.0.1',
        5061,
        undefined,
        'Malformed Call-ID header',
      );
      const reply = message('ok@h', 'SIP/2.0 486 忙碌中');
      tap.emit('in', reply, 'UDP', PROXY, '127.0.0.1', 5062);
      if (persist) {
        trace.stop(); // what is listed now comes from trace.db
        trace = new SipTrace(tap, dir, traceConfig({ persist }));
      }
      const ids = trace.dialogs().dialogs.map((d) => d.callId);
      expect(ids.sort()).toEqual(['bad\xff@evil', 'bad李@evil', 'ok@h']);
      expect(trace.messages('bad李@evil')).toHaveLength(1);
      expect(trace.messages('bad\xff@evil')).toHaveLength(1);
      expect(trace.messages('ok@h').map(label)).toEqual(['486 忙碌中 (MESSAGE)']);
      trace.stop();
    });
  }

  it("HEP links a message by its Call-ID's bytes", () => {
    const packet = (callId: string): Buffer =>
      hepPacket(
        { timeUs: 1, src: PROXY, dst: PROXY, transport: 'UDP', data: Buffer.from('x') },
        { captureId: 1 },
        callId,
      );
    expect(packet('bad李@evil').includes(Buffer.from('bad李@evil', 'utf8'))).toBe(true);
    expect(packet('ok@h').includes(Buffer.from('ok@h'))).toBe(true);
  });
});
