// Only ACTIVE users may register (README: a user made INACTIVE or SUSPENDED "may no longer register").
// With AUTH.REGISTER off (no digest) the registrar checked only that the user existed: a disabled user
// registered, and was then reached by calls. It is now refused with 403, as the authenticated path
// refuses one; the phone is not told which status (anyone may send a REGISTER without credentials), the
// log is.
import { describe, expect, it } from 'vitest';
import type { SipResponse } from '../../../../core/sip/message/index';
import type { Peer } from '../../../../core/sip/transport/peer';
import { inviteFrom, SERVER, stack } from '../proxy/stack';

const PHONE: Peer = { transport: 'UDP', address: '10.0.0.7', port: 5066 };
const CALLER: Peer = { transport: 'UDP', address: '10.0.0.8', port: 5068 };

async function register(s: ReturnType<typeof stack>, user: string, cseq: number): Promise<SipResponse> {
  const before = s.sent.length;
  await s.receive(
    [
      `REGISTER sip:${SERVER.address} SIP/2.0`,
      `Via: SIP/2.0/UDP ${PHONE.address}:${PHONE.port};branch=z9hG4bK-off-${user}-${cseq};rport`,
      'Max-Forwards: 70',
      `From: <sip:${user}@${SERVER.address}>;tag=off`,
      `To: <sip:${user}@${SERVER.address}>`,
      `Call-ID: off-${user}@10.0.0.7`,
      `CSeq: ${cseq} REGISTER`,
      `Contact: <sip:${user}@${PHONE.address}:${PHONE.port}>`,
      'Expires: 600',
    ],
    PHONE,
  );
  return s.sentTo(PHONE, before)[0] as SipResponse;
}

describe('REGISTER without authentication (AUTH.REGISTER off)', () => {
  it.each(['INACTIVE', 'SUSPENDED'])(
    'a %s user is refused with 403, nothing is bound, and no call reaches it',
    async (status) => {
      const s = stack(); // its registrar does not authenticate
      s.statuses['1002'] = status;
      const r = await register(s, '1002', 1);
      expect([r.status, r.reasonText]).toEqual([403, 'Forbidden (account not active)']);
      expect(s.location.lookup('sip:1002@lab.example')).toEqual([]);

      const before = s.sent.length;
      await s.receive(inviteFrom(CALLER, `sip:1002@${SERVER.address}`, `off-call-${status}`), CALLER);
      expect(s.sentTo(PHONE, before)).toEqual([]);
    },
  );

  it('an ACTIVE user registers as before, an unknown one gets 404', async () => {
    const s = stack();
    expect((await register(s, '1002', 1)).status).toBe(200);
    expect(s.location.lookup('sip:1002@lab.example')).toHaveLength(1);
    const before = s.sent.length;
    await s.receive(inviteFrom(CALLER, `sip:1002@${SERVER.address}`, 'off-call-active'), CALLER);
    expect(s.sentTo(PHONE, before).map((m) => (m as { method?: string }).method)).toEqual(['INVITE']);
    expect((await register(s, '4242', 1)).status).toBe(404);
  });
});
