// The dialer's user agent (account 0000) for unit tests: on a port of its own on 127.0.0.1, its proxy a
// loopback socket the test plays, on the real timers and a silent log.
import { createSocket, type Socket } from 'node:dgram';
import { CounterSet } from '../../core/observe/counters';
import { SILENT_LOG } from '../../core/observe/log';
import { DEFAULT_TIMERS } from '../../core/sip/transaction/timer-values';
import { UserAgent } from '../../core/sip/ua/user-agent';

/** Binds a UDP socket on 127.0.0.1 (closed by the caller). */
export async function loopbackSocket(): Promise<Socket> {
  const s = createSocket('udp4');
  await new Promise<void>((ok) => s.bind(0, '127.0.0.1', () => ok()));
  return s;
}

/** The dialer's user agent, its proxy at 127.0.0.1:`proxyPort`; started. */
export async function dialerAgent(proxyPort: number): Promise<UserAgent> {
  const ua = new UserAgent({
    host: '127.0.0.1',
    port: 0,
    advertised: '127.0.0.1',
    server: { transport: 'UDP', address: '127.0.0.1', port: proxyPort },
    domain: '127.0.0.1',
    username: '0000',
    password: 'x',
    product: 'test',
    counters: new CounterSet(),
    timerBase: DEFAULT_TIMERS,
    log: SILENT_LOG,
  });
  await ua.start();
  return ua;
}
