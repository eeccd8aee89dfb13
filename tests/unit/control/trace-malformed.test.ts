// Received messages that did not parse, in the trace: one whose Call-ID is readable (long or compact
// form, RFC 3261 §7.3.3) is filed under it; those with none at all are listed under the empty Call-ID,
// which the control contract's queries and MML's CALLID="" open like any other.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Appliance } from '../../../core/appliance';
import { Settings } from '../../../core/config/settings';
import { ControlSession } from '../../../core/control/control';
import { snapshot } from './snapshot';
import type { ControlResponse } from '../../../core/control/contract';

let dataDir: string;
let appliance: Appliance;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'ims-control-malformed-'));
  appliance = new Appliance({ dataDir, console: false, settings: new Settings([['LOG.LEVEL', 'INFO']]) });
});

afterEach(async () => {
  await appliance.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const register = (callIdLine: string, branch: string): string =>
  `REGISTER sip:ims.lab SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5061;branch=${branch}\r\nA line without a colon\r\n` +
  `From: <sip:1001@ims.lab>;tag=m1\r\nTo: <sip:1001@ims.lab>\r\n${callIdLine}\r\nCSeq: 1 REGISTER\r\n` +
  `Content-Length: 0\r\n\r\n`;

/** What the transport taps for a datagram that did not parse (tests/unit/sip/transport/message-tap). */
function received(text: string, port: number): void {
  appliance.transport.tap.emit(
    'in',
    Buffer.from(text, 'latin1'),
    'UDP',
    { address: '127.0.0.1', port: 5060 },
    '127.0.0.1',
    port,
    undefined,
    '400 Malformed header: line without a colon',
  );
}

describe('malformed messages in the trace', () => {
  it('files a readable Call-ID under itself, and opens the ones without any', async () => {
    received(register('Call-ID: 20795-long@127.0.0.1', 'z9hG4bKm1'), 5061);
    received(register('i:  20796-compact@127.0.0.1 ', 'z9hG4bKm2'), 5062);
    received('HELLO WORLD\r\n\r\n', 5063);
    const s = new ControlSession(appliance, 'test', () => undefined);
    const list = await snapshot(s, 'trace');
    expect(list.dialogs.map((d) => [d.callId, d.kind]).sort()).toEqual([
      ['', 'malformed'],
      ['20795-long@127.0.0.1', 'registration'],
      ['20796-compact@127.0.0.1', 'registration'],
    ]);
    const none = await snapshot(s, 'traceMessages', { callId: '' });
    expect(none.messages.map((m) => [m.text, m.error])).toEqual([
      ['HELLO WORLD\r\n\r\n', '400 Malformed header: line without a colon'],
    ]);
    const exported = await snapshot(s, 'traceExport', { callId: '' });
    expect(exported.messages).toBe(1);
    const dsp = (await s.handle({ op: 'execute', mml: 'DSP TRACE:CALLID=""' })) as ControlResponse<{
      results: { retcode: number; message: string }[];
    }>;
    expect(dsp.ok && dsp.result.results[0]).toMatchObject({
      retcode: 0,
      message: 'Messages without a Call-ID: 1 message',
    });
  });
});
