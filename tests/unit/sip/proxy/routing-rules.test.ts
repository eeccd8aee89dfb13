// The pure routing rules of the proxy: §16.3 loop detection, §16.4 route preprocessing, §16.7 best
// response, and where a request for a binding goes (NAT handling).
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { Binding } from '../../../../core/sip/registrar/binding';
import { bestResponse, gatheredChallenges } from '../../../../core/sip/proxy/best-response';
import { bindingTarget, namesContact } from '../../../../core/sip/proxy/binding-target';
import { LocalIdentity } from '../../../../core/sip/proxy/local-identity';
import { hashInBranch, proxyBranch } from '../../../../core/sip/proxy/loop-hash';
import { inCidrs, isPrivateIpv4, parseCidrList } from '../../../../core/sip/proxy/network';
import { checkLoop, checkProxyRequire } from '../../../../core/sip/proxy/request-checks';
import { preprocessRoutes } from '../../../../core/sip/proxy/route-preprocess';
import { parseUri, type SipUri } from '../../../../core/sip/message/index';
import { ServedDomains } from '../../../../core/sip/registrar/served-domains';
import { request, res } from '../../../support/sip-text';

const me = new LocalIdentity({
  advertised: '192.0.2.10',
  bindHost: '0.0.0.0',
  port: 5070,
  domain: 'lab.example',
  domains: [],
});

describe('LocalIdentity', () => {
  it('knows its addresses at its port, and its domains', () => {
    expect(me.isMe('192.0.2.10', 5070)).toBe(true);
    expect(me.isMe('127.0.0.1', 5070)).toBe(true);
    expect(me.isMe('192.0.2.10', 5060)).toBe(false);
    expect(me.isMe('192.0.2.10', undefined)).toBe(false);
    expect(me.via('UDP', 'z9hG4bK-x')).toBe('SIP/2.0/UDP 192.0.2.10:5070;branch=z9hG4bK-x;rport');
    expect(me.recordRoute('TCP')).toBe('<sip:192.0.2.10:5070;lr;transport=tcp>');
  });
});

describe('§16.3 request validation', () => {
  it('tells a loop (same request back) from a spiral (Request-URI changed)', () => {
    const first = request('INVITE', { 'R-URI': 'sip:1002@lab.example' });
    const ours = `SIP/2.0/UDP 192.0.2.10:5070;branch=${proxyBranch(first)};rport`;
    expect(hashInBranch(proxyBranch(first))).toMatch(/^[0-9a-z]+$/);
    const looped = request('INVITE', {
      'R-URI': 'sip:1002@lab.example',
      Via: `SIP/2.0/UDP 10.9.9.9:5060;branch=z9hG4bK-down, ${ours}`,
    });
    expect(checkLoop(looped, me)).toEqual({ status: 482 });
    const spiral = request('INVITE', {
      'R-URI': 'sip:1002@10.0.0.7:5062',
      Via: `SIP/2.0/UDP 10.9.9.9:5060;branch=z9hG4bK-down, ${ours}`,
    });
    expect(checkLoop(spiral, me)).toBeUndefined();
  });

  it('refuses every Proxy-Require extension with 420 listing them', () => {
    expect(checkProxyRequire(request('INVITE', { 'Proxy-Require': 'foo, bar' }))).toEqual({
      status: 420,
      headers: [['Unsupported', 'foo, bar']],
    });
    expect(checkProxyRequire(request('INVITE'))).toBeUndefined();
  });
});

describe('§16.4 route preprocessing', () => {
  it('pops our own Route values (both of a double Record-Route) and keeps the next', () => {
    const r = request('BYE', {
      'R-URI': 'sip:1002@10.0.0.7:5062',
      Route: '<sip:192.0.2.10:5070;lr>, <sip:192.0.2.10:5070;lr;transport=tcp>, <sip:10.1.1.1;lr>',
    });
    preprocessRoutes(r, me);
    expect(r.routes.map((x) => x.raw)).toEqual(['<sip:10.1.1.1;lr>']);
    expect(r.uri).toBe('sip:1002@10.0.0.7:5062');
  });

  it('undoes a strict router: the last Route becomes the Request-URI', () => {
    const r = request('BYE', {
      'R-URI': 'sip:192.0.2.10:5070;lr',
      Route: '<sip:10.1.1.1;lr>, <sip:1002@10.0.0.7:5062>',
    });
    preprocessRoutes(r, me);
    expect(r.uri).toBe('sip:1002@10.0.0.7:5062');
    expect(r.routes.map((x) => x.raw)).toEqual(['<sip:10.1.1.1;lr>']);
  });

  it('knows our Record-Route value without its lr too (§19.1.4: a parameter in one URI only is ignored)', () => {
    const r = request('BYE', {
      'R-URI': 'sip:192.0.2.10:5070',
      Route: '<sip:1002@10.0.0.7:5062>',
    });
    preprocessRoutes(r, me);
    expect(r.uri).toBe('sip:1002@10.0.0.7:5062');
    expect(r.routes).toEqual([]);
  });
});

describe('§16.5 a Request-URI naming one registered contact', () => {
  const uri = (text: string): SipUri => parseUri(text) as SipUri;
  it('is that contact (same user, host and port), not another port or user', () => {
    expect(namesContact('sip:1002@127.0.0.1:40001;transport=udp', uri('sip:1002@127.0.0.1:40001'))).toBe(
      true,
    );
    expect(namesContact('sip:1002@LOCALHOST:40001', uri('sip:1002@localhost:40001;user=phone'))).toBe(true);
    expect(namesContact('sip:1002@127.0.0.1', uri('sip:1002@127.0.0.1:5060'))).toBe(true);
    expect(namesContact('sip:1002@127.0.0.1:40001', uri('sip:1002@127.0.0.1:40002'))).toBe(false);
    expect(namesContact('sip:1003@127.0.0.1:40001', uri('sip:1002@127.0.0.1:40001'))).toBe(false);
  });
});

describe('§16.7 choosing the best response', () => {
  const r = (status: number, extra: string[] = []) =>
    res([
      `SIP/2.0 ${status} X`,
      'Via: SIP/2.0/UDP a;branch=z9hG4bK-1',
      'From: <sip:a@b>;tag=1',
      'To: <sip:c@d>',
      'Call-ID: x',
      'CSeq: 1 INVITE',
      ...extra,
    ]);
  it('prefers 6xx, then the lowest class, and a real answer over a made-up 408', () => {
    const pick = (...codes: number[]) =>
      bestResponse(codes.map((status) => ({ status, response: status === 408 ? undefined : r(status) })))
        ?.status;
    expect(pick(486, 603, 302)).toBe(603);
    expect(pick(500, 404)).toBe(404);
    expect(pick(486, 302)).toBe(302);
    expect(pick(408, 486)).toBe(486);
    expect(pick(408, 503)).toBe(408);
  });

  it('among 4xx prefers an answer the caller can resubmit on: 401, 407, 415, 420, 484 (§16.7 step 6)', () => {
    const pick = (...codes: number[]) =>
      bestResponse(codes.map((status) => ({ status, response: status === 408 ? undefined : r(status) })))
        ?.status;
    expect(pick(486, 401)).toBe(401);
    expect(pick(404, 420)).toBe(420);
    expect(pick(480, 484)).toBe(484);
    expect(pick(408, 415)).toBe(415);
    expect(pick(407, 401)).toBe(407); // the first received among them
    expect(pick(484, 302)).toBe(302); // the lowest class still first
    expect(pick(486, 488)).toBe(486); // otherwise the first received
  });

  // It was: the first received, so a stale contact's instant 404 beat the user's phone saying busy.
  it("among 4xx a device's answer beats a dead contact's (404, 410, 430, a made-up 480), whichever came first", () => {
    const pick = (...finals: [number, boolean][]) =>
      bestResponse(finals.map(([status, made]) => ({ status, response: made ? undefined : r(status) })))
        ?.status;
    expect(pick([404, false], [486, false])).toBe(486);
    expect(pick([410, false], [403, false])).toBe(403);
    expect(pick([480, true], [486, false])).toBe(486); // a closed WebSocket's 480 (closed-connection.ts)
    expect(pick([480, false], [404, false])).toBe(480); // a phone's own 480 (do not disturb) is an answer
    expect(pick([408, true], [404, false])).toBe(404);
  });

  it('gathers the challenges of every 401/407 branch', () => {
    const a = r(407, ['Proxy-Authenticate: Digest realm="a", nonce="1"']);
    const b = r(401, ['WWW-Authenticate: Digest realm="b", nonce="2"']);
    expect(
      gatheredChallenges([
        { status: 407, response: a },
        { status: 401, response: b },
        { status: 486, response: r(486) },
      ]),
    ).toEqual([
      ['Proxy-Authenticate', 'Digest realm="a", nonce="1"'],
      ['WWW-Authenticate', 'Digest realm="b", nonce="2"'],
    ]);
  });
});

describe('NAT handling: where a request for a binding goes', () => {
  const binding = (over: Partial<Binding>): Binding => ({
    aor: 'sip:1002@lab.example',
    contact: 'sip:1002@192.168.1.50:5062',
    contactParams: '',
    expiresAt: 0,
    q: undefined,
    callId: 'c',
    cseq: 1,
    sourceAddress: '192.168.1.50',
    sourcePort: 5062,
    transport: 'UDP',
    userAgent: '',
    createdAt: 0,
    updatedAt: 0,
    ...over,
  });
  const local = parseCidrList('192.168.0.0/16');

  it('uses the Contact for a UA inside the local network', () => {
    expect(bindingTarget(binding({}), local)?.hop).toEqual({
      transport: 'UDP',
      address: '192.168.1.50',
      port: 5062,
    });
  });
  it('uses the source address for a UA behind a NAT (REGISTER from outside the local network)', () => {
    const t = bindingTarget(binding({ sourceAddress: '203.0.113.7', sourcePort: 40001 }), local);
    expect(t?.uri).toBe('sip:1002@192.168.1.50:5062');
    expect(t?.hop).toEqual({ transport: 'UDP', address: '203.0.113.7', port: 40001 });
  });
  it('uses the connection of a UA registered over TCP', () => {
    const t = bindingTarget(binding({ transport: 'TCP', sourcePort: 50123 }), local);
    expect(t?.hop).toEqual({ transport: 'TCP', address: '192.168.1.50', port: 50123 });
  });
  it('uses the Contact from loopback, and the source when the Contact is a name', () => {
    expect(
      bindingTarget(
        binding({ contact: 'sip:1002@127.0.0.1:6000', sourceAddress: '127.0.0.1', sourcePort: 6000 }),
        local,
      )?.hop.port,
    ).toBe(6000);
    expect(bindingTarget(binding({ contact: 'sip:1002@phone.invalid' }), local)?.hop.address).toBe(
      '192.168.1.50',
    );
  });
  it('matches CIDRs and private ranges', () => {
    expect(inCidrs('10.1.2.3', parseCidrList('10.0.0.0/8, 192.168.0.0/16'))).toBe(true);
    expect(inCidrs('11.1.2.3', parseCidrList('10.0.0.0/8'))).toBe(false);
    expect(isPrivateIpv4('172.20.0.1')).toBe(true);
    expect(isPrivateIpv4('172.32.0.1')).toBe(false);
  });
});

describe('our domains (one notion for the registrar and the proxy)', () => {
  it('takes our addresses at any port as our domain, but only at our port as this very server', () => {
    const served = new ServedDomains({ domain: 'lab.example', domains: [] }, ['10.1.2.3', 'fe80::1%eth0']);
    const id = new LocalIdentity({
      advertised: '192.0.2.10',
      bindHost: '0.0.0.0',
      port: 35061,
      domain: 'lab.example',
      domains: [],
      served,
    });
    const uri = (text: string) => parseUri(text) as SipUri;
    expect(id.isOurDomain(uri('sip:1002@192.0.2.10'))).toBe(true);
    expect(id.isOurDomain(uri('sip:1002@10.1.2.3:5099'))).toBe(true);
    expect(id.isOurDomain(uri('sip:1002@[fe80::1]'))).toBe(true);
    expect(id.isOurDomain(uri('sip:1002@localhost'))).toBe(true);
    expect(id.isOurDomain(uri('sip:1002@198.51.100.7'))).toBe(false);
    expect(id.isOurDomain(uri('sip:1002@any.name'))).toBe(true);
    expect(id.isMe('192.0.2.10', undefined)).toBe(false);
    expect(id.isMe('10.1.2.3', 35061)).toBe(true);
    expect(id.isMe('lab.example', 35061)).toBe(true);
    // The registrar asks the same object.
    expect(served.isOurs('10.1.2.3')).toBe(true);
    // An IPv6 address written another way is the same address (RFC 5954 §4): ours, and us at our port.
    for (const v6 of ['[0:0:0:0:0:0:0:1]', '[::0001]', '[FE80:0::1]'])
      expect([v6, id.isOurDomain(uri(`sip:1002@${v6}`)), id.isMe(v6, 35061)]).toEqual([v6, true, true]);
    expect(id.isOurDomain(uri('sip:1002@[2001:db8::1]'))).toBe(false);
    // One of our IPv4 addresses written IPv4-mapped (RFC 4291 §2.5.5.2) is that address.
    for (const mapped of ['[::ffff:127.0.0.1]', '[::FFFF:10.1.2.3]', '[0:0:0:0:0:ffff:a01:203]'])
      expect([mapped, id.isOurDomain(uri(`sip:1002@${mapped}`)), id.isMe(mapped, 35061)]).toEqual([
        mapped,
        true,
        true,
      ]);
    expect(id.isOurDomain(uri('sip:1002@[::ffff:198.51.100.7]'))).toBe(false);
  });

  it('with SIP.DOMAINS set, serves only those names (and our addresses)', () => {
    const served = new ServedDomains({ domain: 'lab.example', domains: ['Other.Example'] });
    expect(served.isOurs('other.example')).toBe(true);
    expect(served.isOurs('lab.example')).toBe(true);
    expect(served.isOurs('third.example')).toBe(false);
    expect(served.isOurs('127.0.0.1')).toBe(true);
    // This computer's own name is one of ours, as Kamailio's auto_aliases takes it: sip:1002@<name>:<port>
    // was relayed to ourselves and refused 482 Loop Detected.
    served.port = 35061;
    expect(served.isOurs(hostname().toUpperCase())).toBe(true);
    expect(served.isMe(hostname(), 35061)).toBe(true);
    served.setNames({ domain: 'lab.example', domains: [] });
    expect(served.isOurs('third.example')).toBe(true);
  });
});
