// The messages of a plain call through the test stack (stack.ts): the callee registers, the caller
// INVITEs, the callee answers. Each step returns what the proxy sent, for the test to check.
import { createHash } from 'node:crypto';
import type { SipRequest, SipResponse } from '../../../../core/sip/message/index';
import type { Peer } from '../../../../core/sip/transport/peer';
import { SERVER, kinds, type stack } from './stack';

type Stack = ReturnType<typeof stack>;

export const CALLER: Peer = { transport: 'UDP', address: '10.0.0.5', port: 5062 };
export const CALLEE: Peer = { transport: 'UDP', address: '10.0.0.6', port: 5064 };
const AT = `${SERVER.address}:${SERVER.port}`;

export async function register(
  s: Stack,
  from: Peer,
  user = '1002',
  tag = 'r',
  extra: string[] = [],
): Promise<void> {
  await s.receive(
    [
      `REGISTER sip:${AT} SIP/2.0`,
      `Via: SIP/2.0/UDP ${from.address}:${from.port};branch=z9hG4bK-reg-${tag};rport`,
      'Max-Forwards: 70',
      `From: <sip:${user}@${SERVER.address}>;tag=${tag}`,
      `To: <sip:${user}@${SERVER.address}>`,
      `Call-ID: reg-${user}-${tag}`,
      'CSeq: 1 REGISTER',
      `Contact: <sip:${user}@${from.address}:${from.port}>`,
      'Expires: 3600',
      ...extra,
    ],
    from,
  );
}

/** The caller's INVITE (send it again for a retransmission). */
export function inviteLines(callId: string, method = 'INVITE'): string[] {
  return [
    `${method} sip:1002@${SERVER.address} SIP/2.0`,
    `Via: SIP/2.0/UDP ${CALLER.address}:${CALLER.port};branch=z9hG4bK-${callId};rport`,
    'Max-Forwards: 70',
    `From: <sip:1001@${SERVER.address}>;tag=caller`,
    `To: <sip:1002@${SERVER.address}>`,
    `Call-ID: ${callId}`,
    `CSeq: 1 ${method}`,
    `Contact: <sip:1001@${CALLER.address}:${CALLER.port}>`,
  ];
}

/** The INVITE as the proxy forwarded it to `callee`. */
export function forwardedTo(s: Stack, callee: Peer): SipRequest {
  return s.sentTo(callee).findLast((m) => kinds([m])[0] === 'INVITE') as SipRequest;
}

/** A response of the callee to the forwarded INVITE (every Via of it, as a UA answers). */
export function answerLines(forwarded: SipRequest, status: string, tag = 'callee'): string[] {
  return [
    `SIP/2.0 ${status}`,
    ...forwarded.headerValues('via').map((v) => `Via: ${v}`),
    ...forwarded.recordRoutes.map((r) => `Record-Route: ${r.raw}`),
    `From: ${forwarded.header('from')}`,
    `To: ${forwarded.header('to')};tag=${tag}`,
    `Call-ID: ${forwarded.callId}`,
    `CSeq: ${forwarded.cseq.seq} ${forwarded.cseq.method}`,
    `Contact: <sip:1002@${CALLEE.address}:${CALLEE.port}>`,
  ];
}

/**
 * The SDP offer a callee's 2xx carries when the INVITE had none (a late offer, RFC 3261 §13.2.1): its
 * Content-Type line, to add to answerLines, and the body. Without it the call records no media agreed.
 */
export const LATE_OFFER = {
  type: 'Content-Type: application/sdp',
  body: [
    'v=0',
    'o=- 2 2 IN IP4 10.0.0.6',
    's=-',
    'c=IN IP4 10.0.0.6',
    't=0 0',
    'm=audio 4002 RTP/AVP 0',
    '',
  ].join('\r\n'),
};

/** Registers the callee, sends the INVITE and the callee's 200: the call is answered. */
export async function answeredCall(s: Stack, callId: string): Promise<SipResponse> {
  await register(s, CALLEE);
  await s.receive(inviteLines(callId), CALLER);
  const ok = answerLines(forwardedTo(s, CALLEE), '200 OK');
  await s.receive(ok, CALLEE);
  return s.sentTo(CALLER).at(-1) as SipResponse;
}

/** 1001's answer to the proxy's 407 (MD5, qop=auth): the Proxy-Authorization value, for `method` `uri`. */
export function proxyCredentials(challenge: SipResponse, method: string, uri: string): string {
  const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
  const nonce = /nonce="([^"]+)"/.exec(challenge.headerValues('proxy-authenticate')[0]!)![1]!;
  const response = md5(
    `${md5('1001:lab.example:pw1')}:${nonce}:00000001:c0ffee:auth:${md5(`${method}:${uri}`)}`,
  );
  return (
    `Digest username="1001", realm="lab.example", nonce="${nonce}", uri="${uri}", response="${response}", ` +
    'algorithm=MD5, qop=auth, nc=00000001, cnonce="c0ffee"'
  );
}

/**
 * The caller's request (`lines`, CSeq 1), challenged by the proxy's 407, then sent again as a new
 * transaction (§8.1.3.5: a new branch and CSeq) with 1001's credentials for `uri`. Returns where the
 * proxy's sends stood before the second one.
 */
export async function sentWithCredentials(
  s: Stack,
  lines: string[],
  callId: string,
  uri: string,
  method = 'INVITE',
): Promise<number> {
  const start = s.sent.length;
  await s.receive(lines, CALLER);
  const challenge = s.sentTo(CALLER, start).find((m) => kinds([m])[0] === '407') as SipResponse;
  const again = lines.map((l) =>
    l
      .replace(`branch=z9hG4bK-${callId}`, `branch=z9hG4bK-${callId}-2`)
      .replace(`CSeq: 1 ${method}`, `CSeq: 2 ${method}`),
  );
  const mid = s.sent.length;
  await s.receive([...again, `Proxy-Authorization: ${proxyCredentials(challenge, method, uri)}`], CALLER);
  return mid;
}

/** The caller's BYE in the answered dialog: to the callee's Contact, along the route set (§12.2.1.1). */
export function callerBye(ok: SipResponse, seq = 2): string[] {
  return [
    `BYE ${ok.contacts[0]!.uriText} SIP/2.0`,
    `Via: SIP/2.0/UDP ${CALLER.address}:${CALLER.port};branch=z9hG4bK-bye${seq}-${ok.callId};rport`,
    'Max-Forwards: 70',
    `From: ${ok.header('from')}`,
    `To: ${ok.header('to')}`,
    `Call-ID: ${ok.callId}`,
    `CSeq: ${seq} BYE`,
    ...ok.recordRoutes
      .map((r) => r.raw)
      .reverse()
      .map((r) => `Route: ${r}`),
  ];
}
