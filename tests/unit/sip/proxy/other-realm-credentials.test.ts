// RFC 3261 §22.3: a proxy consumes the Proxy-Authorization values of its own realm only; another
// realm's (a proxy further on, an SBC, a carrier trunk that challenges too) goes on untouched. Every
// one was removed, and the phone behind IMS Lab got the downstream proxy's 407 for ever.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SipResponse } from '../../../../core/sip/message/index';
import { CALLEE, CALLER, forwardedTo, inviteLines, register } from './call-steps';
import { kinds, stack } from './stack';

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
const THEIRS =
  'Digest username="alice", realm="downstream.example", nonce="abc", uri="sip:1002@192.0.2.10", response="00000000000000000000000000000000", algorithm=MD5';

describe('Proxy-Authorization of another realm', () => {
  it('goes on to the next hop; ours is consumed', async () => {
    const s = stack({ authMethods: ['INVITE'] });
    await register(s, CALLEE);
    const start = s.sent.length;
    await s.receive([...inviteLines('realms'), `Proxy-Authorization: ${THEIRS}`], CALLER);
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
    const again = inviteLines('realms').map((l) =>
      l
        .replace('branch=z9hG4bK-realms', 'branch=z9hG4bK-realms-2')
        .replace('CSeq: 1 INVITE', 'CSeq: 2 INVITE'),
    );
    await s.receive([...again, `Proxy-Authorization: ${THEIRS}`, `Proxy-Authorization: ${ours}`], CALLER);
    expect(forwardedTo(s, CALLEE)!.headerValues('proxy-authorization')).toEqual([THEIRS]);
  });
});
