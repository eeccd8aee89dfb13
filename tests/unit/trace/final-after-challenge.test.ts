// A dialog's final status after a digest challenge: the 407 (or 401) answers the first INVITE, the caller
// retries it with credentials (RFC 3261 §22.2, §22.3), so while the retried INVITE rings the call has no
// final answer yet, and DSP TRACE FINAL=4XX ("calls that failed, not those challenged") must not list
// it; its final status is then the retried INVITE's. The same in the ring and in trace.db.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageTap } from '../../../core/sip/transport/message-tap';
import { SipTrace } from '../../../core/trace/index';
import { CALLEE, CALLER, type FlowStep, play } from './flow';
import { traceConfig } from './config';

const CALL_ID = 'challenged@127.0.0.1';

function message(firstLine: string, cseq: string, toTag = ''): string {
  return (
    `${firstLine}\r\nVia: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK${cseq.replace(' ', '')}\r\n` +
    `From: <sip:4001@127.0.0.1>;tag=a1\r\nTo: <sip:4002@127.0.0.1>${toTag}\r\nCall-ID: ${CALL_ID}\r\n` +
    `CSeq: ${cseq}\r\nContent-Length: 0\r\n\r\n`
  );
}

const INVITE = 'INVITE sip:4002@127.0.0.1 SIP/2.0';
/** Challenged, retried with credentials, ringing: no final answer yet. */
const RINGING: FlowStep[] = [
  { dir: 'in', peer: CALLER, text: message(INVITE, '1 INVITE'), at: 0 },
  {
    dir: 'out',
    peer: CALLER,
    text: message('SIP/2.0 407 Proxy Authentication Required', '1 INVITE', ';tag=p1'),
    at: 0.2,
  },
  { dir: 'in', peer: CALLER, text: message('ACK sip:4002@127.0.0.1 SIP/2.0', '1 ACK', ';tag=p1'), at: 0.4 },
  { dir: 'in', peer: CALLER, text: message(INVITE, '2 INVITE'), at: 0.5 },
  { dir: 'out', peer: CALLEE, text: message(INVITE, '2 INVITE'), at: 0.8 },
  { dir: 'in', peer: CALLEE, text: message('SIP/2.0 180 Ringing', '2 INVITE', ';tag=b2'), at: 20 },
  { dir: 'out', peer: CALLER, text: message('SIP/2.0 180 Ringing', '2 INVITE', ';tag=b2'), at: 20.2 },
];
const CANCELLED: FlowStep[] = [
  {
    dir: 'in',
    peer: CALLEE,
    text: message('SIP/2.0 487 Request Terminated', '2 INVITE', ';tag=b2'),
    at: 900,
  },
  {
    dir: 'out',
    peer: CALLER,
    text: message('SIP/2.0 487 Request Terminated', '2 INVITE', ';tag=b2'),
    at: 900.2,
  },
];

describe('final status of a challenged call', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  for (const persist of [false, true]) {
    it(`${persist ? 'trace.db' : 'the ring'}: none while the retried INVITE rings, then its own`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'ims-trace-challenge-'));
      dirs.push(dir);
      const tap = new MessageTap();
      let trace = new SipTrace(tap, dir, traceConfig({ persist }));
      const listed = (finalClass?: number): [string, number][] =>
        trace
          .dialogs(finalClass === undefined ? {} : { finalClass })
          .dialogs.map((d) => [d.callId, d.finalStatus]);
      const restartOnDb = (): void => {
        if (!persist) return;
        trace.stop(); // the ring is gone: what is listed comes from trace.db
        trace = new SipTrace(tap, dir, traceConfig({ persist }));
      };

      play(tap, RINGING);
      restartOnDb();
      expect(listed()).toEqual([[CALL_ID, 0]]);
      expect(listed(4)).toEqual([]);

      play(tap, CANCELLED);
      restartOnDb();
      expect(listed(4)).toEqual([[CALL_ID, 487]]);
      trace.stop();
    });

    it(`${persist ? 'trace.db' : 'the ring'}: a malformed 200 the server refused, or a late one it never relayed, is no answer of the call`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'ims-trace-malformed-'));
      dirs.push(dir);
      const tap = new MessageTap();
      let trace = new SipTrace(tap, dir, traceConfig({ persist }));
      const malformed200: FlowStep = {
        dir: 'in',
        peer: CALLEE,
        text: message('SIP/2.0 200 OK', '2 INVITE', ';tag=b2'),
        at: 500,
        error: '400 Malformed Via header',
      };
      // And a well-formed 200 the callee sent after its 487 was ACKed: never relayed (no 200 out).
      const late200: FlowStep = {
        dir: 'in',
        peer: CALLEE,
        text: message('SIP/2.0 200 OK', '2 INVITE', ';tag=b2'),
        at: 1200,
      };
      play(tap, [...RINGING, malformed200, ...CANCELLED, late200]);
      if (persist) {
        trace.stop();
        trace = new SipTrace(tap, dir, traceConfig({ persist }));
      }
      expect(trace.dialogs({ finalClass: 4 }).dialogs.map((d) => [d.callId, d.finalStatus])).toEqual([
        [CALL_ID, 487],
      ]);
      trace.stop();
    });
  }
});
