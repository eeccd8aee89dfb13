// Serialization: an unchanged message comes back byte for byte; a proxy's edits change only the lines
// they touch; compact and long header forms read the same.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  SipParseError,
  SipRequest,
  SipResponse,
  checkMessage,
  parseMessage,
  type SipMessage,
} from '../../../../core/sip/message/index';
import { HAS_CORPUS, corpus, corpusIds } from '../../../support/corpus';

const benchDir = new URL('../../../bench/messages/', import.meta.url);
const invite = readFileSync(new URL('invite.sip', benchDir));
const ok200 = readFileSync(new URL('register-200.sip', benchDir));

function parsed(buf: Buffer): SipMessage {
  const m = parseMessage(buf);
  if (m instanceof SipParseError) throw new Error(m.toString());
  return m;
}

function lines(buf: Buffer): string[] {
  return buf.toString('latin1').split('\r\n');
}

describe('byte-for-byte serialization', () => {
  it.skipIf(!HAS_CORPUS).each(corpusIds())('%s: unchanged messages serialize to their own bytes', (id) => {
    const buf = corpus(id);
    const m = parseMessage(buf);
    if (m instanceof SipParseError) return; // invalid cases are covered by torture.test.ts
    const out = m.toBuffer();
    expect(out.equals(m.source)).toBe(true);
    // The source is the input minus leading CRLFs and anything after Content-Length (RFC 4475 §3.1.1.8).
    expect(buf.indexOf(out)).toBeGreaterThanOrEqual(0);
  });

  it('a header edited back to identical text still gives identical bytes', () => {
    const m = parsed(invite) as SipRequest;
    m.setHeader('CSeq', '1 INVITE');
    expect(m.isEdited).toBe(true);
    expect(m.toBuffer().equals(invite)).toBe(true);
  });
});

describe('edited messages: the bytes around the edits', () => {
  // Every byte value in the body, and octets after Content-Length that a datagram may carry (ignored,
  // RFC 4475 §3.1.1.8): the edited copy keeps the first and never the second.
  const body = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const head = [
    'MESSAGE sip:bob@example.com SIP/2.0',
    'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-a1',
    'Max-Forwards: 70',
    'From: <sip:alice@example.com>;tag=1',
    'To: <sip:bob@example.com>',
    'Call-ID: c1@192.0.2.1',
    'CSeq: 1 MESSAGE',
    'Content-Type: application/octet-stream',
    `Content-Length: ${body.length}`,
    'X-Last: end',
  ];
  const wire = (lines: string[], b: Buffer, extra = '') =>
    Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), b, Buffer.from(extra, 'latin1')]);
  const edit = (m: SipMessage) => {
    m.prependHeader('Via', 'SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bK-p1');
    m.setHeader('Max-Forwards', '69');
    m.removeHeader('X-Last');
  };
  const edited = [
    head[0]!,
    'Via: SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bK-p1',
    head[1]!,
    'Max-Forwards: 69',
    ...head.slice(3, -1),
  ];

  it('keeps the body byte for byte and drops what follows Content-Length, read before the edit or not', () => {
    for (const readFirst of [false, true]) {
      const m = parsed(wire(head, body, 'trailing junk\r\n'));
      if (readFirst) expect(m.body.equals(body)).toBe(true);
      edit(m);
      expect(m.toBuffer().equals(wire(edited, body))).toBe(true);
    }
  });

  it('writes a replaced body, and a large body not decoded with the head', () => {
    const m = parsed(wire(head, body));
    edit(m);
    m.setBody(Buffer.from('hello'), 'text/plain');
    const expected = edited.map((l) =>
      l.startsWith('Content-Type')
        ? 'Content-Type: text/plain'
        : l.startsWith('Content-Length')
          ? 'Content-Length: 5'
          : l,
    );
    expect(m.toBuffer().equals(wire(expected, Buffer.from('hello')))).toBe(true);
    const big = Buffer.concat(Array.from({ length: 20 }, () => body));
    const large = parsed(
      wire(
        head.map((l) => (l.startsWith('Content-Length') ? `Content-Length: ${big.length}` : l)),
        big,
      ),
    );
    edit(large);
    const bigEdited = edited.map((l) =>
      l.startsWith('Content-Length') ? `Content-Length: ${big.length}` : l,
    );
    expect(large.toBuffer().equals(wire(bigEdited, big))).toBe(true);
  });
});

describe("a proxy's edits (RFC 3261 §16.6, §16.7)", () => {
  it('prepends a Via, decrements Max-Forwards, adds Record-Route and retargets, leaving the rest', () => {
    const m = parsed(invite) as SipRequest;
    m.replaceTopVia(m.topVia.stamped('192.168.1.10', 5062));
    expect(m.decrementMaxForwards()).toBe(69);
    m.prependHeader('Via', 'SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bK-ims-1;rport');
    m.prependHeader('Record-Route', '<sip:192.168.1.20:5060;lr>');
    m.setUri('sip:1002@192.168.1.30:5064');
    const out = m.toBuffer();
    const before = lines(invite);
    const after = lines(out);
    expect(after[0]).toBe('INVITE sip:1002@192.168.1.30:5064 SIP/2.0');
    expect(after[1]).toBe('Record-Route: <sip:192.168.1.20:5060;lr>');
    expect(after[2]).toBe('Via: SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bK-ims-1;rport');
    expect(after[3]).toBe(
      'Via: SIP/2.0/UDP 192.168.1.10:5062;branch=z9hG4bK-524287-1---7e2f4d9c0b5a;rport=5062;received=192.168.1.10',
    );
    expect(after[4]).toBe('Max-Forwards: 69');
    // Every other line, and the body, are the original bytes.
    expect(after.slice(5)).toEqual(before.slice(3));
    expect(out.subarray(out.length - m.body.length).equals(m.body)).toBe(true);

    const again = parsed(out) as SipRequest;
    expect(checkMessage(again)).toBeNull();
    expect(again.via.map((v) => v.branch)).toEqual(['z9hG4bK-ims-1', 'z9hG4bK-524287-1---7e2f4d9c0b5a']);
    expect(again.topVia.rport).toBeNull();
    expect(again.via[1]!.rport).toBe(5062);
    expect(again.via[1]!.received).toBe('192.168.1.10');
    expect(again.maxForwards).toBe(69);
    expect(again.recordRoutes[0]!.uriText).toBe('sip:192.168.1.20:5060;lr');
  });

  it('adds Max-Forwards 70 when an RFC 2543 request has none', () => {
    const m = parsed(
      Buffer.from(
        'OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h\r\nFrom: <sip:x@y>\r\nTo: <sip:a@b>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\n\r\n',
      ),
    ) as SipRequest;
    expect(m.decrementMaxForwards()).toBe(70);
    expect(m.header('Max-Forwards')).toBe('70');
  });

  it('pops its own Via from a response, keeping the rest verbatim (§16.7 step 3)', () => {
    const m = parsed(ok200) as SipResponse;
    expect(m.removeFirstValue('via')).toBe(true);
    const out = m.toBuffer();
    expect(lines(out)).toEqual(lines(ok200).filter((_, i) => i !== 1));
    expect((parsed(out) as SipResponse).topVia.host).toBe('192.168.1.10');
  });

  it('removes one value from a comma-separated header line and keeps the others as written', () => {
    const m = parsed(
      Buffer.from(
        'BYE sip:b@h SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nRoute: <sip:p1;lr>,  <sip:p2;lr>;x="a,b"\r\n' +
          'Route: <sip:p3;lr>\r\nFrom: <sip:a@h>;tag=1\r\nTo: <sip:b@h>;tag=2\r\nCall-ID: c\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n',
      ),
    ) as SipRequest;
    m.removeFirstValue('route');
    expect(m.headerValues('Route')).toEqual(['<sip:p2;lr>;x="a,b"', '<sip:p3;lr>']);
    expect(m.routes.map((r) => r.uriText)).toEqual(['sip:p2;lr', 'sip:p3;lr']);
    m.removeFirstValue('route');
    m.removeFirstValue('route');
    expect(m.has('route')).toBe(false);
    expect(m.removeFirstValue('route')).toBe(false);
  });

  it('replaces a body and keeps Content-Length right; UTF-8 header values are written as UTF-8', () => {
    const m = parsed(invite) as SipRequest;
    m.setBody(Buffer.from('hello'), 'text/plain');
    m.setHeader('Subject', 'Grüße');
    const again = parsed(m.toBuffer());
    expect(again.contentLength).toBe(5);
    expect(again.body.toString()).toBe('hello');
    expect(again.contentType).toMatchObject({ type: 'text', subtype: 'plain' });
    expect(Buffer.from(again.header('subject')!, 'latin1').toString('utf8')).toBe('Grüße');
  });
});

describe('compact and long header forms are equivalent (§7.3.3)', () => {
  const long = [
    'INVITE sip:bob@example.com SIP/2.0',
    'Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bK776asdhds',
    'From: Alice <sip:alice@example.com>;tag=1928301774',
    'To: Bob <sip:bob@example.com>',
    'Call-ID: a84b4c76e66710@pc33.example.com',
    'CSeq: 314159 INVITE',
    'Contact: <sip:alice@pc33.example.com>',
    'Content-Type: application/sdp',
    'Content-Encoding: gzip',
    'Supported: timer',
    'Subject: lunch',
    'Event: presence',
    'Allow-Events: talk',
    'Refer-To: <sip:carol@example.com>',
    'Referred-By: <sip:alice@example.com>',
    'Session-Expires: 1800',
    'Identity: abc',
    'Accept-Contact: *;audio',
    'Reject-Contact: *;video',
    'Request-Disposition: proxy',
    'Content-Length: 4',
    '',
    'v=0\n',
  ].join('\r\n');
  const compactForm: Record<string, string> = {
    Via: 'v',
    From: 'f',
    To: 't',
    'Call-ID': 'i',
    Contact: 'm',
    'Content-Type': 'c',
    'Content-Encoding': 'e',
    Supported: 'k',
    Subject: 's',
    Event: 'o',
    'Allow-Events': 'u',
    'Refer-To': 'r',
    'Referred-By': 'b',
    'Session-Expires': 'x',
    Identity: 'y',
    'Accept-Contact': 'a',
    'Reject-Contact': 'j',
    'Request-Disposition': 'd',
    'Content-Length': 'l',
  };
  const compact = long.replace(/^([A-Za-z-]+):/gm, (all, name: string) =>
    compactForm[name] ? `${compactForm[name]}:` : all,
  );

  it('covers every compact letter of RFC 3261 and its extensions', () => {
    expect(Object.values(compactForm).sort().join('')).toBe('abcdefijklmorstuvxy');
    expect(compact).not.toBe(long);
  });

  it('reads the same values through either form', () => {
    const a = parsed(Buffer.from(long)) as SipRequest;
    const b = parsed(Buffer.from(compact)) as SipRequest;
    for (const name of Object.keys(compactForm)) {
      expect(b.header(name), name).toBe(a.header(name));
      expect(b.header(compactForm[name]!), name).toBe(a.header(name));
    }
    expect(b.fields.map((f) => f.name)).toEqual(a.fields.map((f) => f.name));
    expect(b.callId).toBe(a.callId);
    expect(b.from.tag).toBe(a.from.tag);
    expect(b.contacts[0]!.uriText).toBe(a.contacts[0]!.uriText);
    expect(b.body.equals(a.body)).toBe(true);
  });

  it('matches names case-insensitively, in any spelling', () => {
    const m = parsed(
      Buffer.from(long.replace('Call-ID:', 'cALL-iD:').replace('CSeq:', 'CSEQ :')),
    ) as SipRequest;
    expect(m.callId).toBe('a84b4c76e66710@pc33.example.com');
    expect(m.cseq.seq).toBe(314159);
    expect(m.header('call-id')).toBe(m.header('I'));
  });
});

describe('line ends', () => {
  it('accepts bare-LF messages', () => {
    const m = parsed(
      Buffer.from(
        'OPTIONS sip:a@b SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bKx\nFrom: <sip:x@y>;tag=1\nTo: <sip:a@b>\nCall-ID: c\nCSeq: 1 OPTIONS\nContent-Length: 0\n\n',
      ),
    ) as SipRequest;
    expect(m.callId).toBe('c');
    expect(m.toBuffer().toString()).toContain('\nCall-ID: c\n');
  });

  it('ignores CRLFs before the start line (§7.5)', () => {
    const m = parsed(Buffer.concat([Buffer.from('\r\n\r\n'), ok200]));
    expect(m.toBuffer().equals(ok200)).toBe(true);
  });
});
