// RFC 3261 §22.3: a proxy consumes the Proxy-Authorization values of its own realm only; another
// realm's (a proxy further on, an SBC, a carrier trunk that challenges too) goes on untouched. Every
// one was removed, and the phone behind IMS Lab got the downstream proxy's 407 for ever. Ours never
// leave IMS Lab, on any request: an ACK for the 2xx and in-dialog requests (§13.2.2.4: the ACK repeats
// the INVITE's credentials) took the caller's digest for our realm to the callee (offline guessing).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SipRequest, SipResponse } from '../../../../core/sip/message/index';
import { CALLEE, CALLER, answerLines, forwardedTo, inviteLines, register } from './call-steps';
import { kinds, stack } from './stack';

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
const THEIRS =
  'Digest username="alice", realm="downstream.example", nonce="abc", uri="sip:1002@192.0.2.10", response="00000000000000000000000000000000", algorithm=MD5';

type Stack = ReturnType<typeof stack>;

/** The caller's INVITE challenged, then sent again with ours and theirs; returns our credentials. */
async function authenticatedInvite(s: Stack, callId: string): Promise<string> {
  const start = s.sent.length;
  await s.receive([...inviteLines(callId), `Proxy-Authorization: ${THEIRS}`], CALLER);
  // Credentials of another realm only: challenged for ours (statefully: 100 first).
  expect(kinds(s.sentTo(CALLER, start))).toEqual(['100', '407']);
  const challenge = s.sentTo(CALLER, start)[1] as SipResponse;
  const nonce = /nonce="([^"]+)"/.exec(challenge.headerValues('proxy-authenticate')[0]!)![1]!;
  const uri = 'sip:1002@192.0.2.10';
  const response = md5(
    `${md5('1001:lab.example:pw1')}:${nonce}:00000001:c0ffee:auth:${md5(`INVITE:${uri}`)}`,
  );
  const ours =
    `Digest username="1001", realm="lab.example", nonce="${nonce}", uri="${uri}", response="${response}", ` +
    'algorithm=MD5, qop=auth, nc=00000001, cnonce="c0ffee"';
  // A new transaction (§8.1.3.5: the request again, with credentials, a new branch and CSeq).
  const again = inviteLines(callId).map((l) =>
    l
      .replace(`branch=z9hG4bK-${callId}`, `branch=z9hG4bK-${callId}-2`)
      .replace('CSeq: 1 INVITE', 'CSeq: 2 INVITE'),
  );
  await s.receive([...again, `Proxy-Authorization: ${THEIRS}`, `Proxy-Authorization: ${ours}`], CALLER);
  return ours;
}

/** A request of the caller in the answered dialog, along the route set the 2xx gave (§12.1.2). */
function inDialog(method: string, cseq: number, ok: SipResponse, credentials: string[]): string[] {
  return [
    `${method} sip:1002@${CALLEE.address}:${CALLEE.port} SIP/2.0`,
    `Via: SIP/2.0/UDP ${CALLER.address}:${CALLER.port};branch=z9hG4bK-${method}-${cseq};rport`,
    ...ok.recordRoutes.map((r) => `Route: ${r.raw}`),
    'Max-Forwards: 70',
    `From: ${ok.header('from')}`,
    `To: ${ok.header('to')}`,
    `Call-ID: ${ok.callId}`,
    `CSeq: ${cseq} ${method}`,
    ...credentials.map((c) => `Proxy-Authorization: ${c}`),
  ];
}

describe('Proxy-Authorization of another realm', () => {
  it('goes on to the next hop; ours is consumed', async () => {
    const s = stack({ authMethods: ['INVITE'] });
    await register(s, CALLEE);
    await authenticatedInvite(s, 'realms');
    expect(forwardedTo(s, CALLEE).headerValues('proxy-authorization')).toEqual([THEIRS]);
  });

  it('the ACK for the 2xx and a BYE in the dialog reach the callee without ours, with theirs', async () => {
    const s = stack({ authMethods: ['INVITE'] });
    await register(s, CALLEE);
    const ours = await authenticatedInvite(s, 'realms-dialog');
    await s.receive(answerLines(forwardedTo(s, CALLEE), '200 OK'), CALLEE);
    const ok = s.sentTo(CALLER).at(-1) as SipResponse;
    expect(ok.status).toBe(200);
    const start = s.sent.length;
    // §13.2.2.4: the ACK carries the INVITE's credentials (the CSeq of the INVITE they answered).
    await s.receive(inDialog('ACK', 2, ok, [THEIRS, ours]), CALLER);
    await s.receive(inDialog('BYE', 3, ok, [ours, THEIRS]), CALLER);
    const sent = s.sentTo(CALLEE, start) as SipRequest[];
    expect(kinds(sent)).toEqual(['ACK', 'BYE']);
    for (const request of sent) expect(request.headerValues('proxy-authorization')).toEqual([THEIRS]);
  });
});
