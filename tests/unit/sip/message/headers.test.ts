// Header grammars: name-addr (§20.10), Via (§20.42, RFC 3581), CSeq, Max-Forwards, Expires, Date,
// token lists and media types (§20), read through a message as the SIP stack reads them.
import { describe, expect, it } from 'vitest';
import {
  SipParseError,
  SipRequest,
  formatNameAddr,
  formatVia,
  parseMessage,
  parseNameAddr,
  parseNameAddrList,
  parseViaList,
  type Via,
} from '../../../../core/sip/message/index';

function request(extra: string[], base = true): SipRequest {
  const lines = ['OPTIONS sip:bob@example.com SIP/2.0'];
  if (base) {
    lines.push(
      'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1',
      'From: <sip:alice@example.com>;tag=a',
      'To: <sip:bob@example.com>',
      'Call-ID: c1',
      'CSeq: 1 OPTIONS',
    );
  }
  const m = parseMessage(Buffer.from([...lines, ...extra, 'Content-Length: 0', '', ''].join('\r\n')));
  if (m instanceof SipParseError) throw new Error(m.toString());
  return m as SipRequest;
}

function thrown(read: () => unknown): SipParseError {
  try {
    read();
  } catch (e) {
    expect(e).toBeInstanceOf(SipParseError);
    return e as SipParseError;
  }
  throw new Error('expected a SipParseError');
}

describe('name-addr and addr-spec', () => {
  it('reads quoted, token and absent display names', () => {
    expect(parseNameAddr('"Alice \\"A\\" Smith" <sip:alice@example.com>;tag=9', 'From')?.displayText).toBe(
      'Alice "A" Smith',
    );
    expect(parseNameAddr('Alice Smith <sip:alice@example.com>', 'From')?.displayName).toBe('Alice Smith');
    expect(parseNameAddr('<sip:alice@example.com>', 'From')?.displayName).toBeUndefined();
  });

  it('decodes a UTF-8 display name written on the wire', () => {
    const wire = Buffer.from('"Jürgen" <sip:j@example.com>', 'utf8').toString('latin1');
    expect(parseNameAddr(wire, 'From')?.displayText).toBe('Jürgen');
  });

  it('reads Contact lists with parameters, q and expires', () => {
    const list = parseNameAddrList(
      '<sip:a@h1>;q=0.7;expires=60, "B" <sip:b@h2;transport=tcp>, sip:c@h3;q=0.1',
      'Contact',
    )!;
    expect(list.map((c) => c.uriText)).toEqual(['sip:a@h1', 'sip:b@h2;transport=tcp', 'sip:c@h3']);
    expect(list[0]!.params).toEqual([
      { name: 'q', value: '0.7' },
      { name: 'expires', value: '60' },
    ]);
    expect(list[2]!.params).toEqual([{ name: 'q', value: '0.1' }]);
  });

  it('refuses what RFC 3261 refuses', () => {
    expect(parseNameAddr('Bell, Alexander <sip:a@b>', 'From')).toBeNull();
    expect(parseNameAddr('< sip:a@b >', 'To')).toBeNull();
    expect(parseNameAddr('"unterminated <sip:a@b>', 'To')).toBeNull();
    expect(parseNameAddr('<sip:a@b>;;tag=1', 'To')).toBeNull();
    expect(parseNameAddr('<sip:a@b> trailing', 'To')).toBeNull();
    expect(parseNameAddr('sip:a@b?x=y', 'Contact')).toBeNull();
    expect(parseNameAddr('nouri', 'To')).toBeNull();
  });

  it('formats a name-addr, quoting a display name only when it needs it', () => {
    expect(formatNameAddr('sip:1001@h', [{ name: 'tag', value: 'x' }], 'Alice')).toBe(
      'Alice <sip:1001@h>;tag=x',
    );
    expect(formatNameAddr('sip:1001@h', [], 'Alice "A"')).toBe('"Alice \\"A\\"" <sip:1001@h>');
  });
});

describe('Via', () => {
  function vias(text: string): Via[] {
    const out: Via[] = [];
    expect(parseViaList(text, out), text).toBe(true);
    return out;
  }

  it('reads transport, sent-by and the routing parameters', () => {
    const [v] = vias(
      'SIP/2.0/TCP client.example.com:5070;branch=z9hG4bKnashds7;received=192.0.2.1;rport=5071;maddr=224.2.0.1;ttl=16',
    );
    expect(v).toMatchObject({
      transport: 'TCP',
      host: 'client.example.com',
      port: 5070,
      branch: 'z9hG4bKnashds7',
      received: '192.0.2.1',
      rport: 5071,
      maddr: '224.2.0.1',
      ttl: 16,
    });
    expect(vias('SIP/2.0/UDP h;rport')[0]!.rport).toBeNull();
    expect(vias('SIP/2.0/UDP h')[0]!.rport).toBeUndefined();
    expect(vias('sip / 2.0 / udp   h : 5060 ; BRANCH = z9hG4bKx')[0]).toMatchObject({
      transport: 'UDP',
      port: 5060,
      branch: 'z9hG4bKx',
    });
  });

  it('refuses bad values of the parameters it knows', () => {
    for (const bad of [
      'SIP/2.0/UDP h;ttl=256',
      'SIP/2.0/UDP h;rport=x',
      'SIP/2.0/UDP h;received=host',
      'SIP/2.0/UDP h:70000',
      'SIP/3.0/UDP h',
      'SIP/2.0/UDP',
      'SIP/2.0/UDP h;branch',
    ]) {
      expect(parseViaList(bad, []), bad).toBe(false);
    }
  });

  it('stamps received and rport as a server does (§18.2.1, RFC 3581 §4)', () => {
    expect(vias('SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK1;rport')[0]!.stamped('203.0.113.7', 40000)).toBe(
      'SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK1;rport=40000;received=203.0.113.7',
    );
    // Without rport, received is added only when sent-by differs from the source address.
    // An IPv6 zone is this host's own: received has none (RFC 3261 §25.1 IPv6reference).
    expect(vias('SIP/2.0/UDP [fe80::1];branch=z9hG4bK1;rport')[0]!.stamped('fe80::1%eth0', 5060)).toBe(
      'SIP/2.0/UDP [fe80::1];branch=z9hG4bK1;rport=5060;received=fe80::1',
    );
    expect(vias('SIP/2.0/UDP 10.0.0.5;branch=z9hG4bK1')[0]!.stamped('10.0.0.5', 5060)).toBe(
      'SIP/2.0/UDP 10.0.0.5;branch=z9hG4bK1',
    );
    expect(
      vias('SIP/2.0/UDP pc.example.com;branch=z9hG4bK1;received=1.1.1.1')[0]!.stamped('10.0.0.5', 5060),
    ).toBe('SIP/2.0/UDP pc.example.com;branch=z9hG4bK1;received=10.0.0.5');
    // A received the sender wrote itself, sent-by being its real address: the truth replaces it (taken as
    // it was, our answers went wherever the sender named, §18.2.2).
    expect(
      vias('SIP/2.0/UDP 10.0.0.5:5062;received=10.0.0.99;branch=z9hG4bK1')[0]!.stamped('10.0.0.5', 5062),
    ).toBe('SIP/2.0/UDP 10.0.0.5:5062;received=10.0.0.5;branch=z9hG4bK1');
    expect(
      formatVia('UDP', '10.0.0.1', 5060, [
        { name: 'branch', value: 'z9hG4bKa' },
        { name: 'rport', value: null },
      ]),
    ).toBe('SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKa;rport');
  });
});

describe('scalar headers', () => {
  it('reads CSeq, Max-Forwards, Expires, Date and Content-Type', () => {
    const m = request([
      'Max-Forwards: 0',
      'Expires: 4294967295',
      'Date: Sat, 13 Nov 2010 23:29:00 GMT',
      'Content-Type: Application/SDP ; charset="utf-8"',
    ]);
    expect(m.cseq).toEqual({ seq: 1, method: 'OPTIONS' });
    expect(m.maxForwards).toBe(0);
    expect(m.expires).toBe(4294967295);
    expect(m.date?.toISOString()).toBe('2010-11-13T23:29:00.000Z');
    expect(m.contentType).toEqual({
      type: 'application',
      subtype: 'sdp',
      params: [{ name: 'charset', value: '"utf-8"' }],
    });
  });

  it('gives a typed error naming the header for bad values', () => {
    expect(thrown(() => request(['Max-Forwards: 256']).maxForwards)).toMatchObject({
      header: 'max-forwards',
      status: 400,
    });
    expect(thrown(() => request(['Expires: 4294967296']).expires)).toMatchObject({ header: 'expires' });
    expect(thrown(() => request(['Expires: -1']).expires).reason).toMatch(/^Malformed Expires header/);
    expect(thrown(() => request(['Date: Sat, 13 Nov 2010 23:29:00 PST']).date)).toMatchObject({
      header: 'date',
    });
    expect(thrown(() => request(['Content-Type: text']).contentType)).toMatchObject({
      header: 'content-type',
    });
    expect(thrown(() => request(['Require: a b']).tokens('require'))).toMatchObject({ header: 'require' });
  });

  it('reads token lists; Supported may be empty', () => {
    const m = request(['Supported:', 'Require: 100rel,  timer', 'Allow: INVITE, ACK', 'Allow: BYE']);
    expect(m.tokens('supported')).toEqual([]);
    expect(m.tokens('require')).toEqual(['100rel', 'timer']);
    expect(m.tokens('allow')).toEqual(['INVITE', 'ACK', 'BYE']);
  });

  it('tells Contact: * apart from real contacts', () => {
    const m = request(['Contact: *', 'Expires: 0']);
    expect(m.isContactStar).toBe(true);
    expect(m.contacts).toEqual([]);
  });
});
