// A Contact that names IMS Lab itself (its address at its SIP port) is refused (403): every call for the
// AOR would come back to IMS Lab as a new request, challenged again (a second 407 to a caller that had
// authenticated), then loop. The same address at another port is a phone on the same host: taken.
import { describe, expect, it } from 'vitest';
import type { SipResponse } from '../../../../core/sip/message/index';
import type { Peer } from '../../../../core/sip/transport/peer';
import { SERVER, stack } from '../proxy/stack';

const PHONE: Peer = { transport: 'UDP', address: '10.0.0.6', port: 5064 };
const AT = `${SERVER.address}:${SERVER.port}`;

async function register(s: ReturnType<typeof stack>, contact: string, cseq: number): Promise<SipResponse> {
  const before = s.sent.length;
  await s.receive(
    [
      `REGISTER sip:${AT} SIP/2.0`,
      `Via: SIP/2.0/UDP ${PHONE.address}:${PHONE.port};branch=z9hG4bK-self-${cseq};rport`,
      'Max-Forwards: 70',
      `From: <sip:1002@${SERVER.address}>;tag=self`,
      `To: <sip:1002@${AT}>`,
      'Call-ID: self-contact@10.0.0.6',
      `CSeq: ${cseq} REGISTER`,
      `Contact: <${contact}>`,
      'Expires: 600',
    ],
    PHONE,
  );
  return s.sentTo(PHONE, before)[0] as SipResponse;
}

describe('a Contact naming IMS Lab itself', () => {
  it('is refused with 403 saying why, and nothing is bound; another port of the same host is taken', async () => {
    const s = stack();
    const self = await register(s, `sip:1002@${AT}`, 1);
    expect([self.status, self.reasonText]).toEqual([
      403,
      'Forbidden (this Contact is IMS Lab itself: calls to it would come back here)',
    ]);
    expect(s.location.lookup('sip:1002@lab.example')).toEqual([]);
    const beside = await register(s, `sip:1002@${SERVER.address}:${SERVER.port + 1}`, 2);
    expect(beside.status).toBe(200);
  });
});
