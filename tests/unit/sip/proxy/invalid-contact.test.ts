// RFC 7118 §5 and RFC 6761 §6.4: a browser registers a made-up Contact (`sip:x@y.invalid;transport=ws`),
// which no DNS resolves. A request whose Request-URI names such a contact (a 3xx's Contact, a click-to-
// call tool) goes to the registration that has it, down its WebSocket; one nobody has gets 480.
import { describe, expect, it } from 'vitest';
import type { SipRequest, SipResponse } from '../../../../core/sip/message/index';
import type { Peer } from '../../../../core/sip/transport/peer';
import { CALLER, inviteLines } from './call-steps';
import { SERVER, kinds, stack } from './stack';

const BROWSER: Peer = { transport: 'WS', address: '198.51.100.7', port: 50123 };
const CONTACT = 'sip:onu0jhuc@sh5di39ht32r.invalid;transport=ws';

function message(callId: string, uri: string): string[] {
  const lines = inviteLines(callId, 'MESSAGE');
  lines[0] = `MESSAGE ${uri} SIP/2.0`;
  lines[3] = 'From: <sip:tool@203.0.113.9>;tag=t';
  return lines;
}

describe('a Request-URI naming a .invalid contact', () => {
  it('reaches the browser registered with it; an unknown one gets 480', async () => {
    const s = stack({ relayForeign: true });
    await s.receive(
      [
        `REGISTER sip:${SERVER.address}:${SERVER.port} SIP/2.0`,
        `Via: SIP/2.0/WS sh5di39ht32r.invalid;branch=z9hG4bK-ws-reg`,
        'Max-Forwards: 70',
        `From: <sip:1002@${SERVER.address}>;tag=w`,
        `To: <sip:1002@${SERVER.address}>`,
        'Call-ID: ws-reg',
        'CSeq: 1 REGISTER',
        `Contact: <${CONTACT}>`,
        'Expires: 600',
      ],
      BROWSER,
    );
    expect(kinds(s.sentTo(BROWSER))).toEqual(['200']);
    await s.receive(message('to-contact', CONTACT), CALLER);
    const got = s.sentTo(BROWSER).at(-1) as SipRequest;
    expect([got.method, got.uri]).toEqual(['MESSAGE', CONTACT]);

    const start = s.sent.length;
    await s.receive(message('to-nobody', 'sip:zzz@nobody.invalid;transport=ws'), CALLER);
    const answers = (s.sentTo(CALLER, start) as SipResponse[]).filter((r) => r.status >= 200);
    expect(answers.map((r) => r.status)).toEqual([480]);
  });
});
