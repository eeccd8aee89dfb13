// A spiral IMS Lab stops itself: the callee's Contact is another proxy (onecall's Kamailio) that sends the
// INVITE back for the same user. On the second pass IMS Lab answers 482 Loop Detected (RFC 3261 §16.3
// item 4), or, when that proxy retargets each pass so no loop shows, 483 Too Many Hops once Max-Forwards
// runs out (§16.3 step 3). That proxy relays the answer to the first pass: the call's record must say
// IMS Lab refused it (hangup_by system, README: "a loop 482 ... hangup_by system"), not the callee.
import { describe, expect, it } from 'vitest';
import { callRecord } from '../../../../core/cdr/from-events';
import { parseMessage, type SipRequest, type SipResponse } from '../../../../core/sip/message/index';
import type { Peer } from '../../../../core/sip/transport/peer';
import { CALLER, forwardedTo, inviteLines, register } from './call-steps';
import { SERVER, kinds, stack } from './stack';

/** The other proxy, where 1002's Contact points. */
const EDGE: Peer = { transport: 'UDP', address: '198.51.100.30', port: 5060 };
type Stack = ReturnType<typeof stack>;

/** The edge proxy: what IMS Lab sent it, its Via on top, Max-Forwards one less, for `uri`; back to us. */
async function backThroughEdge(s: Stack, sent: SipRequest, uri: string, branch: string): Promise<void> {
  const text = sent
    .toBuffer()
    .toString('latin1')
    .replace(
      /^INVITE \S+ SIP\/2\.0\r\n/,
      `INVITE ${uri} SIP/2.0\r\nVia: SIP/2.0/UDP ${EDGE.address}:${EDGE.port};branch=z9hG4bK-edge-${branch}\r\n`,
    )
    .replace(/\r\nMax-Forwards: (\d+)/, (_, n: string) => `\r\nMax-Forwards: ${Number(n) - 1}`);
  await s.receiveBytes(Buffer.from(text, 'latin1'), EDGE);
}

/** IMS Lab's last answer to the edge, relayed by it to the pass before (its Via off). */
async function answerBackThroughEdge(s: Stack, status: string): Promise<void> {
  const answer = s.sentTo(EDGE).findLast((m) => kinds([m])[0] === status) as SipResponse;
  expect(answer, `IMS Lab answered the edge ${status}`).toBeDefined();
  const m = parseMessage(answer.toBuffer()) as SipResponse;
  m.removeFirstValue('via');
  await s.receiveBytes(m.toBuffer(), EDGE);
}

function endedRow(s: Stack) {
  const ended = s.callEvents.filter((e) => e.type === 'ended');
  expect(ended).toHaveLength(1);
  return callRecord(ended[0]!.call);
}

describe('a loop IMS Lab stops itself', () => {
  it("its 482 to the INVITE's pass back is the system's, not the callee's", async () => {
    const s = stack();
    await register(s, EDGE);
    const invite = inviteLines('loop-482');
    await s.receive(invite, CALLER);
    // The edge sends it back for the same user: the same Request-URI, a loop (§16.3 item 4).
    await backThroughEdge(s, forwardedTo(s, EDGE), `sip:1002@${SERVER.address}`, 'a');
    await answerBackThroughEdge(s, '482');
    expect((s.sentTo(CALLER).at(-1) as SipResponse).status).toBe(482);
    const row = endedRow(s);
    expect(row).toMatchObject({ call_state: 'FAILED', status_code: 482, hangup_by: 'system' });
    expect(row.end_reason).toBe(
      "482 Loop Detected (IMS Lab's own answer to the INVITE's pass back through it)",
    );
  });

  it('its 483 when a retargeting edge spends Max-Forwards is the system’s too', async () => {
    const s = stack();
    await register(s, EDGE);
    const invite = inviteLines('loop-483').map((l) => l.replace('Max-Forwards: 70', 'Max-Forwards: 4'));
    await s.receive(invite, CALLER);
    // Each pass retargeted (;hop=), so no loop shows: 4 → 3 (us) → 2 (edge) → 1 (us) → 0 (edge) → 483.
    await backThroughEdge(s, forwardedTo(s, EDGE), `sip:1002@${SERVER.address};hop=1`, 'a');
    await backThroughEdge(s, forwardedTo(s, EDGE), `sip:1002@${SERVER.address};hop=2`, 'b');
    await answerBackThroughEdge(s, '483'); // to the second pass, which relays it to the edge
    await answerBackThroughEdge(s, '483'); // to the first pass
    expect((s.sentTo(CALLER).at(-1) as SipResponse).status).toBe(483);
    const row = endedRow(s);
    expect(row).toMatchObject({ call_state: 'FAILED', status_code: 483, hangup_by: 'system' });
    expect(row.end_reason).toMatch(/^483 Too Many Hops \(IMS Lab's own answer/);
  });

  it('a 482 the callee sends itself stays the callee’s', async () => {
    const s = stack();
    await register(s, EDGE);
    const invite = inviteLines('callee-482');
    await s.receive(invite, CALLER);
    const forwarded = forwardedTo(s, EDGE);
    await s.receive(
      [
        'SIP/2.0 482 Loop Detected',
        ...forwarded.headerValues('via').map((v) => `Via: ${v}`),
        `From: ${forwarded.header('from')}`,
        `To: ${forwarded.header('to')};tag=edge`,
        `Call-ID: ${forwarded.callId}`,
        'CSeq: 1 INVITE',
      ],
      EDGE,
    );
    expect(endedRow(s)).toMatchObject({
      status_code: 482,
      hangup_by: 'callee',
      end_reason: '482 Loop Detected',
    });
  });
});
