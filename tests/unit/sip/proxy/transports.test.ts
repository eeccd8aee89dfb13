// The proxy's transport rules beyond UDP/TCP: our Via and Record-Route per transport (ports, transport=
// parameter, IPv6 brackets), next hops from sips:/transport= URIs, flow tokens (RFC 5626 §5.3) that
// send an in-dialog request down the connection its Route names, bindings made over connections, and
// IPv6 prefixes in LOCAL_NETWORK_CIDR.
import { describe, expect, it } from 'vitest';
import { parseUri, type SipUri } from '../../../../core/sip/message/index';
import type { Binding } from '../../../../core/sip/registrar/binding';
import { bindingTarget } from '../../../../core/sip/proxy/binding-target';
import { flowHop, flowToken, readFlowToken, TAMPERED } from '../../../../core/sip/proxy/flow-token';
import { LocalIdentity } from '../../../../core/sip/proxy/local-identity';
import { inCidrs, isLoopback, isPrivateAddress, parseCidrList } from '../../../../core/sip/proxy/network';
import { literalHop, uriTransport } from '../../../../core/sip/proxy/next-hop';
import { preprocessRoutes } from '../../../../core/sip/proxy/route-preprocess';
import type { Peer } from '../../../../core/sip/transport/peer';
import { request } from '../../../support/sip-text';

const uri = (text: string): SipUri => parseUri(text) as SipUri;

const me = new LocalIdentity({
  advertised: '192.0.2.10',
  bindHost: '0.0.0.0',
  port: 5060,
  domain: 'lab.example',
  domains: [],
  ports: { TLS: 5061, WS: 5066, WSS: 7443 },
});

const me6 = new LocalIdentity({
  advertised: '2001:db8::10',
  bindHost: '::',
  port: 5060,
  domain: 'lab.example',
  domains: [],
});

describe('LocalIdentity with TLS, WS and WSS listeners', () => {
  it('writes each transport with its own port in Via and Record-Route', () => {
    expect(me.via('TLS', 'z9hG4bK-1')).toBe('SIP/2.0/TLS 192.0.2.10:5061;branch=z9hG4bK-1;rport');
    expect(me.via('WSS', 'z9hG4bK-1')).toBe('SIP/2.0/WSS 192.0.2.10:7443;branch=z9hG4bK-1;rport');
    expect(me.recordRoute('UDP')).toBe('<sip:192.0.2.10:5060;lr>');
    expect(me.recordRoute('TLS')).toBe('<sip:192.0.2.10:5061;lr;transport=tls>');
    expect(me.recordRoute('WS', 'abc.def')).toBe('<sip:192.0.2.10:5066;lr;transport=ws;flow=abc.def>');
  });

  it('is "me" at every listener port, and at no other', () => {
    for (const p of [5060, 5061, 5066, 7443]) expect(me.isMe('192.0.2.10', p)).toBe(true);
    expect(me.isMe('192.0.2.10', 5070)).toBe(false);
    expect(me.isMe('192.0.2.10', undefined)).toBe(true); // 5060 (or 5061 for sips) is ours
  });

  it('brackets an IPv6 address and knows it with or without brackets', () => {
    expect(me6.via('UDP', 'z9hG4bK-2')).toBe('SIP/2.0/UDP [2001:db8::10]:5060;branch=z9hG4bK-2;rport');
    expect(me6.recordRoute('TCP')).toBe('<sip:[2001:db8::10]:5060;lr;transport=tcp>');
    expect(me6.isMe('[2001:db8::10]', 5060)).toBe(true);
    expect(me6.isMe('[::1]', 5060)).toBe(true);
  });
});

describe('next hops (RFC 3261 §26.2.2, RFC 7118 §5)', () => {
  it('takes the transport from transport= or a sips: scheme, with its default port', () => {
    expect(uriTransport(uri('sip:a@192.0.2.1;transport=TLS'))).toBe('TLS');
    expect(uriTransport(uri('sip:a@192.0.2.1;transport=ws'))).toBe('WS');
    expect(uriTransport(uri('sips:a@192.0.2.1'))).toBe('TLS');
    expect(uriTransport(uri('sips:a@192.0.2.1;transport=tcp'))).toBe('TLS');
    expect(literalHop(uri('sips:a@192.0.2.1'))).toEqual({
      transport: 'TLS',
      address: '192.0.2.1',
      port: 5061,
    });
    expect(literalHop(uri('sip:a@[2001:db8::5]:5080'))).toEqual({
      transport: 'UDP',
      address: '2001:db8::5',
      port: 5080,
    });
    expect(literalHop(uri('sip:a@x.invalid;transport=ws'))).toBeUndefined();
  });
});

describe('flow tokens (RFC 5626 §5.3)', () => {
  const browser: Peer = { transport: 'WSS', address: '198.51.100.7', port: 50123 };
  const phone: Peer = { transport: 'UDP', address: '192.0.2.55', port: 5060 };

  it('name a connection, signed: a changed token names nothing', () => {
    const token = flowToken(browser)!;
    expect(readFlowToken(token)).toEqual(browser);
    expect(token).toMatch(/^[0-9a-f]+\.[0-9a-f]{16}$/); // hex: it cannot spell "CSeq" (ids.ts)
    const forged = Buffer.from('WSS 203.0.113.9 40000').toString('hex') + token.slice(token.indexOf('.'));
    expect(readFlowToken(forged)).toBeUndefined();
    expect(readFlowToken('garbage')).toBeUndefined();
    expect(flowToken(phone)).toBeUndefined();
    expect(flowToken({ ...phone, transport: 'TCP' })).toBeUndefined();
    expect(flowToken({ transport: 'TLS', address: '2001:db8::7', port: 5061 })).toBeDefined();
  });

  it('send an in-dialog request down the connection its popped Route names, unless it came from there', () => {
    const rr = [me.recordRoute('UDP'), me.recordRoute('WSS', flowToken(browser))];
    // The UDP phone's BYE towards the browser: Route set as the UAS (callee) learnt it.
    const bye = request('BYE', {
      'R-URI': 'sip:alice@df7jal23ls0d.invalid;transport=ws',
      Route: rr.join(', '),
      To: '<sip:alice@lab.example>;tag=b',
    });
    const popped = preprocessRoutes(bye, me);
    expect(popped).toHaveLength(2);
    expect(bye.routes).toHaveLength(0);
    expect(flowHop(popped, phone)).toEqual(browser);
    // The browser's own BYE pops the same entries: its own connection is not a next hop.
    const fromBrowser = request('BYE', {
      'R-URI': 'sip:bob@192.0.2.55',
      Route: [...rr].reverse().join(', '),
    });
    expect(flowHop(preprocessRoutes(fromBrowser, me), browser)).toBeUndefined();
  });

  it("after a reconnect, the far side's entry still decides: never the sender's own old connection", () => {
    const other: Peer = { transport: 'WS', address: '198.51.100.8', port: 40000 };
    const rr = [me.recordRoute('WS', flowToken(other)), me.recordRoute('WSS', flowToken(browser))];
    const reconnected: Peer = { ...browser, port: 50999 };
    // Browser to phone (no token on the phone's side): by the Request-URI, not down the dead connection.
    const toPhone = request('BYE', { 'R-URI': 'sip:bob@192.0.2.55', Route: [...rr].reverse().join(', ') });
    const udpRr = [me.recordRoute('UDP'), me.recordRoute('WSS', flowToken(browser))];
    const toUdp = request('BYE', { 'R-URI': 'sip:bob@192.0.2.55', Route: [...udpRr].reverse().join(', ') });
    expect(flowHop(preprocessRoutes(toUdp, me), reconnected)).toBeUndefined();
    // Browser to another browser: down the other's connection.
    expect(flowHop(preprocessRoutes(toPhone, me), reconnected)).toEqual(other);
  });

  it('a token that is not ours is TAMPERED (RFC 5626 §5.3: 403)', () => {
    const forged = `${me.recordRoute('UDP')}, <sip:192.0.2.10:7443;lr;transport=wss;flow=abcd.0123456789abcdef>`;
    const bye = request('BYE', { 'R-URI': 'sip:bob@x.invalid;transport=ws', Route: forged });
    expect(flowHop(preprocessRoutes(bye, me), phone)).toBe(TAMPERED);
  });
});

describe('bindings over connections', () => {
  const binding = (transport: Binding['transport'], contact: string): Binding => ({
    aor: 'sip:alice@lab.example',
    contact,
    contactParams: '',
    expiresAt: Date.now() + 60_000,
    q: undefined,
    callId: 'c',
    cseq: 1,
    sourceAddress: '198.51.100.7',
    sourcePort: 50123,
    transport,
    userAgent: '',
    createdAt: 0,
    updatedAt: 0,
  });

  it('a TLS or TCP binding whose connection closed is reached at its Contact (a new connection); WS is not', () => {
    const gone = (): boolean => false;
    const tls = bindingTarget(binding('TLS', 'sip:alice@198.51.100.7:5071;transport=tls'), [], gone);
    expect(tls?.hop).toEqual({ transport: 'TLS', address: '198.51.100.7', port: 5071 });
    const tcp = bindingTarget(binding('TCP', 'sip:alice@198.51.100.7:5072;transport=tcp'), [], gone);
    expect(tcp?.hop).toEqual({ transport: 'TCP', address: '198.51.100.7', port: 5072 });
    const ws = bindingTarget(binding('WSS', 'sip:alice@x.invalid;transport=ws'), [], gone);
    expect(ws?.hop).toEqual({ transport: 'WSS', address: '198.51.100.7', port: 50123 });
  });

  it('a WS/WSS/TLS binding is reached over its connection, whatever its Contact host', () => {
    for (const t of ['WS', 'WSS', 'TLS'] as const) {
      const target = bindingTarget(binding(t, 'sip:alice@df7jal23ls0d.invalid;transport=ws'), []);
      expect(target?.hop).toEqual({ transport: t, address: '198.51.100.7', port: 50123 });
      expect(target?.uri).toBe('sip:alice@df7jal23ls0d.invalid;transport=ws');
    }
  });
});

describe('LOCAL_NETWORK_CIDR with IPv6 (RFC 4193, RFC 4291)', () => {
  it('matches IPv6 prefixes and keeps the families apart', () => {
    const local = parseCidrList('192.168.0.0/16, fd00::/8, 2001:db8:1::/48');
    expect(inCidrs('fd12:3456::1', local)).toBe(true);
    expect(inCidrs('2001:db8:1:ffff::9', local)).toBe(true);
    expect(inCidrs('2001:db8:2::9', local)).toBe(false);
    expect(inCidrs('192.168.4.4', local)).toBe(true);
    expect(inCidrs('::ffff:192.168.4.4', parseCidrList('::/0'))).toBe(true);
    expect(inCidrs('10.0.0.1', parseCidrList('::/0'))).toBe(false);
    expect(isPrivateAddress('fe80::1')).toBe(true);
    expect(isPrivateAddress('fd00::1')).toBe(true);
    expect(isPrivateAddress('2001:db8::1')).toBe(false);
    expect(isLoopback('::1')).toBe(true);
  });
});

describe('settings: LOCAL_NETWORK_CIDR', () => {
  it('accepts IPv6 prefixes and names the variable for a bad one', async () => {
    const { loadSettings } = await import('../../../../core/config/settings');
    const dir = '/nonexistent-ims-lab-dir';
    const s = loadSettings(dir, { LOCAL_NETWORK_CIDR: '10.0.0.0/8, fd00::/8, ::1/128' });
    expect(s.str('SIP.LOCAL_NETWORK_CIDR')).toBe('10.0.0.0/8, fd00::/8, ::1/128');
    expect(() => loadSettings(dir, { LOCAL_NETWORK_CIDR: 'fd00::/129' })).toThrow(
      /^LOCAL_NETWORK_CIDR: must be a CIDR list/,
    );
    expect(() => loadSettings(dir, { LOCAL_NETWORK_CIDR: '10.0.0.256/8' })).toThrow(/^LOCAL_NETWORK_CIDR/);
  });
});
