// A refused connection is logged once per address a minute (a scanner cannot flood the log).
import { describe, expect, it } from 'vitest';
import { malformedLogger, refusalLogger } from '../../../../core/sip/transport/refusal-log';
import type { Log } from '../../../../core/observe/log';

describe('refusalLogger', () => {
  it('logs the first refusal of an address, then stays quiet for a minute', () => {
    const lines: string[] = [];
    const log = { warning: (m: string) => lines.push(m) } as unknown as Log;
    let now = 0;
    const refused = refusalLogger(log, () => now);
    refused('TLS', '192.0.2.9', 'ERR_SSL_UNSUPPORTED_PROTOCOL');
    refused('TLS', '192.0.2.9', 'ERR_SSL_UNSUPPORTED_PROTOCOL');
    refused('WS', '192.0.2.9', '403 Origin Not Allowed');
    now = 61_000;
    refused('TLS', '192.0.2.9', 'ERR_SSL_UNSUPPORTED_PROTOCOL');
    expect(lines).toEqual([
      'TLS handshake failed from 192.0.2.9: ERR_SSL_UNSUPPORTED_PROTOCOL (more from it within a minute are counted, not logged)',
      'WS upgrade refused from 192.0.2.9: 403 Origin Not Allowed (more from it within a minute are counted, not logged)',
      'TLS handshake failed from 192.0.2.9: ERR_SSL_UNSUPPORTED_PROTOCOL (more from it within a minute are counted, not logged)',
    ]);
  });
});

describe('malformedLogger', () => {
  it('says what a refused or dropped message lacked and who sent it, once per address a minute', () => {
    const lines: string[] = [];
    const log = { warning: (m: string) => lines.push(m) } as unknown as Log;
    let now = 0;
    const malformed = malformedLogger(log, () => now);
    malformed('UDP', '192.0.2.9', 5062, '400 Missing Call-ID header', true);
    malformed('UDP', '192.0.2.9', 5062, '400 Missing CSeq header', true);
    malformed('TCP', '2001:db8::9', 40000, '400 Incomplete message: no line end', false);
    now = 61_000;
    malformed('UDP', '192.0.2.9', 5064, '400 Missing CSeq header', true);
    expect(lines).toEqual([
      'SIP message from UDP 192.0.2.9:5062 refused: 400 Missing Call-ID header (more from it within a minute are counted, not logged)',
      'SIP message from TCP [2001:db8::9]:40000 dropped: 400 Incomplete message: no line end (more from it within a minute are counted, not logged)',
      'SIP message from UDP 192.0.2.9:5064 refused: 400 Missing CSeq header (more from it within a minute are counted, not logged)',
    ]);
  });
});
