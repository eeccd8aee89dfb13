// A request IMS Lab refused once its handling began (the registrar's 400 for a second Expires, for a
// Contact it cannot take: RFC 3261 §8.2) was kept in the trace as accepted, while one the transport
// refused is marked malformed ("REGISTER (malformed)", its error the 400). The transaction layer hears
// every 400 a transaction answers itself and the trace marks the request the same way, in the ring and
// in trace.db.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseMessage, type SipRequest } from '../../../core/sip/message/index';
import { MessageTap } from '../../../core/sip/transport/message-tap';
import { label, SipTrace } from '../../../core/trace/index';
import { CALLER, PROXY } from './flow';
import { traceConfig } from './config';
import { stack } from '../sip/proxy/stack';
import { CALLEE, register } from '../sip/proxy/call-steps';

const register2 = (n: number): string =>
  `REGISTER sip:ims.lab SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bKlate${n}\r\n` +
  `From: <sip:4001@ims.lab>;tag=r${n}\r\nTo: <sip:4001@ims.lab>\r\nCall-ID: late-${n}@127.0.0.1\r\n` +
  `CSeq: 1 REGISTER\r\nContact: <sip:4001@127.0.0.1:5061>\r\nExpires: 60\r\nExpires: 120\r\nContent-Length: 0\r\n\r\n`;
const ANSWER = '400 Duplicate Expires header';

function received(tap: MessageTap, text: string): SipRequest {
  const data = Buffer.from(text, 'latin1');
  const message = parseMessage(data) as SipRequest;
  tap.emit('in', data, 'UDP', PROXY, CALLER.address, CALLER.port, message);
  return message;
}

describe('a request refused late in the trace', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  for (const persist of [false, true]) {
    it(`${persist ? 'trace.db' : 'the ring'}: marked malformed as an early-refused one is`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'ims-trace-late-'));
      dirs.push(dir);
      const tap = new MessageTap();
      let trace = new SipTrace(tap, dir, traceConfig({ persist }));
      const first = received(tap, register2(1));
      const second = received(tap, register2(2));
      // Only the request being handled: the one before it is left as it was.
      expect(trace.refusedLate(first, ANSWER)).toBe(false);
      expect(trace.refusedLate(second, ANSWER)).toBe(true);
      if (persist) {
        trace.stop(); // what is read next comes from trace.db
        trace = new SipTrace(tap, dir, traceConfig({ persist, ringMessages: 0 }));
      }
      const [kept] = trace.messages('late-2@127.0.0.1');
      expect([kept!.error, label(kept!)]).toEqual([ANSWER, 'REGISTER (malformed)']);
      expect(trace.messages('late-1@127.0.0.1')[0]!.error).toBeUndefined();
      trace.stop();
    });
  }

  it("the transaction layer tells of a 400 a transaction answered itself (the registrar's), not of a 200", async () => {
    const s = stack();
    const refused: string[] = [];
    s.layer.onRefused = (request, why) => refused.push(`${request.callId}: ${why}`);
    await register(s, CALLEE, '1002', 'ok');
    await register(s, CALLEE, '1002', 'twice', ['Expires: 120']);
    expect(refused).toEqual([`reg-1002-twice: ${ANSWER}`]);
  });
});
