// The dialer's user agent (account 0000) for unit tests: on a port of its own on 127.0.0.1, its proxy a
// loopback socket the test plays, on the real timers and a silent log.
import { createSocket, type Socket } from 'node:dgram';
import { afterEach } from 'vitest';
import { CounterSet } from '../../core/observe/counters';
import { SILENT_LOG } from '../../core/observe/log';
import type { SipRequest } from '../../core/sip/message/index';
import { DEFAULT_TIMERS } from '../../core/sip/transaction/timer-values';
import type { TimerWheel } from '../../core/sip/transaction/timer-wheel';
import { UserAgent } from '../../core/sip/ua/user-agent';

/** Binds a UDP socket on 127.0.0.1 (closed by the caller). */
export async function loopbackSocket(): Promise<Socket> {
  const s = createSocket('udp4');
  await new Promise<void>((ok) => s.bind(0, '127.0.0.1', () => ok()));
  return s;
}

/** The dialer's user agent, its proxy at 127.0.0.1:`proxyPort`, its timers on `timers` if given; started. */
export async function dialerAgent(proxyPort: number, timers?: TimerWheel): Promise<UserAgent> {
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
    timers,
  });
  await ua.start();
  return ua;
}

/** An audio offer or answer on 127.0.0.1 (the far end's, or the call's own). */
export const LOOPBACK_SDP =
  'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n';

/** The callee's 200 OK to `invite` (every Via, its To tag callee1), with `contact` and LOOPBACK_SDP. */
export function okTo(invite: SipRequest, contact: string): string {
  return [
    'SIP/2.0 200 OK',
    ...invite.headerValues('via').map((v) => `Via: ${v}`),
    `From: ${invite.header('from')}`,
    `To: ${invite.header('to')};tag=callee1`,
    `Call-ID: ${invite.callId}`,
    'CSeq: 1 INVITE',
    `Contact: ${contact}`,
    'Content-Type: application/sdp',
    `Content-Length: ${LOOPBACK_SDP.length}`,
    '',
    LOOPBACK_SDP,
  ].join('\r\n');
}

/**
 * The agent and sockets of a test file, stopped and closed after each test: `track` a socket, `start` the
 * agent (its proxy at `proxyPort`).
 */
export function agentPerTest(): { track(s: Socket): Socket; start(proxyPort: number): Promise<UserAgent> } {
  let ua: UserAgent | undefined;
  const sockets: Socket[] = [];
  afterEach(async () => {
    await ua?.stop();
    ua = undefined;
    for (const s of sockets.splice(0)) s.close();
  });
  return {
    track: (s) => (sockets.push(s), s),
    start: async (proxyPort) => (ua = await dialerAgent(proxyPort)),
  };
}
