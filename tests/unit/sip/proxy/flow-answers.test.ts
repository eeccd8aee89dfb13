// RFC 5626 §5.3: an in-dialog request whose Route names a connection that has closed gets 430 Flow Failed,
// and one whose flow token is not ours 403, instead of a made-up 500 (or a DNS lookup of a .invalid host).
import { describe, expect, it } from 'vitest';
import type { SipResponse } from '../../../../core/sip/message/index';
import { flowToken } from '../../../../core/sip/proxy/flow-token';
import type { Peer } from '../../../../core/sip/transport/peer';
import { inviteLines } from './call-steps';
import { SERVER, kinds, stack } from './stack';

const BROWSER: Peer = { transport: 'WSS', address: '198.51.100.7', port: 50123 };
const PHONE: Peer = { transport: 'UDP', address: '192.0.2.55', port: 5060 };
const AT = `${SERVER.address}:${SERVER.port}`;

function byeTowardsBrowser(callId: string, token: string): string[] {
  const lines = inviteLines(callId, 'BYE');
  lines[0] = 'BYE sip:alice@df7jal23ls0d.invalid;transport=ws SIP/2.0';
  lines[1] = `Via: SIP/2.0/UDP ${PHONE.address}:${PHONE.port};branch=z9hG4bK-${callId};rport`;
  lines[4] = 'To: <sip:alice@lab.example>;tag=a';
  lines[6] = 'CSeq: 2 BYE';
  return [...lines, `Route: <sip:${AT};lr>, <sip:${AT};lr;transport=wss;flow=${token}>`];
}

describe('flow tokens that lead nowhere', () => {
  it('a connection that has closed: 430 Flow Failed', async () => {
    const s = stack();
    s.close(BROWSER);
    const start = s.sent.length;
    await s.receive(byeTowardsBrowser('dead-flow', flowToken(BROWSER)!), PHONE);
    const answers = s.sentTo(PHONE, start) as SipResponse[];
    expect(kinds(answers).filter((k) => k !== '100')).toEqual(['430']);
    expect(s.sentTo(BROWSER, start)).toEqual([]);
  });

  it('a token that is not ours: 403', async () => {
    const s = stack();
    const start = s.sent.length;
    await s.receive(byeTowardsBrowser('forged-flow', 'abcd.0123456789abcdef'), PHONE);
    expect(kinds(s.sentTo(PHONE, start)).filter((k) => k !== '100')).toEqual(['403']);
  });

  it('a live connection: the BYE goes down it', async () => {
    const s = stack();
    const start = s.sent.length;
    await s.receive(byeTowardsBrowser('live-flow', flowToken(BROWSER)!), PHONE);
    expect(kinds(s.sentTo(BROWSER, start))).toEqual(['BYE']);
  });
});
