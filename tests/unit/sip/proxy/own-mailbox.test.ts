// A user's SUBSCRIBE to its own message-summary (RFC 3842 MWI, which baresip and most desk phones send
// after registering) on the proxy tests' stack: IMS Lab is no voicemail server, so it answers 489 Bad
// Event with Allow-Events itself (RFC 6665 §8.3.2) instead of forking the SUBSCRIBE to the user's own
// phones, the subscriber included. Another user's message-summary is still routed to that user's phones.
import { describe, expect, it } from 'vitest';
import type { SipResponse } from '../../../../core/sip/message/index';
import type { Peer } from '../../../../core/sip/transport/peer';
import { SERVER, kinds, stack } from './stack';

const PHONE_A: Peer = { transport: 'UDP', address: '10.0.0.5', port: 5062 };
const PHONE_B: Peer = { transport: 'UDP', address: '10.0.0.6', port: 5064 };
const AT = `${SERVER.address}:${SERVER.port}`;

type Stack = ReturnType<typeof stack>;

async function register(s: Stack, phone: Peer, user: string): Promise<void> {
  await s.receive(
    [
      `REGISTER sip:${AT} SIP/2.0`,
      `Via: SIP/2.0/UDP ${phone.address}:${phone.port};branch=z9hG4bK-reg-${user}-${phone.port};rport`,
      'Max-Forwards: 70',
      `From: <sip:${user}@lab.example>;tag=r${phone.port}`,
      `To: <sip:${user}@lab.example>`,
      `Call-ID: reg-${user}-${phone.port}`,
      'CSeq: 1 REGISTER',
      `Contact: <sip:${user}@${phone.address}:${phone.port}>`,
      'Expires: 3600',
    ],
    phone,
  );
}

/** baresip's mwi SUBSCRIBE: from `from` at PHONE_A to `uri`, Event `event`. */
function subscribe(uri: string, from = '1001', event = 'message-summary'): string[] {
  return [
    `SUBSCRIBE ${uri} SIP/2.0`,
    `Via: SIP/2.0/UDP ${PHONE_A.address}:${PHONE_A.port};branch=z9hG4bK-mwi-${event.length}-${uri.length};rport`,
    'Max-Forwards: 70',
    `From: <sip:${from}@lab.example>;tag=mwi`,
    `To: <${uri}>`,
    `Call-ID: mwi-${uri}-${event}`,
    'CSeq: 1 SUBSCRIBE',
    `Contact: <sip:${from}@${PHONE_A.address}:${PHONE_A.port}>`,
    `Event: ${event}`,
    'Expires: 600',
    'Accept: application/simple-message-summary',
  ];
}

describe('RFC 3842 message-summary to the subscriber itself', () => {
  it('a user subscribing to its own mailbox gets 489 with Allow-Events, and none of its phones a SUBSCRIBE', async () => {
    const s = stack();
    await register(s, PHONE_A, '1001');
    await register(s, PHONE_B, '1001');
    for (const [uri, event] of [
      ['sip:1001@lab.example', 'message-summary'],
      [`sip:1001@${AT}`, 'Message-Summary;id=1'],
      [`sip:1001@${SERVER.address}`, 'message-summary'],
    ] as const) {
      const before = s.sent.length;
      await s.receive(subscribe(uri, '1001', event), PHONE_A);
      const toA = s.sentTo(PHONE_A, before);
      expect(kinds(toA), uri).toEqual(['489']);
      const refused = toA[0] as SipResponse;
      expect(refused.reason).toBe('Bad Event (no voicemail here: message-summary is not served)');
      expect(refused.header('allow-events')).toBe('reg');
      expect(s.sentTo(PHONE_B, before), uri).toEqual([]);
    }
  });

  it("another user's message-summary, and one's own presence, are routed to the phones as before", async () => {
    const s = stack();
    await register(s, PHONE_B, '1002');
    await s.receive(subscribe('sip:1002@lab.example', '1001'), PHONE_A);
    expect(kinds(s.sentTo(PHONE_B)).slice(-1)).toEqual(['SUBSCRIBE']);
    await register(s, PHONE_B, '1001');
    const before = s.sent.length;
    await s.receive(subscribe('sip:1001@lab.example', '1001', 'presence'), PHONE_A);
    expect(kinds(s.sentTo(PHONE_B, before))).toEqual(['SUBSCRIBE']);
  });
});
