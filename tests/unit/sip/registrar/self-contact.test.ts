// A Contact that names IMS Lab itself (its address at its SIP port) is refused (403): every call for the
// AOR would come back to IMS Lab as a new request, challenged again (a second 407 to a caller that had
// authenticated), then loop. So is one that is the address-of-record itself, or a GRUU of ours (RFC 5627
// §5.1). The same address at another port is a phone on the same host: taken.
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
      `Contact: ${contact}`,
      'Expires: 600',
    ],
    PHONE,
  );
  return s.sentTo(PHONE, before)[0] as SipResponse;
}

describe('a Contact naming IMS Lab itself', () => {
  it('is refused with 403 saying why, and nothing is bound; another port of the same host is taken', async () => {
    const s = stack();
    const self = await register(s, `<sip:1002@${AT}>`, 1);
    expect([self.status, self.reasonText]).toEqual([
      403,
      'Forbidden (this Contact is IMS Lab itself: calls to it would come back here)',
    ]);
    expect(s.location.lookup('sip:1002@lab.example')).toEqual([]);
    const beside = await register(s, `<sip:1002@${SERVER.address}:${SERVER.port + 1}>`, 2);
    expect(beside.status).toBe(200);
  });

  it('refuses the address-of-record itself and a GRUU of ours (RFC 5627 §5.1), by name or address', async () => {
    const s = stack();
    const gruu = 'gr=urn:uuid:6666a2a2-0000-1000-8000-aabbccddeeff';
    const cases: [string, string][] = [
      ['<sip:1002@lab.example>', 'the address-of-record itself'],
      [`<sip:1002@lab.example;${gruu}>`, 'a GRUU of IMS Lab'],
      [`<sip:1002@${SERVER.address};${gruu}>`, 'a GRUU of IMS Lab'],
    ];
    let cseq = 1;
    for (const [contact, what] of cases) {
      const r = await register(s, contact, cseq++);
      expect([contact, r.status, r.reasonText]).toEqual([
        contact,
        403,
        `Forbidden (this Contact is ${what}: calls to it would come back here)`,
      ]);
    }
    expect(s.location.lookup('sip:1002@lab.example')).toEqual([]);
  });
});

describe('the same Contact twice in one REGISTER', () => {
  it('is applied in order (RFC 3261 §10.3 step 7): the last one says what stays', async () => {
    const s = stack();
    const phone = `sip:1002@${PHONE.address}:${PHONE.port}`;
    expect((await register(s, `<${phone}>;expires=100, <${phone}>;expires=0`, 1)).status).toBe(200);
    expect(s.location.lookup('sip:1002@lab.example')).toEqual([]);
    expect((await register(s, `<${phone}>;expires=0, <${phone}>;expires=100`, 2)).status).toBe(200);
    const kept = s.location.lookup('sip:1002@lab.example');
    expect(kept.map((b) => [b.contact, b.expiresAt - b.updatedAt])).toEqual([[phone, 100_000]]);
  });
});
