// A known call flow for the trace's unit tests, fed through a real MessageTap with a fake clock: 4001 at
// 127.0.0.1:5061 calls 4002 at 127.0.0.1:5062 through the proxy at 127.0.0.1:5060 (record-routed), the
// callee's 200 is retransmitted once, the caller hangs up.
import { MessageTap, type TapDirection } from '../../../core/sip/transport/message-tap';

export const PROXY = { address: '127.0.0.1', port: 5060 };
export const CALLER = { address: '127.0.0.1', port: 5061 };
export const CALLEE = { address: '127.0.0.1', port: 5062 };
export const CALL_ID = 'flow-1@127.0.0.1';
/**
 * Yesterday 10:00:00 UTC, in microseconds: recent, so that trace.db's retention (days before now, on the
 * real clock) keeps what the tests write there, whatever day they run; a fixed date went out of a 3-day
 * retention three days later.
 */
export const T0 = (Math.floor(Date.now() / 86_400_000) * 86_400_000 - 86_400_000 + 36_000_000) * 1000;

const SDP =
  'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n';

function request(method: string, uri: string, cseq: number, branch: string, extra = '', body = ''): string {
  return (
    `${method} ${uri} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5061;branch=${branch}\r\nMax-Forwards: 70\r\n` +
    `From: <sip:4001@127.0.0.1>;tag=a1\r\nTo: <sip:4002@127.0.0.1>${method === 'INVITE' ? '' : ';tag=b2'}\r\n` +
    `Call-ID: ${CALL_ID}\r\nCSeq: ${cseq} ${method}\r\n${extra}Content-Length: ${body.length}\r\n\r\n${body}`
  );
}

function response(status: string, method: string, cseq: number, toTag = ';tag=b2', body = ''): string {
  return (
    `SIP/2.0 ${status}\r\nVia: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bKc1\r\n` +
    `From: <sip:4001@127.0.0.1>;tag=a1\r\nTo: <sip:4002@127.0.0.1>${toTag}\r\nCall-ID: ${CALL_ID}\r\n` +
    `CSeq: ${cseq} ${method}\r\nContent-Length: ${body.length}\r\n\r\n${body}`
  );
}

export interface FlowStep {
  dir: TapDirection;
  peer: { address: string; port: number };
  text: string;
  /** Milliseconds after T0. */
  at: number;
  /** The fault it was kept with (a message the server refused or dropped). */
  error?: string;
}

const invite = request(
  'INVITE',
  'sip:4002@127.0.0.1',
  1,
  'z9hG4bKc1',
  'Content-Type: application/sdp\r\n',
  SDP,
);
const ok200 = response('200 OK', 'INVITE', 1, ';tag=b2', SDP);

export const FLOW: FlowStep[] = [
  { dir: 'in', peer: CALLER, text: invite, at: 0 },
  { dir: 'out', peer: CALLER, text: response('100 Trying', 'INVITE', 1, ''), at: 0.3 },
  { dir: 'out', peer: CALLEE, text: invite.replace('Max-Forwards: 70', 'Max-Forwards: 69'), at: 1.2 },
  { dir: 'in', peer: CALLEE, text: response('180 Ringing', 'INVITE', 1), at: 20 },
  { dir: 'out', peer: CALLER, text: response('180 Ringing', 'INVITE', 1), at: 20.4 },
  { dir: 'in', peer: CALLEE, text: ok200, at: 1500 },
  { dir: 'out', peer: CALLER, text: ok200, at: 1500.5 },
  { dir: 'in', peer: CALLEE, text: ok200, at: 2000 },
  { dir: 'out', peer: CALLER, text: ok200, at: 2000.3 },
  { dir: 'in', peer: CALLER, text: request('ACK', 'sip:4002@127.0.0.1:5062', 1, 'z9hG4bKc2'), at: 2010 },
  { dir: 'out', peer: CALLEE, text: request('ACK', 'sip:4002@127.0.0.1:5062', 1, 'z9hG4bKc2'), at: 2010.2 },
  { dir: 'in', peer: CALLER, text: request('BYE', 'sip:4002@127.0.0.1:5062', 2, 'z9hG4bKc3'), at: 7010 },
  { dir: 'out', peer: CALLEE, text: request('BYE', 'sip:4002@127.0.0.1:5062', 2, 'z9hG4bKc3'), at: 7010.2 },
  { dir: 'in', peer: CALLEE, text: response('200 OK', 'BYE', 2), at: 7030 },
  { dir: 'out', peer: CALLER, text: response('200 OK', 'BYE', 2), at: 7030.3 },
];

/** Plays steps through the tap at their times (µs exact). */
export function play(tap: MessageTap, steps: FlowStep[], base = T0): void {
  for (const s of steps) {
    tap.clock = () => base + Math.round(s.at * 1000);
    tap.emit(
      s.dir,
      Buffer.from(s.text, 'latin1'),
      'UDP',
      PROXY,
      s.peer.address,
      s.peer.port,
      undefined,
      s.error,
    );
  }
}

/** A REGISTER / 200 pair of a Call-ID of its own, `size` bytes of padding in a header. */
export function registration(n: number, size = 0): FlowStep[] {
  const pad = size > 0 ? `X-Pad: ${'x'.repeat(size)}\r\n` : '';
  const callId = `reg-${n}@127.0.0.1`;
  const head = (line: string): string =>
    `${line}\r\nVia: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bKr${n}\r\nFrom: <sip:${n}@ims.lab>;tag=r${n}\r\n` +
    `To: <sip:${n}@ims.lab>\r\nCall-ID: ${callId}\r\nCSeq: 1 REGISTER\r\n${pad}Content-Length: 0\r\n\r\n`;
  return [
    { dir: 'in', peer: CALLER, text: head('REGISTER sip:ims.lab SIP/2.0'), at: n },
    { dir: 'out', peer: CALLER, text: head('SIP/2.0 200 OK'), at: n + 0.1 },
  ];
}
