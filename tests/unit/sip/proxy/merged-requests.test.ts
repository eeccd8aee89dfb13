// RFC 3261 §8.2.2.2: an OPTIONS to IMS Lab itself (IMS Lab the UAS) with no To tag whose From tag, Call-ID
// and CSeq match one that came in another transaction (a fork of it by another path) is answered 482;
// a retransmission is not (the transaction absorbs it), nor a request with another CSeq, nor the same
// one once 64*T1 has passed. On the proxy tests' stack (fake clock).
import { describe, expect, it } from 'vitest';
import type { SipResponse } from '../../../../core/sip/message/index';
import type { Peer } from '../../../../core/sip/transport/peer';
import { SERVER, stack } from './stack';

const PROBE: Peer = { transport: 'UDP', address: '10.0.0.5', port: 5062 };
const OTHER_PATH: Peer = { transport: 'UDP', address: '10.0.0.8', port: 5060 };
const AT = `${SERVER.address}:${SERVER.port}`;

const options = (branch: string, cseq = 1, via = `${PROBE.address}:${PROBE.port}`): string[] => [
  `OPTIONS sip:${AT} SIP/2.0`,
  `Via: SIP/2.0/UDP ${via};branch=z9hG4bK-${branch};rport`,
  'Max-Forwards: 70',
  `From: <sip:1001@${SERVER.address}>;tag=probe`,
  `To: <sip:${AT}>`,
  'Call-ID: merged-1',
  `CSeq: ${cseq} OPTIONS`,
];

describe('a merged OPTIONS to IMS Lab (§8.2.2.2)', () => {
  it('gets 482; the first, its retransmission, another CSeq and the same after 64*T1 get 200', async () => {
    const s = stack();
    const statuses = (): number[] => (s.sent.map((x) => x.message) as SipResponse[]).map((r) => r.status);
    await s.receive(options('a'), PROBE);
    await s.receive(options('a'), PROBE); // a retransmission: the transaction answers it again
    await s.receive(options('b', 1, `${OTHER_PATH.address}:${OTHER_PATH.port}`), OTHER_PATH);
    await s.receive(options('c', 2), PROBE);
    s.advance(32_100);
    await s.receive(options('d'), PROBE);
    expect(statuses()).toEqual([200, 200, 482, 200, 200]);
    const merged = s.sent[2]!;
    expect(merged.to).toEqual(OTHER_PATH);
    expect((merged.message as SipResponse).reason).toBe('Loop Detected (merged request)');
  });
});
