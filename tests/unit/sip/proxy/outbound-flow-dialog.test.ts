// RFC 5626 §5.3 over UDP: a phone registered with an outbound flow (reg-id, Supported: outbound) is
// reached down its flow, and so must be the dialog's later requests: our Record-Route facing it names
// the flow. It named none, so the far end's ACK and BYE went to the phone's Contact (a private address
// behind its NAT) and were lost; the call hung on the phone. A caller whose Contact has `ob` asks the same.
import { describe, expect, it } from 'vitest';
import { CALLER, CALLEE, forwardedTo, inviteLines, register } from './call-steps';
import { SERVER, stack } from './stack';

const INSTANCE = '+sip.instance="<urn:uuid:00000000-0000-0000-0000-0000000000ee>"';

const flowNamed = (rr: string[]): boolean => rr.some((r) => /;flow=/.test(r));

describe('a dialog with a UA on an outbound flow (RFC 5626 §5.3)', () => {
  it('has our Record-Route name the callee’s flow', async () => {
    const s = stack();
    await s.receive(
      [
        `REGISTER sip:${SERVER.address}:${SERVER.port} SIP/2.0`,
        `Via: SIP/2.0/UDP ${CALLEE.address}:${CALLEE.port};branch=z9hG4bK-reg-ob;rport`,
        'Max-Forwards: 70',
        `From: <sip:1002@${SERVER.address}>;tag=r`,
        `To: <sip:1002@${SERVER.address}>`,
        'Call-ID: reg-ob',
        'CSeq: 1 REGISTER',
        'Supported: outbound',
        `Contact: <sip:1002@192.168.1.30:5060;ob>;reg-id=1;${INSTANCE}`,
        'Expires: 3600',
      ],
      CALLEE,
    );
    await s.receive(inviteLines('ob-1'), CALLER);
    const forwarded = forwardedTo(s, CALLEE);
    expect(forwarded?.uri).toBe('sip:1002@192.168.1.30:5060;ob');
    expect(flowNamed(forwarded.recordRoutes.map((r) => r.raw))).toBe(true);
  });

  it('has our Record-Route name the caller’s flow when its Contact asks with ob', async () => {
    const s = stack();
    await register(s, CALLEE);
    const lines = inviteLines('ob-2').map((l) =>
      l.startsWith('Contact:') ? `Contact: <sip:1001@${CALLER.address}:${CALLER.port};ob>` : l,
    );
    await s.receive(lines, CALLER);
    expect(flowNamed(forwardedTo(s, CALLEE).recordRoutes.map((r) => r.raw))).toBe(true);
    // Without ob, a caller on the local network at its Contact gets none.
    const plain = stack();
    await register(plain, CALLEE);
    await plain.receive(inviteLines('ob-3'), CALLER);
    expect(flowNamed(forwardedTo(plain, CALLEE).recordRoutes.map((r) => r.raw))).toBe(false);
  });
});
