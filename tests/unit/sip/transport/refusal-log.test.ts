// A refused connection is logged once per address a minute (a scanner cannot flood the log).
import { describe, expect, it, vi } from 'vitest';
import { LINES_PER_MINUTE, malformedLogger, refusalLogger } from '../../../../core/sip/transport/refusal-log';
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
    refused('TLS', '192.0.2.10', 'sent nothing within 20 s (SIP.MESSAGE_TIMEOUT)');
    now = 61_000;
    refused('TLS', '192.0.2.9', 'ERR_SSL_UNSUPPORTED_PROTOCOL');
    expect(lines).toEqual([
      'TLS handshake failed from 192.0.2.9: ERR_SSL_UNSUPPORTED_PROTOCOL (more from it within a minute are counted, not logged)',
      'WS upgrade refused from 192.0.2.9: 403 Origin Not Allowed (more from it within a minute are counted, not logged)',
      'TLS connection closed from 192.0.2.10: sent nothing within 20 s (SIP.MESSAGE_TIMEOUT) (more from it within a minute are counted, not logged)',
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

describe('a flood from many addresses', () => {
  // UDP sources are free to forge: 12,000 datagrams from 12,000 addresses wrote 12,000 WARNINGs, and a
  // lock-out's WARNING was gone from DSP LOG and the Logs view (the ring keeps the last 1,000 alerts).
  it('says at most LINES_PER_MINUTE lines a minute in all, and sums up the rest as the minute ends', () => {
    vi.useFakeTimers();
    try {
      const lines: string[] = [];
      const log = { warning: (m: string) => lines.push(m) } as unknown as Log;
      const malformed = malformedLogger(log);
      for (let i = 0; i < 12_000; i++)
        malformed(
          'UDP',
          `127.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
          5060,
          '400 Missing To header',
          true,
        );
      expect(lines).toHaveLength(LINES_PER_MINUTE);
      vi.advanceTimersByTime(60_000);
      expect(lines).toHaveLength(LINES_PER_MINUTE + 1);
      expect(lines.at(-1)).toBe(
        `${12_000 - LINES_PER_MINUTE} more malformed SIP messages from ${12_000 - LINES_PER_MINUTE} address(es) within a minute were counted, not logged (more than ${LINES_PER_MINUTE} a minute from all addresses)`,
      );
      // The next minute says them again, as many.
      malformed('UDP', '192.0.2.77', 5060, '400 Missing To header', true);
      expect(lines).toHaveLength(LINES_PER_MINUTE + 2);
    } finally {
      vi.useRealTimers();
    }
  });
});
