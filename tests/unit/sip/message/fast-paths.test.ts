// The message layer's fast paths and the cases that must fall back from them, with the same result:
// small messages decoded whole (the header loop finds the blank line) vs large ones (searched first);
// header names of token chars before the colon vs the general name path; values decoded from the
// message's bytes in place vs from unfolded text; serialization by copying untouched byte runs.
import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  SipParseError,
  SipRequest,
  checkMessage,
  parseMessage,
  parseNameAddr,
  parseViaList,
  type SipMessage,
  type Via,
} from '../../../../core/sip/message/index';

const HEAD = [
  'INVITE sip:bob@example.com SIP/2.0',
  'Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bK776asdhds',
  'Max-Forwards: 70',
  'From: "Alice" <sip:alice@example.com>;tag=1928301774',
  'To: <sip:bob@example.com>',
  'Call-ID: a84b4c76e66710@pc33.example.com',
  'CSeq: 314159 INVITE',
];

function message(lines: string[], body = ''): Buffer {
  return Buffer.from(
    `${[...lines, `Content-Length: ${Buffer.byteLength(body)}`].join('\r\n')}\r\n\r\n${body}`,
    'utf8',
  );
}

function parsed(buf: Buffer, stream = false): SipMessage {
  const m = parseMessage(buf, { stream });
  if (m instanceof SipParseError) throw new Error(m.toString());
  return m;
}

function reason(buf: Buffer, stream = false): string {
  const m = parseMessage(buf, { stream });
  return m instanceof SipParseError ? m.reason : 'parsed';
}

describe('small messages decoded whole, large ones searched for their blank line first', () => {
  it('reads a message over 4 KB exactly as the same headers with a small body', () => {
    const small = parsed(message(HEAD, 'v=0\r\n'));
    const large = parsed(message(HEAD, `v=0\r\n${'a=x\r\n'.repeat(1200)}`));
    expect(large.source.length).toBeGreaterThan(4096);
    expect(large.fields.map((f) => [f.name, large.fieldValue(f)]).slice(0, -1)).toEqual(
      small.fields.map((f) => [f.name, small.fieldValue(f)]).slice(0, -1),
    );
    expect(large.topVia.branch).toBe(small.topVia.branch);
    expect(large.from.displayText).toBe('Alice');
    expect(large.body.length).toBe(5 + 6000);
    for (const m of [small, large]) m.setHeader('Max-Forwards', '69');
    expect(large.toBuffer().subarray(0, 200).equals(small.toBuffer().subarray(0, 200))).toBe(true);
    expect(large.toBuffer().subarray(-large.body.length).equals(large.body)).toBe(true);
  });

  it('reports a message without its blank line as incomplete before any other fault, small or large', () => {
    const cut = (lines: string[]) => Buffer.from(`${lines.join('\r\n')}\r\n`);
    const faulty = [
      ['INVITE  sip:bob@example.com SIP/2.0', ...HEAD.slice(1)], // two spaces in the Request-Line
      [...HEAD, 'Bad Header Line'],
      [...HEAD, ' continued'].slice(1), // a start line that is no start line
    ];
    for (const lines of faulty) {
      expect(reason(cut(lines), true)).toBe('Incomplete message: no blank line after the headers');
      const large = [...lines, `X-Pad: ${'p'.repeat(5000)}`];
      expect(reason(cut(large), true)).toBe('Incomplete message: no blank line after the headers');
    }
    // A datagram that ends with a whole header line is complete without the blank line (§18.3)...
    expect(parsed(cut(HEAD)).body.length).toBe(0);
    // ...but not one cut in the middle of a line, nor a stream message.
    expect(reason(Buffer.from(`${HEAD.join('\r\n')}\r\nX-A: b`))).toBe(
      'Incomplete message: no blank line after the headers',
    );
    expect(reason(cut(HEAD), true)).toBe('Incomplete message: no blank line after the headers');
    // The fault is still named when the blank line is there.
    expect(reason(message([...HEAD, 'Bad Header Line']))).toBe('Malformed header: line without a colon');
  });

  it('ends the headers only at CRLF after CRLF, or LF after LF in a bare-LF message', () => {
    // A bare LF line in a CRLF message is a header line without a colon, not the end of the headers.
    const mixed = Buffer.from(`${HEAD.join('\r\n')}\n\r\nContent-Length: 0\r\n\r\n`);
    expect(reason(mixed)).toBe('Malformed header: line without a colon');
    const lf = parsed(Buffer.from(`${HEAD.join('\n')}\nContent-Length: 2\n\nhi`));
    expect(lf.body.toString()).toBe('hi');
    expect(lf.fields.length).toBe(HEAD.length);
  });
});

describe('header names: token chars before the colon, else the general path', () => {
  it('reads compact forms and LWS before the colon', () => {
    const m = parsed(
      message([
        'OPTIONS sip:bob@example.com SIP/2.0',
        'v : SIP/2.0/UDP h;branch=z9hG4bK1',
        'f\t: <sip:a@h>;tag=1',
        't:<sip:b@h>',
        'i  : c@h',
        'CSEQ : 1 OPTIONS',
      ]),
    );
    expect(m.fields.map((f) => f.name)).toEqual(['via', 'from', 'to', 'call-id', 'cseq', 'content-length']);
    expect(m.callId).toBe('c@h');
    expect(checkMessage(m)).toBeNull();
  });

  it('names the same faults as before for names that are not tokens', () => {
    const withLine = (line: string) => message([...HEAD, line]);
    expect(reason(withLine('Vi@a: x'))).toBe('Malformed header: name is not a token');
    expect(reason(withLine('Vi a: x'))).toBe('Malformed header: name is not a token');
    expect(reason(withLine('Vi\x01a: x'))).toBe('Malformed header: control characters in a header name');
    expect(reason(withLine('X-\u00dc: 1'))).toBe('Malformed header: control characters in a header name');
    expect(reason(withLine(': x'))).toBe('Malformed header: empty name');
    expect(reason(withLine('Via x'))).toBe('Malformed header: line without a colon');
    expect(reason(withLine('Via; x: y'))).toBe('Malformed header: name is not a token');
    // A CR folds to "-" under c | 0x20: a known name is matched byte for byte, case only folded.
    expect(reason(withLine('Call\rID: x'))).toBe('Malformed header: control characters in a header name');
    expect(reason(withLine('Via x: y'))).toBe('Malformed header: name is not a token');
  });

  it('knows a known name in any case, and not as the start of a longer name', () => {
    const m = parsed(
      message([
        'OPTIONS sip:bob@example.com SIP/2.0',
        'vIA: SIP/2.0/UDP h;branch=z9hG4bK1',
        'FROM: <sip:a@h>;tag=1',
        'tO: <sip:b@h>',
        'cAlL-iD: c@h',
        'cseq: 1 OPTIONS',
        'Tox: 1',
        'Via-Extra: 2',
        'Allow-Events: talk',
        'Allow: INVITE',
        'F-x: 3',
        'record-ROUTE: <sip:p;lr>',
      ]),
    );
    expect(m.fields.map((f) => f.name)).toEqual([
      'via',
      'from',
      'to',
      'call-id',
      'cseq',
      'tox',
      'via-extra',
      'allow-events',
      'allow',
      'f-x',
      'record-route',
      'content-length',
    ]);
    expect(m.recordRoutes.length).toBe(1);
    expect(checkMessage(m)).toBeNull();
    expect(reason(message([...HEAD, 'TO: <sip:c@h>']))).toBe('Duplicate To header');
  });
});

describe('values decoded in place from the bytes, or from unfolded text', () => {
  it('reads a folded Via and From like the same values on one line', () => {
    const folded = parsed(
      message([
        'INVITE sip:bob@example.com SIP/2.0',
        'Via: SIP/2.0/UDP pc33.example.com',
        '   ;branch=z9hG4bK776asdhds ,SIP/2.0/TCP [2001:db8::9]:5070;rport',
        'Max-Forwards: 70',
        'From: "Al\u00efce"',
        ' <sip:alice@example.com>;tag=1928301774',
        ...HEAD.slice(4),
      ]),
    );
    const flat = parsed(
      message([
        'INVITE sip:bob@example.com SIP/2.0',
        'Via: SIP/2.0/UDP pc33.example.com ;branch=z9hG4bK776asdhds ,SIP/2.0/TCP [2001:db8::9]:5070;rport',
        'Max-Forwards: 70',
        'From: "Al\u00efce" <sip:alice@example.com>;tag=1928301774',
        ...HEAD.slice(4),
      ]),
    );
    const via = (m: SipMessage) => m.via.map((v) => [v.transport, v.host, v.port, v.branch, v.rport]);
    expect(via(folded)).toEqual([
      ['UDP', 'pc33.example.com', undefined, 'z9hG4bK776asdhds', undefined],
      ['TCP', '[2001:db8::9]', 5070, undefined, null],
    ]);
    expect(via(flat)).toEqual(via(folded));
    expect(folded.from.displayText).toBe('Al\u00efce');
    expect(flat.from.displayText).toBe('Al\u00efce');
    expect(folded.from.tag).toBe(flat.from.tag);
  });

  it('reads a long folded value (its text converted to bytes) like the same value on one line', () => {
    const branch = `z9hG4bK${'x'.repeat(2000)}`;
    const lines = (via: string[]) => [HEAD[0]!, ...via, ...HEAD.slice(2)];
    const folded = parsed(message(lines(['Via: SIP/2.0/UDP h', ` ;branch=${branch};rport`])));
    const flat = parsed(message(lines([`Via: SIP/2.0/UDP h ;branch=${branch};rport`])));
    expect(folded.topVia.branch).toBe(branch);
    expect(folded.via.map((v) => v.raw)).toEqual(flat.via.map((v) => v.raw));
    expect(parseViaList(`SIP/2.0/UDP h;branch=${branch}\u0161`, [])).toBe(false);
  });

  it('refuses text holding chars above U+00FF, whose low byte would be a valid char', () => {
    // U+0161 is "š": its low byte is "a". Text from a message never holds it (one char per byte).
    expect(parseViaList('SIP/2.0/UDP ho\u0161t', [])).toBe(false);
    expect(parseViaList('SIP/2.0/UDP host;branch=z9hG4bK\u0161', [])).toBe(false);
    expect(parseNameAddr('<sip:\u0161@h>', 'To')).toBeNull();
    expect(parseNameAddr('"Jo\\\u0161" <sip:j@h>', 'To')).toBeNull();
    // Inside a quoted display name any non-ASCII char is allowed (UTF8-NONASCII), as before.
    expect(parseNameAddr('"Jo\u0161" <sip:j@h>', 'To')?.displayName).toBe('"Jo\u0161"');
    const out: Via[] = [];
    expect(parseViaList('SIP / 2.0 / udp h:1 , sip/2.0/TLS [::1];received=::1', out)).toBe(true);
    expect(out.map((v) => [v.transport, v.host, v.port, v.received])).toEqual([
      ['UDP', 'h', 1, undefined],
      ['TLS', '[::1]', undefined, '::1'],
    ]);
  });

  it('reads a Call-ID and Contact: * in place and from edited text alike', () => {
    const reg = parsed(
      message([
        'REGISTER sip:example.com SIP/2.0',
        ...HEAD.slice(1, 5),
        'Call-ID: a84b4c76e66710@pc33.example.com',
        'CSeq: 2 REGISTER',
        'Contact: *',
        'Expires: 0',
      ]),
    );
    expect(reg.isContactStar).toBe(true);
    expect(reg.contacts).toEqual([]);
    reg.setHeader('Call-ID', 'x@y');
    reg.setHeader('Contact', '*');
    expect(reg.callId).toBe('x@y');
    expect(reg.isContactStar).toBe(true);
    reg.setHeader('Call-ID', 'x@@y');
    expect(() => reg.callId).toThrow(SipParseError);
  });
});

describe('Via received= read from the bytes (RFC 3261 §18.2.1), as node:net reads an address', () => {
  it('accepts and refuses the same values as isIPv4 / isIPv6', () => {
    const values = [
      ...['0.0.0.0', '192.168.1.10', '255.255.255.255', '10.0.0.1', '1.2.3.4'],
      ...['256.1.1.1', '01.2.3.4', '1.2.3.04', '00.1.1.1', '1.2.3', '1.2.3.4.5', '1..2.3', '1234.1.1.1'],
      ...['1.2.3.', '.1.2.3', '1.2.3.4a', '[1.2.3.4]', '::1', '[::1]', 'host', '2001:db8::1'],
    ];
    for (const v of values) {
      const addr = v.startsWith('[') ? v.slice(1, -1) : v;
      const ok = isIP(addr) !== 0;
      expect([v, parseViaList(`SIP/2.0/UDP h;received=${v}`, [])]).toEqual([v, ok]);
    }
  });
});

describe('serialization by copying untouched byte runs', () => {
  it('keeps every untouched line and the body around edits, removals and additions', () => {
    const buf = Buffer.concat([Buffer.from('\r\n'), message([...HEAD, 'Subject: hi', 'X-A: 1'], 'body')]);
    const m = parsed(buf) as SipRequest;
    m.removeHeader('Max-Forwards');
    m.setHeader('Subject', 'Gr\u00fc\u00dfe');
    m.appendHeader('X-B', '2');
    m.setUri('sip:carol@example.com');
    expect(m.toBuffer().toString('utf8')).toBe(
      [
        'INVITE sip:carol@example.com SIP/2.0',
        HEAD[1],
        ...HEAD.slice(3),
        'Subject: Gr\u00fc\u00dfe',
        'X-A: 1',
        'Content-Length: 4',
        'X-B: 2',
        '',
        'body',
      ].join('\r\n'),
    );
  });

  it('writes a replaced body, and a body that was only read, after the edited head', () => {
    const m = parsed(message(HEAD, 'old')) as SipRequest;
    expect(m.body.toString()).toBe('old');
    m.setHeader('Max-Forwards', '1');
    expect(m.toBuffer().toString().endsWith('Content-Length: 3\r\n\r\nold')).toBe(true);
    m.setBody(Buffer.from('newer'));
    expect(m.toBuffer().toString().endsWith('Content-Length: 5\r\n\r\nnewer')).toBe(true);
  });

  it('keeps bare-LF lines as they were and ends added lines with CRLF', () => {
    const m = parsed(Buffer.from(`${HEAD.join('\n')}\nContent-Length: 0\n\n`));
    m.prependHeader('Record-Route', '<sip:p;lr>');
    expect(m.toBuffer().toString()).toBe(
      `${HEAD[0]}\nRecord-Route: <sip:p;lr>\r\n${HEAD.slice(1).join('\n')}\nContent-Length: 0\n\n`,
    );
  });
});

describe('headers a proxy looks for that are usually absent', () => {
  it('finds Route, Record-Route, Require, Proxy-Require and Date added after parsing', () => {
    const m = parsed(message(HEAD)) as SipRequest;
    expect(m.routes).toEqual([]);
    expect(m.recordRoutes).toEqual([]);
    expect(m.tokens('require')).toEqual([]);
    expect(m.date).toBeUndefined();
    m.appendHeader('Route', '<sip:p1;lr>');
    m.prependHeader('Record-Route', '<sip:p2;lr>');
    m.appendHeader('Require', 'timer');
    m.insertHeader(1, 'Proxy-Require', 'foo');
    m.appendHeader('Date', 'Sat, 13 Nov 2010 23:29:00 GMT');
    expect(m.routes.map((r) => r.uriText)).toEqual(['sip:p1;lr']);
    expect(m.recordRoutes.map((r) => r.uriText)).toEqual(['sip:p2;lr']);
    expect(m.tokens('require')).toEqual(['timer']);
    expect(m.tokens('proxy-require')).toEqual(['foo']);
    expect(m.date?.toISOString()).toBe('2010-11-13T23:29:00.000Z');
    const again = parsed(m.toBuffer()) as SipRequest;
    expect(again.routes.length + again.recordRoutes.length).toBe(2);
    expect(again.tokens('proxy-require')).toEqual(['foo']);
  });
});
