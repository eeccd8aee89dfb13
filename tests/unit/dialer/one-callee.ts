// A dialer call against one loopback socket playing proxy and callee: it answers the INVITE with a given
// SDP (200 OK, tag callee1) and each BYE with 200, and keeps the requests it got. The call's media runs on
// a fake clock the test moves (tick). For the dialer's unit tests of what an answer makes of a call.
import { createSocket, type Socket } from 'node:dgram';
import { DialerCall } from '../../../core/dialer/dialer-call';
import { MediaClock } from '../../../core/media/media-clock';
import { RtpPortPool } from '../../../core/media/port-pool';
import { CounterSet } from '../../../core/observe/counters';
import { SILENT_LOG } from '../../../core/observe/log';
import { parseMessage, SipRequest } from '../../../core/sip/message/index';
import { DEFAULT_TIMERS } from '../../../core/sip/transaction/timer-values';
import { UserAgent } from '../../../core/sip/ua/user-agent';

export interface OneCallee {
  call: DialerCall;
  /** SIP requests the callee got, in order. */
  got: SipRequest[];
  /** Moves the media clock by `ms` and sends what is due. */
  tick(ms: number): void;
  close(): Promise<void>;
}

/** Binds a UDP socket on 127.0.0.1 (closed by the caller). */
export async function loopbackSocket(): Promise<Socket> {
  const s = createSocket('udp4');
  await new Promise<void>((ok) => s.bind(0, '127.0.0.1', () => ok()));
  return s;
}

/** Until `done` holds (10 ms steps, at most 3 s: waits for datagrams, not for time to pass). */
export async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
}

/** The dialer's user agent (account 0000) on a port of its own, its proxy at `proxyPort`; started. */
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

export async function callOneCallee(
  answerSdp: string,
  spec: { durationMs?: number; dtmf?: string; rtpPorts: [number, number] },
): Promise<OneCallee> {
  const proxy = await loopbackSocket();
  const me = proxy.address().port;
  const ua = await dialerAgent(me);
  const uaPort = ua.port;
  const got: SipRequest[] = [];
  const reply = (m: SipRequest, first: string, body = ''): void => {
    const text = [
      first,
      ...m.headerValues('via').map((v) => `Via: ${v}`),
      `From: ${m.header('from')}`,
      `To: ${m.header('to')}${m.to.tag === undefined ? ';tag=callee1' : ''}`,
      `Call-ID: ${m.callId}`,
      `CSeq: ${m.cseq.seq} ${m.method}`,
      `Contact: <sip:1002@127.0.0.1:${me}>`,
      ...(body === '' ? [] : ['Content-Type: application/sdp']),
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ].join('\r\n');
    proxy.send(text, uaPort, '127.0.0.1');
  };
  proxy.on('message', (data) => {
    const m = parseMessage(data);
    if (!(m instanceof SipRequest)) return;
    got.push(m);
    if (m.method === 'INVITE') reply(m, 'SIP/2.0 200 OK', answerSdp);
    else if (m.method === 'BYE') reply(m, 'SIP/2.0 200 OK');
  });
  let now = 0;
  const clock = new MediaClock(() => now);
  const pool = new RtpPortPool(spec.rtpPorts[0], spec.rtpPorts[1]);
  const call = new DialerCall(
    {
      number: '1002',
      audio: () => Buffer.alloc(1600, 0xff),
      durationMs: spec.durationMs ?? 60_000,
      dtmf: spec.dtmf,
      ringTimeoutMs: 30_000,
    },
    {
      ua,
      pool,
      clock,
      bindHost: '127.0.0.1',
      advertised: '127.0.0.1',
      now: () => 1_700_000_000_000 + now,
      elapsed: () => now,
    },
  );
  return {
    call,
    got,
    tick: (ms) => {
      now += ms;
      clock.tick();
      clock.stop();
    },
    close: async () => {
      await ua.stop();
      proxy.close();
    },
  };
}
