// RFC 3261 §15.1.1: a party that sends BYE has ended its session, whatever the answer. When IMS Lab itself
// refuses the BYE because the other party cannot be reached (RFC 5626 §5.3: its flow has closed, 430),
// the call ends there and then, ended by the sender: it stayed "answered", unrecorded, until the
// maximum duration (4 hours) BYEd two parties long gone. A BYE refused as forged (403) ends nothing.
import { describe, expect, it } from 'vitest';
import { flowToken } from '../../../../core/sip/proxy/flow-token';
import type { Peer } from '../../../../core/sip/transport/peer';
import { CALLEE, CALLER, answeredCall, inviteLines } from './call-steps';
import { SERVER, kinds, stack } from './stack';

const AT = `${SERVER.address}:${SERVER.port}`;
/** The callee's connection, as a TLS phone's flow would be named in the route. */
const CALLEE_FLOW: Peer = { transport: 'TLS', address: CALLEE.address, port: 42612 };

function callerBye(callId: string, token: string): string[] {
  const lines = inviteLines(callId, 'BYE');
  lines[0] = `BYE sip:1002@${CALLEE.address}:42612;transport=tls SIP/2.0`;
  lines[4] = `To: <sip:1002@${SERVER.address}>;tag=callee`;
  lines[6] = 'CSeq: 2 BYE';
  return [
    ...lines,
    'Reason: Q.850;cause=16;text="Normal call clearing"',
    `Route: <sip:${AT};lr;flow=${token}>`,
  ];
}

describe('a BYE whose other party is gone', () => {
  it('430 Flow Failed: the call ends, by the caller, and says the BYE was refused', async () => {
    const s = stack();
    await answeredCall(s, 'gone-1');
    s.close(CALLEE_FLOW);
    const start = s.sent.length;
    await s.receive(callerBye('gone-1', flowToken(CALLEE_FLOW)!), CALLER);
    expect(kinds(s.sentTo(CALLER, start)).filter((k) => k !== '100')).toEqual(['430']);
    const ended = s.callEvents.filter((e) => e.type === 'ended' && e.call.callId === 'gone-1');
    expect(ended).toHaveLength(1);
    const call = ended[0]!.call;
    expect([call.state, call.hangupBy, call.statusCode]).toEqual(['ended', 'caller', 200]);
    expect(call.endReason).toBe('Normal call clearing (Q.850 16) (the BYE got 430 Flow Failed)');
    expect(call.cseq).toBe('2 BYE');
  });

  it('a forged flow token (403) ends nothing: the call stays up', async () => {
    const s = stack();
    await answeredCall(s, 'gone-2');
    const start = s.sent.length;
    await s.receive(callerBye('gone-2', 'abcd.0123456789abcdef'), CALLER);
    expect(kinds(s.sentTo(CALLER, start)).filter((k) => k !== '100')).toEqual(['403']);
    expect(s.callEvents.some((e) => e.type === 'ended' && e.call.callId === 'gone-2')).toBe(false);
  });
});
