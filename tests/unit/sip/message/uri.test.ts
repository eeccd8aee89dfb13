// URIs (RFC 3261 §19.1, §25.1; RFC 3966 for tel; RFC 5118 for IPv6 references).
import { describe, expect, it } from 'vitest';
import {
  formatSipUri,
  hostAddress,
  isIpHost,
  parseUri,
  unescape,
  uriParam,
  type SipUri,
} from '../../../../core/sip/message/index';

function sipUri(text: string): SipUri {
  const u = parseUri(text);
  expect(u, text).not.toBeNull();
  expect(u!.kind).toBe('sip');
  return u as SipUri;
}

describe('SIP and SIPS URIs', () => {
  it('reads every part of a full URI', () => {
    const u = sipUri(
      'sips:alice:secret@atlanta.example.com:5061;transport=tls;lr;maddr=239.255.255.1?subject=project%20x&priority=urgent',
    );
    expect(u).toMatchObject({
      scheme: 'sips',
      user: 'alice',
      password: 'secret',
      host: 'atlanta.example.com',
      port: 5061,
      headers: 'subject=project%20x&priority=urgent',
    });
    expect(uriParam(u, 'transport')).toBe('tls');
    expect(uriParam(u, 'lr')).toBeNull();
    expect(uriParam(u, 'maddr')).toBe('239.255.255.1');
    expect(uriParam(u, 'ttl')).toBeUndefined();
  });

  it('accepts a URI without user, and an upper-case scheme', () => {
    expect(sipUri('sip:example.com')).toMatchObject({
      user: undefined,
      host: 'example.com',
      port: undefined,
    });
    expect(sipUri('SIP:Bob@Example.COM').scheme).toBe('sip');
  });

  it('reads IPv4 and IPv6 hosts, with and without ports', () => {
    expect(sipUri('sip:1001@192.168.1.20:5062')).toMatchObject({ host: '192.168.1.20', port: 5062 });
    expect(sipUri('sip:[2001:db8::1]:5070')).toMatchObject({ host: '[2001:db8::1]', port: 5070 });
    expect(hostAddress('[2001:DB8::1]')).toBe('2001:db8::1');
    expect(isIpHost('[2001:db8::1]')).toBe(true);
    expect(isIpHost('10.0.0.1')).toBe(true);
    expect(isIpHost('pbx.example.com')).toBe(false);
  });

  it('keeps escapes as written and unescapes on request', () => {
    const u = sipUri('sip:%61lice%20smith@example.com;%6C%72;tag=a%2Cb');
    expect(u.user).toBe('%61lice%20smith');
    expect(unescape(u.user!)).toBe('alice smith');
    expect(uriParam(u, 'lr')).toBeNull();
    expect(uriParam(u, 'tag')).toBe('a,b');
  });

  it('refuses malformed URIs', () => {
    for (const bad of [
      'sip:',
      'sip:@example.com',
      'sip:alice@',
      'sip:alice@example.com:99999',
      'sip:alice@example.com:',
      'sip:alice@exa mple.com',
      'sip:a@b@c',
      'sip:[2001:db8::1',
      'sip:[not-ipv6]',
      'sip:alice@example.com;=x',
      'sip:alice@example.com?noequals',
      'sip:al%ZZice@example.com',
      '1sip:alice@example.com',
      'alice@example.com',
    ]) {
      expect(parseUri(bad), bad).toBeNull();
    }
  });

  it('formats a SIP URI from parts', () => {
    expect(
      formatSipUri({
        user: '1001',
        host: '10.0.0.1',
        port: 5060,
        params: [{ name: 'transport', value: 'tcp' }],
      }),
    ).toBe('sip:1001@10.0.0.1:5060;transport=tcp');
    expect(formatSipUri({ host: '2001:db8::1', params: [{ name: 'lr', value: null }] })).toBe(
      'sip:[2001:db8::1];lr',
    );
  });
});

describe('TEL and other schemes', () => {
  it('reads a tel URI with parameters (RFC 3966)', () => {
    const u = parseUri('tel:+1-201-555-0123;phone-context=example.com');
    expect(u).toMatchObject({ kind: 'tel', number: '+1-201-555-0123' });
    expect(u?.kind === 'tel' && uriParam(u, 'phone-context')).toBe('example.com');
    expect(parseUri('tel:')).toBeNull();
    expect(parseUri('tel:12 34')).toBeNull();
  });

  it('keeps other absolute URIs opaque (RFC 4475 §3.3.2-4)', () => {
    expect(parseUri('mailto:bob@example.com')).toEqual({
      kind: 'other',
      scheme: 'mailto',
      raw: 'mailto:bob@example.com',
    });
    expect(parseUri('urn:service:sos')).toMatchObject({ kind: 'other', scheme: 'urn' });
    expect(parseUri('http://www.example.com/a b')).toBeNull();
  });
});
