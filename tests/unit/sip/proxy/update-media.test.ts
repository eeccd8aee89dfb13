// RFC 3311 §5.1: an UPDATE may make a new offer in a confirmed dialog, as a re-INVITE does; phones put
// a call on hold that way too. The call's media (the CDR's media_direction, codec) follows its answer,
// and the call says who holds it (the console's Calls view: "on hold (caller)").
import { describe, expect, it } from 'vitest';
import type { SipResponse } from '../../../../core/sip/message/index';
import { CALLEE, CALLER, answeredCall } from './call-steps';
import { stack } from './stack';

const sdp = (dir: string): string =>
  ['v=0', 'o=- 1 2 IN IP4 10.0.0.9', 's=-', 'c=IN IP4 10.0.0.9', 't=0 0', 'm=audio 4000 RTP/AVP 0']
    .concat([`a=${dir}`, ''])
    .join('\r\n');

/** The caller's UPDATE offering `offer` (CSeq `cseq`), relayed, and the callee's 200 answering `answer`. */
async function update(
  s: ReturnType<typeof stack>,
  ok: SipResponse,
  cseq: number,
  offer: string,
  answer: string,
): Promise<void> {
  const before = s.sent.length;
  await s.receive(
    [
      'UPDATE sip:1002@10.0.0.6:5064 SIP/2.0',
      `Via: SIP/2.0/UDP ${CALLER.address}:${CALLER.port};branch=z9hG4bK-update-${cseq};rport`,
      ...ok.recordRoutes.map((r) => `Route: ${r.raw}`),
      'Max-Forwards: 70',
      `From: ${ok.header('from')}`,
      `To: ${ok.header('to')}`,
      'Call-ID: update-1',
      `CSeq: ${cseq} UPDATE`,
      `Contact: <sip:1001@${CALLER.address}:${CALLER.port}>`,
      'Content-Type: application/sdp',
    ],
    CALLER,
    sdp(offer),
  );
  const relayed = s.sentTo(CALLEE, before).find((m) => 'method' in m && m.method === 'UPDATE')!;
  await s.receive(
    [
      'SIP/2.0 200 OK',
      ...relayed.headerValues('via').map((v) => `Via: ${v}`),
      `From: ${relayed.header('from')}`,
      `To: ${relayed.header('to')}`,
      'Call-ID: update-1',
      `CSeq: ${cseq} UPDATE`,
      `Contact: <sip:1002@${CALLEE.address}:${CALLEE.port}>`,
      'Content-Type: application/sdp',
    ],
    CALLEE,
    sdp(answer),
  );
  expect((s.sentTo(CALLER, before).at(-1) as SipResponse).status).toBe(200);
}

describe('an UPDATE in an answered call', () => {
  it('puts the call on hold as a re-INVITE does: its answer is the call’s media', async () => {
    const s = stack();
    const ok = await answeredCall(s, 'update-1');
    await update(s, ok, 2, 'sendonly', 'recvonly');
    expect(s.calls.list()[0]?.media.direction).toBe('recvonly');
    // Held by the caller, whose offer it was (the callee's recvonly is the callee's view of it).
    expect(s.calls.list()[0]?.heldBy).toBe('caller');
    // Resumed: sendrecv again, held by nobody.
    await update(s, ok, 3, 'sendrecv', 'sendrecv');
    expect(s.calls.list()[0]?.media.direction).toBe('sendrecv');
    expect(s.calls.list()[0]?.heldBy).toBeUndefined();
  });
});
