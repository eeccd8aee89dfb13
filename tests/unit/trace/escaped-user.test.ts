// A dialled feature code in the trace: the dialer (as a phone) sends `*21#` as `sip:*21%23@ims.lab`, an
// escaped character being the same as itself (RFC 3261 §19.1.2, §19.1.4). DSP TRACE lists the callee as
// *21# and USER=*21# finds the call (USER=*21%23 too), in the ring and in trace.db after a restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageTap } from '../../../core/sip/transport/message-tap';
import { SipTrace } from '../../../core/trace/index';
import { userKey } from '../../../core/trace/user-key';
import { CALLER, play } from './flow';
import { traceConfig } from './config';

const CALL_ID = 'feature-code@127.0.0.1';
const INVITE =
  'INVITE sip:*21%23@ims.lab SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bKfc1\r\n' +
  `Max-Forwards: 70\r\nFrom: <sip:0000@ims.lab>;tag=a1\r\nTo: <sip:*21%23@ims.lab>\r\nCall-ID: ${CALL_ID}\r\n` +
  'CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n';

describe('a user part with escapes', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('is decoded, in lower case; left as written when it would decode to a space or is not UTF-8', () => {
    expect(userKey('*21%23')).toBe('*21#');
    expect(userKey('Alice%2eSmith')).toBe('alice.smith');
    expect(userKey('a%20b')).toBe('a%20b');
    expect(userKey('bad%zz')).toBe('bad%zz');
    expect(userKey('%ff')).toBe('%ff');
  });

  for (const persist of [false, true]) {
    it(`${persist ? 'trace.db' : 'the ring'}: the callee listed as dialled, USER= finds it either way`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'ims-trace-user-'));
      dirs.push(dir);
      const tap = new MessageTap();
      let trace = new SipTrace(tap, dir, traceConfig({ persist }));
      play(tap, [{ dir: 'in', peer: CALLER, text: INVITE, at: 0 }]);
      if (persist) {
        trace.stop(); // what is listed now comes from trace.db
        trace = new SipTrace(tap, dir, traceConfig({ persist }));
      }
      const found = (user: string): string[] =>
        trace.dialogs({ user }).dialogs.map((d) => `${d.callId} ${d.from} -> ${d.to}`);
      expect(found('*21#')).toEqual([`${CALL_ID} 0000 -> *21#`]);
      expect(found('*21%23')).toEqual([`${CALL_ID} 0000 -> *21#`]);
      expect(found('*21')).toEqual([]);
      trace.stop();
    });
  }
});
