// SIP Outbound (RFC 5626), the registrar's side (core/sip/registrar/outbound.ts), on the proxy tests'
// stack: a flow registered with +sip.instance, reg-id and Supported: outbound gets Require: outbound
// (§6) and the Flow-Timer asked for (§5.4); one registered through a proxy that did not put `ob` on
// its Path gets 439 and changes nothing; without Supported: outbound it is an ordinary registration;
// one that Requires outbound is served, not refused 420;
// a call to the flow goes down it, to where the REGISTER came from, not to its Contact (§5.3).
import { describe, expect, it } from 'vitest';
import type { SipRequest, SipResponse } from '../../../../core/sip/message/index';
import type { Peer } from '../../../../core/sip/transport/peer';
import { SERVER, inviteFrom, kinds, stack } from '../proxy/stack';

const AT = `${SERVER.address}:${SERVER.port}`;
const AOR = 'sip:1002@lab.example';
const PHONE: Peer = { transport: 'UDP', address: '10.0.0.6', port: 5064 };
const CALLER: Peer = { transport: 'UDP', address: '10.0.0.5', port: 5062 };
const INSTANCE = 'urn:uuid:d9f31d4e-ed06-35ef-20b6-5a30c318936e';

type Stack = ReturnType<typeof stack>;

interface Reg {
  supported?: string;
  /** Contact (default: the phone's, another port than it sends from: a NAT's mapping differs). */
  contact?: string;
  /** Lines a proxy on the way added (a second Via, Path). */
  via?: string[];
  /** More header lines. */
  extra?: string[];
}

async function register(s: Stack, r: Reg = {}): Promise<SipResponse> {
  const before = s.sent.length;
  await s.receive(
    [
      `REGISTER sip:${AT} SIP/2.0`,
      ...(r.via ?? []),
      `Via: SIP/2.0/UDP ${PHONE.address}:${PHONE.port};branch=z9hG4bK-ob-${before};rport`,
      'Max-Forwards: 70',
      `From: <sip:1002@${SERVER.address}>;tag=ob`,
      `To: <sip:1002@${SERVER.address}>`,
      'Call-ID: outbound-flow',
      `CSeq: ${before + 1} REGISTER`,
      `Supported: ${r.supported ?? 'gruu, outbound, path'}`,
      `Contact: ${r.contact ?? `<sip:1002@10.0.0.6:7000;ob>;+sip.instance="<${INSTANCE}>";reg-id=1`}`,
      'Expires: 600',
      ...(r.extra ?? []),
    ],
    PHONE,
  );
  return s.sent[before]!.message as SipResponse;
}

describe('RFC 5626 outbound registrations', () => {
  it('§6: a flow gets Require: outbound; no Flow-Timer unless REG.FLOW_TIMER asks for one', async () => {
    const ok = await register(stack());
    expect(ok.status).toBe(200);
    expect(ok.tokens('require')).toEqual(['outbound']);
    expect(ok.header('flow-timer')).toBeUndefined();
    const timed = await register(stack({}, { registrar: { flowTimer: 25 } }));
    expect(timed.header('flow-timer')).toBe('25');
  });

  it('without Supported: outbound, or without reg-id, it is an ordinary registration', async () => {
    expect((await register(stack(), { supported: 'gruu, path' })).has('require')).toBe(false);
    const plain = await register(stack(), {
      contact: `<sip:1002@10.0.0.6:7000>;+sip.instance="<${INSTANCE}>"`,
    });
    expect(plain.status).toBe(200);
    expect(plain.has('require')).toBe(false);
  });

  it('§6: through a proxy whose Path lacks ob, 439 and no binding; with ;ob on its Path, a flow', async () => {
    const s = stack();
    const proxyVia = (n: number): string => `Via: SIP/2.0/UDP 10.0.0.50:5090;branch=z9hG4bK-edge-${n}`;
    const refused = await register(s, { via: [proxyVia(1)] });
    expect(refused.status).toBe(439);
    expect(refused.reason).toMatch(/^First Hop Lacks Outbound Support/);
    expect(s.location.lookup(AOR)).toEqual([]);
    // An `ob` inside a quoted display name is no URI parameter of the Path (RFC 3261 §25.1).
    const named = await register(s, { via: [proxyVia(3), 'Path: "<sip:x;ob>" <sip:10.0.0.50:5090;lr>'] });
    expect(named.status).toBe(439);
    const viaEdge = await register(s, { via: [proxyVia(2), 'Path: <sip:10.0.0.50:5090;lr;ob>'] });
    expect(viaEdge.status).toBe(200);
    expect(viaEdge.tokens('require')).toContain('outbound');
  });

  it('§5.3: a call to the flow goes where the REGISTER came from, not to the Contact', async () => {
    const s = stack();
    await register(s);
    const before = s.sent.length;
    await s.receive(inviteFrom(CALLER, `sip:1002@${AT}`, 'call-to-flow'), CALLER);
    const invites = s.sentTo(PHONE, before).filter((m) => kinds([m])[0] === 'INVITE') as SipRequest[];
    expect(invites).toHaveLength(1);
    expect(invites[0]!.uri).toBe('sip:1002@10.0.0.6:7000;ob');
    const toContact = s.sent.slice(before).filter((x) => x.to.port === 7000);
    expect(toContact).toEqual([]);
  });

  it('§8.2.2.3: a REGISTER that Requires outbound, path or gruu is served; one that Requires another is 420', async () => {
    const s = stack();
    const served = await register(s, { extra: ['Require: outbound, gruu'] });
    expect(served.status).toBe(200);
    expect(served.tokens('require')).toEqual(['outbound']);
    const refused = await register(s, { extra: ['Require: sec-agree, outbound'] });
    expect(refused.status).toBe(420);
    expect(refused.header('unsupported')).toBe('sec-agree');
  });
});
