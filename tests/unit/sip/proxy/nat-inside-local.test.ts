// A NAT inside the bench network (binding-target.ts behindNat): a lab router whose WAN side is on the
// bench LAN (inside LOCAL_NETWORK_CIDR, here the stack's 10.0.0.0/8) NATs a LAN of its own. Its phones
// send from the router's address with their own in Via and Contact (RFC 3581 §4: received added). They
// are reached where they send from, as phones behind a NAT outside the local network are; calls to them
// went to the unreachable private Contact. A tool registering another device's Contact from its own
// address (its Via names where it sends from: a third-party registration) is still reached at the Contact.
import { describe, expect, it } from 'vitest';
import type { Peer } from '../../../../core/sip/transport/peer';
import { CALLER, forwardedTo, inviteLines } from './call-steps';
import { inviteFrom, SERVER, stack } from './stack';

const ROUTER: Peer = { transport: 'UDP', address: '10.0.0.254', port: 40070 };
const TOOL: Peer = { transport: 'UDP', address: '10.0.0.50', port: 5060 };

type Stack = ReturnType<typeof stack>;

/** 1002's REGISTER sent from `from`, its Via naming `via`, its Contact `contact`. */
async function register(s: Stack, from: Peer, via: string, contact: string): Promise<void> {
  await s.receive(
    [
      `REGISTER sip:${SERVER.address}:${SERVER.port} SIP/2.0`,
      `Via: SIP/2.0/UDP ${via};branch=z9hG4bK-reg;rport`,
      'Max-Forwards: 70',
      `From: <sip:1002@${SERVER.address}>;tag=r`,
      `To: <sip:1002@${SERVER.address}>`,
      'Call-ID: reg-1002',
      'CSeq: 1 REGISTER',
      `Contact: <sip:1002@${contact}>`,
      'Expires: 3600',
    ],
    from,
  );
}

describe('a NAT inside LOCAL_NETWORK_CIDR', () => {
  it('has calls to a phone behind it sent to where the phone registered from', async () => {
    const s = stack();
    await register(s, ROUTER, '192.168.77.10:5060', '192.168.77.10:5060');
    await s.receive(inviteLines('nat-in-1'), CALLER);
    const forwarded = forwardedTo(s, ROUTER);
    expect(forwarded?.uri).toBe('sip:1002@192.168.77.10:5060');
    // The dialog's later requests reach it the same way: our Record-Route facing it names its flow.
    expect(forwarded.recordRoutes.map((r) => r.raw).some((r) => /;flow=/.test(r))).toBe(true);
  });

  it('has a caller behind it given a flow in our Record-Route', async () => {
    const s = stack();
    await register(s, TOOL, `${TOOL.address}:${TOOL.port}`, `${TOOL.address}:${TOOL.port}`);
    const lines = inviteFrom(ROUTER, `sip:1002@${SERVER.address}`, 'nat-in-2').map((l) =>
      l.replace(`${ROUTER.address}:${ROUTER.port}`, '192.168.77.11:5060'),
    );
    await s.receive(lines, ROUTER);
    const forwarded = forwardedTo(s, TOOL);
    expect(forwarded.recordRoutes.map((r) => r.raw).some((r) => /;flow=/.test(r))).toBe(true);
  });

  it("still reaches a third-party registration's Contact (the REGISTER came from where its Via says)", async () => {
    const s = stack();
    await register(s, TOOL, `${TOOL.address}:${TOOL.port}`, '10.0.0.60:5062');
    await s.receive(inviteLines('nat-in-3'), CALLER);
    const device: Peer = { transport: 'UDP', address: '10.0.0.60', port: 5062 };
    expect(forwardedTo(s, device)?.uri).toBe('sip:1002@10.0.0.60:5062');
    expect(forwardedTo(s, TOOL)).toBeUndefined();
  });
});
