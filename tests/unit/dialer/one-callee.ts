// A dialer call against one loopback socket playing proxy and callee: it answers the INVITE with a given
// SDP (200 OK, tag callee1) and each BYE with 200, and keeps the requests it got. The call's media runs on
// a fake clock the test moves (tick). For the dialer's unit tests of what an answer makes of a call. What a
// test opens here (the callee, its sockets) is closed when the test finishes, passed or failed.
import type { Socket } from 'node:dgram';
import { onTestFinished } from 'vitest';
import { DialerCall } from '../../../core/dialer/dialer-call';
import { MediaClock } from '../../../core/media/media-clock';
import { RtpPortPool } from '../../../core/media/port-pool';
import { parseMessage, SipRequest } from '../../../core/sip/message/index';
import type { TimerWheel } from '../../../core/sip/transaction/timer-wheel';
import type { UserAgent } from '../../../core/sip/ua/user-agent';
import { dialerAgent, loopbackSocket } from '../../support/loopback-agent';

export { dialerAgent, loopbackSocket };

export interface OneCallee {
  call: DialerCall;
  /** The dialer's user agent. */
  ua: UserAgent;
  /** SIP requests the callee got, in order. */
  got: SipRequest[];
  /** Moves the media clock by `ms` and sends what is due. */
  tick(ms: number): void;
  /** Stops the dialer's agent and closes the callee's socket; once (the test's end calls it too). */
  close(): Promise<void>;
}

/** A UDP socket on 127.0.0.1, closed when the test finishes. */
export async function testSocket(): Promise<Socket> {
  const s = await loopbackSocket();
  onTestFinished(() => {
    s.close();
  });
  return s;
}

/** Until `done` holds (10 ms steps, at most 3 s: waits for datagrams, not for time to pass). */
export async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
}

/** The call, not yet run; closed when the test finishes (or before, by close()). */
export async function callOneCallee(
  answerSdp: string,
  spec: {
    durationMs?: number;
    dtmf?: string;
    rtpPorts: [number, number];
    recordTo?: (callId: string) => string;
    /** The user agent's timer wheel (a manual one: its SIP timers on a fake clock). */
    timers?: TimerWheel;
    /** The INVITE's final answer's status line (`SIP/2.0 200 OK` with the SDP by default). */
    final?: string;
    /** The 2xx's Contact URI given the dialer's port (the callee's own by default). */
    contact?: (uaPort: number) => string;
  },
): Promise<OneCallee> {
  const proxy = await loopbackSocket();
  const me = proxy.address().port;
  const ua = await dialerAgent(me, spec.timers);
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
      `Contact: <${spec.contact?.(uaPort) ?? `sip:1002@127.0.0.1:${me}`}>`,
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
    if (m.method === 'INVITE' && spec.final !== undefined) reply(m, spec.final);
    else if (m.method === 'INVITE') reply(m, 'SIP/2.0 200 OK', answerSdp);
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
      recordTo: spec.recordTo,
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
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= (async () => {
      await ua.stop();
      proxy.close();
    })());
  onTestFinished(close);
  return {
    call,
    ua,
    got,
    tick: (ms) => {
      now += ms;
      clock.tick();
      clock.stop();
    },
    close,
  };
}

/**
 * Sends the far end's re-INVITE with `offer` in the dialog of `c`'s call from a socket of its own (closed
 * when the test finishes); its final answer (ACKed when not 2xx). `heard` gets every message the socket
 * gets (the 2xx's retransmissions too), and `ack`, which sends a 2xx's ACK (a new branch, §13.2.2.4).
 */
export async function reInvite(
  c: OneCallee,
  cseq: number,
  offer: string,
  heard?: (text: string, ack: () => void) => void,
): Promise<string> {
  const invite = c.got.find((m) => m.method === 'INVITE')!;
  const s = await testSocket();
  const target = /<([^>]+)>/.exec(invite.header('contact')!)![1]!;
  const port = Number(/:(\d+)(?:;|$)/.exec(target)![1]);
  const branch = `z9hG4bK-re${cseq}`;
  const head = (method: string, via = branch) => [
    `${method} ${target} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${s.address().port};branch=${via}`,
    'Max-Forwards: 70',
    `From: <sip:1002@127.0.0.1>;tag=callee1`,
    `To: ${invite.header('from')}`,
    `Call-ID: ${invite.callId}`,
    `CSeq: ${cseq} ${method}`,
  ];
  const final = new Promise<string>((ok) =>
    s.on('message', (m) => {
      const text = m.toString();
      heard?.(text, () =>
        s.send(
          [...head('ACK', `${branch}-ack`), 'Content-Length: 0', '', ''].join('\r\n'),
          port,
          '127.0.0.1',
        ),
      );
      if (!text.startsWith('SIP/2.0 1')) ok(text);
    }),
  );
  s.send(
    [
      ...head('INVITE'),
      `Contact: <sip:1002@127.0.0.1:${s.address().port}>`, // in-dialog requests (the BYE) come here
      'Content-Type: application/sdp',
      `Content-Length: ${Buffer.byteLength(offer)}`,
      '',
      offer,
    ].join('\r\n'),
    port,
    '127.0.0.1',
  );
  const answer = await final;
  // §17.1.1.3: the ACK of a non-2xx final answer, in its transaction (same branch).
  if (!answer.startsWith('SIP/2.0 2'))
    s.send([...head('ACK'), 'Content-Length: 0', '', ''].join('\r\n'), port, '127.0.0.1');
  return answer;
}
