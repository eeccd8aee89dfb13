// With DIALER.LOCAL_IP empty the dialer's socket bound 0.0.0.0 whatever the server's family: to an IPv6
// server its REGISTER never left, and STR DIALSVC said "503 Service Unavailable", an answer nobody sent,
// with nothing logged. The socket now takes the server's family; a request its own transport refuses is
// named (where to, from where, the socket's error) and logged, not a bare 503 (RFC 3261 §8.1.3.1 makes
// it a 503 for the transaction user only).
import { describe, expect, it } from 'vitest';
import { socketHostFor } from '../../../../core/dialer/dialer';
import { CounterSet } from '../../../../core/observe/counters';
import { SILENT_LOG } from '../../../../core/observe/log';
import { DEFAULT_TIMERS } from '../../../../core/sip/transaction/timer-values';
import { Registration } from '../../../../core/sip/ua/registration';
import { UserAgent } from '../../../../core/sip/ua/user-agent';

describe("the dialer's socket and the server's address family", () => {
  it('binds the family of the server it registers to', () => {
    expect(socketHostFor('127.0.0.1')).toBe('127.0.0.1');
    expect(socketHostFor('::1')).toBe('::1');
    expect(socketHostFor('192.0.2.2')).toBe('0.0.0.0');
    expect(socketHostFor('2001:db8::2')).toBe('::');
  });

  it('a REGISTER its own socket cannot send is named and logged, not a bare 503', async () => {
    const warnings: string[] = [];
    const ua = new UserAgent({
      host: '127.0.0.1',
      port: 0,
      advertised: '127.0.0.1',
      server: { transport: 'UDP', address: '::1', port: 43099 },
      domain: 'ims.lab',
      username: '0000',
      password: 'x',
      product: 'test',
      counters: new CounterSet(),
      timerBase: DEFAULT_TIMERS,
      log: { ...SILENT_LOG, warning: (m: string) => warnings.push(m) },
    });
    await ua.start();
    try {
      const r = await new Registration(ua, 60).register();
      const said = `REGISTER to [::1]:43099 could not be sent from 127.0.0.1:${ua.port}: EINVAL`;
      expect(r).toMatchObject({ ok: false, status: 503, unsent: said });
      expect(warnings).toEqual([`user agent: ${said}`]);
    } finally {
      await ua.stop();
    }
  });
});
