// Who a message is from, in the trace: the user part of the From/To name-addr's addr-spec (RFC 3261 §25.1,
// name-addr = [ display-name ] LAQUOT addr-spec RAQUOT). A quoted display name may hold `<`, `sip:`, `\"`:
// it names nobody. DSP TRACE USER= and the console's Trace list read the same parties, in the ring and in
// trace.db after a restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageTap } from '../../../core/sip/transport/message-tap';
import { SipTrace } from '../../../core/trace/index';
import { partiesOfData } from '../../../core/trace/trace-message';
import { CALLER, play } from './flow';
import { traceConfig } from './config';

function message(callId: string, from: string, to: string, uri = 'sip:1002@127.0.0.1'): string {
  return (
    `MESSAGE ${uri} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK${callId}\r\n` +
    `Max-Forwards: 70\r\nFrom: ${from};tag=x\r\nTo: ${to}\r\nCall-ID: ${callId}\r\n` +
    'CSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n'
  );
}

const parties = (text: string): string => {
  const p = partiesOfData(Buffer.from(text, 'latin1'));
  return `${p.uri} ${p.from} ${p.to}`;
};

describe('the parties of a traced message', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('are the addr-spec users, whatever a quoted display name says', () => {
    const real = '1002 1001 1002';
    expect(
      parties(
        message('a', '"<sip:1003@127.0.0.1>" <sip:1001@127.0.0.1>', '"<sip:555@x>" <sip:1002@127.0.0.1>'),
      ),
    ).toBe(real);
    expect(parties(message('b', '"sip:1003@x" <sip:1001@127.0.0.1>', '"tel:555" <sip:1002@127.0.0.1>'))).toBe(
      real,
    );
    expect(parties(message('c', '"<img src=x>" <sip:1001@127.0.0.1>', '<sip:1002@127.0.0.1>'))).toBe(real);
    expect(parties(message('d', '"a \\"<sip:1003@x>\\" b" <sip:1001@127.0.0.1>', 'sip:1002@127.0.0.1'))).toBe(
      real,
    );
    expect(parties(message('e', 'Alice <sip:1001@127.0.0.1>', '<tel:1002>'))).toBe(real);
    // No user part (a Request-URI naming the domain), or a From that does not parse: nobody.
    expect(parties(message('f', '"<sip:1003@x> <sip:1001@127.0.0.1>', '<sip:1002@x>', 'sip:127.0.0.1'))).toBe(
      ' ' + ' 1002',
    );
  });

  for (const persist of [false, true]) {
    it(`${persist ? 'trace.db' : 'the ring'}: USER= finds the real caller, not the display name's`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'ims-trace-display-'));
      dirs.push(dir);
      const tap = new MessageTap();
      let trace = new SipTrace(tap, dir, traceConfig({ persist }));
      const text = message(
        'spoof1@sec3',
        '"<sip:1003@127.0.0.1>" <sip:1001@127.0.0.1>',
        '"<sip:555@x>" <sip:1002@127.0.0.1>',
      );
      play(tap, [{ dir: 'in', peer: CALLER, text, at: 0 }]);
      if (persist) {
        trace.stop(); // what is listed now comes from trace.db
        trace = new SipTrace(tap, dir, traceConfig({ persist }));
      }
      const found = (user: string): string[] =>
        trace.dialogs({ user }).dialogs.map((d) => `${d.callId} ${d.from} -> ${d.to}`);
      expect(found('1001')).toEqual(['spoof1@sec3 1001 -> 1002']);
      expect(found('1003')).toEqual([]);
      expect(found('555')).toEqual([]);
      trace.stop();
    });
  }
});
