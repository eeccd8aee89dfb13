// Hand-written requests through the proxy over a raw UDP socket, for the cases SIPp cannot play
// (a malformed answer from a callee, exact control of what is sent when). The caller side answers the
// 407 with IMS Lab's own digest client code, as RegisteringUa does for the registrar's 401.
import { answerChallenge } from '../../../core/sip/auth/digest';
import { SipRequest, newBranch, newCallId, newTag, parseMessage } from '../../../core/sip/message/index';
import type { SipResponse } from '../../../core/sip/message/index';
import { parseResponse, type Credentials, type SipChannel } from '../../support/sip-client';
import { sipBytes } from '../../support/sip-text';

export interface OutOfDialog {
  method: string;
  /** Request-URI and To: sip:<to>@<server>. */
  to: string;
  /** Another Request-URI (a GRUU, say); To stays sip:<to>@<server>. */
  uri?: string;
  callId?: string;
  fromTag?: string;
  body?: string;
  contentType?: string;
  /** Header lines added to both tries (Event, Expires...). */
  extra?: string[];
}

export interface Sent {
  callId: string;
  fromTag: string;
  cseq: number;
  branch: string;
  uri: string;
}

function request(ch: SipChannel, from: string, r: OutOfDialog, sent: Sent, extra: string[]): Buffer {
  const at = `${ch.target.host}:${ch.target.port}`;
  const lines = [
    `${r.method} ${sent.uri} SIP/2.0`,
    `Via: SIP/2.0/UDP ${ch.localHost}:${ch.localPort};branch=${sent.branch};rport`,
    'Max-Forwards: 70',
    `From: <sip:${from}@${at}>;tag=${sent.fromTag}`,
    `To: <sip:${r.to}@${at}>`,
    `Call-ID: ${sent.callId}`,
    `CSeq: ${sent.cseq} ${r.method}`,
    `Contact: <sip:${from}@${ch.localHost}:${ch.localPort}>`,
    ...(r.extra ?? []),
    ...extra,
    ...(r.body === undefined ? [] : [`Content-Type: ${r.contentType ?? 'application/sdp'}`]),
  ];
  return sipBytes(lines, r.body ?? '');
}

/** The next response on `ch` that is not a 100, within `timeoutMs`. */
async function nextAnswer(ch: SipChannel, timeoutMs: number): Promise<SipResponse> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`no answer other than 100 within ${timeoutMs} ms`);
    const res = parseResponse(await ch.next(left));
    if (res.status !== 100) return res;
  }
}

/**
 * Sends an out-of-dialog request without credentials, expects 407 (ACKed for an INVITE, §17.1.1.3),
 * then sends it again with Proxy-Authorization (CSeq 2, a new branch) and returns what was sent; the
 * caller reads the answers from `ch` itself.
 */
export async function sendAuthenticated(ch: SipChannel, creds: Credentials, r: OutOfDialog): Promise<Sent> {
  const at = `${ch.target.host}:${ch.target.port}`;
  const first: Sent = {
    callId: r.callId ?? newCallId('ims-lab-proxy-test'),
    fromTag: r.fromTag ?? newTag(),
    cseq: 1,
    branch: newBranch(),
    uri: r.uri ?? `sip:${r.to}@${at}`,
  };
  ch.send(request(ch, creds.username, r, first, []));
  const challenge = await nextAnswer(ch, 3000);
  if (challenge.status !== 407) throw new Error(`expected 407, got:\n${challenge.toString()}`);
  if (r.method === 'INVITE') {
    const ack = [
      `ACK ${first.uri} SIP/2.0`,
      `Via: SIP/2.0/UDP ${ch.localHost}:${ch.localPort};branch=${first.branch};rport`,
      'Max-Forwards: 70',
      `From: <sip:${creds.username}@${at}>;tag=${first.fromTag}`,
      `To: ${challenge.header('to')}`,
      `Call-ID: ${first.callId}`,
      'CSeq: 1 ACK',
    ];
    ch.send(sipBytes(ack));
  }
  const authorization = answerChallenge(
    challenge.headerValues('proxy-authenticate'),
    creds,
    r.method,
    first.uri,
  );
  if (authorization === undefined) throw new Error(`no usable challenge in:\n${challenge.toString()}`);
  const second: Sent = { ...first, cseq: 2, branch: newBranch() };
  ch.send(request(ch, creds.username, r, second, [`Proxy-Authorization: ${authorization}`]));
  return second;
}

/**
 * The CANCEL of a request sendAuthenticated sent (§9.1: its Request-URI, Call-ID, From, To, CSeq number
 * and top Via branch).
 */
export function cancelOf(ch: SipChannel, from: string, to: string, sent: Sent): Buffer {
  const at = `${ch.target.host}:${ch.target.port}`;
  return sipBytes([
    `CANCEL ${sent.uri} SIP/2.0`,
    `Via: SIP/2.0/UDP ${ch.localHost}:${ch.localPort};branch=${sent.branch};rport`,
    'Max-Forwards: 70',
    `From: <sip:${from}@${at}>;tag=${sent.fromTag}`,
    `To: <sip:${to}@${at}>`,
    `Call-ID: ${sent.callId}`,
    `CSeq: ${sent.cseq} CANCEL`,
  ]);
}

/** The next request on `ch` (responses are skipped), within `timeoutMs`. */
export async function nextRequest(ch: SipChannel, timeoutMs = 3000): Promise<SipRequest> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`no request within ${timeoutMs} ms`);
    const m = parseMessage(await ch.next(left));
    if (m instanceof SipRequest) return m;
  }
}

/**
 * The response a UAS would send to `req` (To tagged), with the given Via lines (all of the request's
 * when omitted).
 */
export function answer(req: SipRequest, status: number, reason: string, vias?: string[]): Buffer {
  const to = req.header('to') ?? '';
  return sipBytes([
    `SIP/2.0 ${status} ${reason}`,
    ...(vias ?? req.headerValues('via')).map((v) => `Via: ${v}`),
    `From: ${req.header('from')}`,
    `To: ${/;tag=/.test(to) ? to : `${to};tag=${newTag()}`}`,
    `Call-ID: ${req.callId}`,
    `CSeq: ${req.cseq.seq} ${req.cseq.method}`,
  ]);
}
