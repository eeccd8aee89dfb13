// RFC 4475 and RFC 5118 torture messages: each valid one parses to the values its RFC section is about;
// each invalid one gives the typed error the RFC expects (a request: a 400-class reason; a response: an
// error, so it is dropped). The messages are read from ../shared/corpus (see tests/support/corpus.ts).
import { describe, expect, it } from 'vitest';
import {
  BRANCH_COOKIE,
  SipParseError,
  SipRequest,
  SipResponse,
  checkMessage,
  parseMessage,
  unescape,
  uriParam,
  type SipMessage,
  type SipUri,
  type Uri,
} from '../../../../core/sip/message/index';
import { HAS_CORPUS, corpus } from '../../../support/corpus';

/** The inbound pipeline of a registrar/UAS: parse, then decode every header it reads. */
function full(id: string): SipMessage | SipParseError {
  const msg = parseMessage(corpus(id));
  if (msg instanceof SipParseError) return msg;
  return checkMessage(msg, 'full') ?? msg;
}

function request(id: string): SipRequest {
  const m = full(id);
  if (m instanceof SipParseError) throw new Error(`${id}: unexpected ${m.toString()}`);
  expect(m).toBeInstanceOf(SipRequest);
  return m as SipRequest;
}

function response(id: string): SipResponse {
  const m = full(id);
  if (m instanceof SipParseError) throw new Error(`${id}: unexpected ${m.toString()}`);
  expect(m).toBeInstanceOf(SipResponse);
  return m as SipResponse;
}

function error(id: string): SipParseError {
  const m = full(id);
  expect(m, `${id} should be rejected`).toBeInstanceOf(SipParseError);
  return m as SipParseError;
}

function sip(u: Uri): SipUri {
  expect(u.kind).toBe('sip');
  return u as SipUri;
}

describe.skipIf(!HAS_CORPUS)('RFC 4475 §3.1.1: valid messages parse to the right values', () => {
  it('wsinv (3.1.1.1): whitespace, folding, compact forms, case', () => {
    const m = request('rfc4475/wsinv');
    expect(m.method).toBe('INVITE');
    expect(m.uri).toBe('sip:vivekg@chair-dnrc.example.com;unknownparam');
    expect(uriParam(sip(m.requestUri), 'unknownparam')).toBeNull();
    expect(sip(m.to.uri).host).toBe('chair-dnrc.example.com');
    expect(m.to.tag).toBe('1918181833n');
    expect(m.from.displayText).toBe('J Rosenberg \\"');
    expect(m.from.uriText).toBe('sip:jdrosen@example.com');
    expect(m.from.tag).toBe('98asjd8');
    expect(m.maxForwards).toBe(68);
    expect(m.callId).toBe('wsinv.ndaksdj@192.0.2.1');
    expect(m.cseq).toEqual({ seq: 9, method: 'INVITE' });
    expect(m.contentLength).toBe(150);
    expect(m.body.length).toBe(150);
    expect(m.via.map((v) => [v.transport, v.host, v.branch])).toEqual([
      ['UDP', '192.0.2.2', '390skdjuw'],
      ['TCP', 'spindle.example.com', 'z9hG4bK9ikj8'],
      ['UDP', '192.168.255.111', 'z9hG4bK30239'],
    ]);
    expect(m.header('Subject')).toBe('');
    expect(m.header('newfangledheader')).toBe('newfangled value continued newfangled value');
    expect(m.header('UnknownHeaderWithUnusualValue')).toBe(';;,,;;,;');
    expect(m.contentType).toMatchObject({ type: 'application', subtype: 'sdp' });
    expect(m.routes).toHaveLength(1);
    const route = sip(m.routes[0]!.uri);
    expect(route.host).toBe('services.example.com');
    expect(uriParam(route, 'lr')).toBeNull();
    expect(uriParam(route, 'unknownwith')).toBe('value');
    const contact = m.contacts[0]!;
    expect(contact.displayText).toBe('Quoted string ""');
    expect(contact.params).toEqual([
      { name: 'newparam', value: 'newvalue' },
      { name: 'secondparam', value: null },
      { name: 'q', value: '0.33' },
    ]);
  });

  it('intmeth (3.1.1.2): unusual method and token characters everywhere', () => {
    const m = request('rfc4475/intmeth');
    const method = "!interesting-Method0123456789_*+`.%indeed'~";
    expect(m.method).toBe(method);
    expect(m.cseq).toEqual({ seq: 139122385, method });
    const ruri = sip(m.requestUri);
    expect(ruri.user).toBe("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
    expect(ruri.password).toBe("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
    expect(ruri.host).toBe('example.com');
    expect(m.topVia.branch).toBe("z9hG4bK-.!%66*_+`'~");
    expect(m.to.displayText).toBe('BEL:\x07 NUL:\x00 DEL:\x7f');
    expect(m.from.displayName).toBe("token1~` token2'+_ token3*%!.-");
    expect(m.from.tag).toBe("_token~1'+`*%!-.");
    const fromParam = m.from.params.find((p) => p.name === "fromParam''~+*_!.-%")!;
    expect(Buffer.from(fromParam.value!.slice(1, -1), 'latin1').toString('utf8')).toBe('работающий');
    expect(m.callId).toBe('intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{');
    expect(m.maxForwards).toBe(255);
    const ext = m.header("extensionHeader-!.%*+_`'~")!;
    expect(Buffer.from(ext, 'latin1').toString('utf8')).toBe('\ufeff大停電');
  });

  it('esc01 (3.1.1.3): escapes in Request-URI, To, From and Contact', () => {
    const m = request('rfc4475/esc01');
    const ruri = sip(m.requestUri);
    expect(unescape(ruri.user!)).toBe('sips:user@example.com');
    expect(ruri.host).toBe('example.net');
    expect(unescape(sip(m.to.uri).user!)).toBe('user');
    expect(unescape(sip(m.from.uri).user!)).toBe('I have spaces');
    expect(m.callId).toBe('esc01.239409asdfakjkn23onasd0-3234');
    const contact = sip(m.contacts[0]!.uri);
    expect(unescape(contact.user!)).toBe('caller');
    expect(uriParam(contact, 'lr')).toBeNull();
    expect(uriParam(contact, 'name')).toBe('value%41');
  });

  it('escnull (3.1.1.4): an escaped NUL in user parts', () => {
    const m = request('rfc4475/escnull');
    expect(m.method).toBe('REGISTER');
    expect(unescape(sip(m.to.uri).user!)).toBe('null-\0-null');
    expect(m.contacts.map((c) => unescape(sip(c.uri).user!))).toEqual(['\0', '\0\0']);
    expect(m.contentLength).toBe(0);
  });

  it('esc02 (3.1.1.5): escaped method-like text is an unknown method, not REGISTER', () => {
    const m = request('rfc4475/esc02');
    expect(m.method).toBe('RE%47IST%45R');
    expect(m.cseq.method).toBe('RE%47IST%45R');
    expect(m.to.displayName).toBe('"%Z%45"');
    expect(m.topVia.branch).toBe('z9hG4bK209%fzsnel234');
    // "C%6Fntact" is another header, not Contact.
    expect(m.contacts.map((c) => sip(c.uri).host)).toEqual(['host1.example.com', 'host3.example.com']);
    expect(m.header('C%6Fntact')).toBe('<sip:alias2@host2.example.com>');
  });

  it('lwsdisp (3.1.1.6): a display name without LWS before "<"', () => {
    const m = request('rfc4475/lwsdisp');
    expect(m.from.displayName).toBe('caller');
    expect(m.from.uriText).toBe('sip:caller@example.com');
    expect(m.from.tag).toBe('323');
  });

  it('longreq (3.1.1.7): long values and many headers', () => {
    const m = request('rfc4475/longreq');
    expect(m.via).toHaveLength(34);
    expect(m.via[0]!.host).toBe('sip33.example.com');
    const last = m.via[33]!;
    expect(last.host).toBe('host.example.com');
    expect(last.received).toBe('192.0.2.5');
    expect(last.branch!.length).toBeGreaterThan(100);
    const to = sip(m.to.uri);
    expect(to.port).toBe(6000);
    expect(to.params).toHaveLength(3);
    expect(to.params[0]!.name).toBe('unknownparam1');
    expect(to.params[2]).toMatchObject({ value: null });
    expect(to.params[2]!.name.startsWith('verylong')).toBe(true);
    expect(m.to.displayText!.length).toBeGreaterThan(100);
    expect(m.from.tag!.startsWith('12982982982982982982')).toBe(true);
    expect(m.contentLength).toBe(150);
    expect(m.body.length).toBe(150);
  });

  it('dblreq (3.1.1.8): octets after Content-Length are not part of the message', () => {
    const buf = corpus('rfc4475/dblreq');
    const m = request('rfc4475/dblreq');
    expect(m.method).toBe('REGISTER');
    expect(m.body.length).toBe(0);
    expect(m.source.length).toBeLessThan(buf.length);
    expect(m.source.toString('latin1').endsWith('Content-Length: 0\r\n\r\n')).toBe(true);
  });

  it('semiuri (3.1.1.9): a ";" inside the user part belongs to the user', () => {
    const m = request('rfc4475/semiuri');
    const ruri = sip(m.requestUri);
    expect(unescape(ruri.user!)).toBe('user;par=u@example.net');
    expect(ruri.host).toBe('example.com');
    expect(ruri.params).toEqual([]);
    expect(m.header('Accept')).toContain('message/sipfrag');
  });

  it('transports (3.1.1.10): unknown transports in Via', () => {
    const m = request('rfc4475/transports');
    expect(m.via.map((v) => v.transport)).toEqual(['UDP', 'SCTP', 'TLS', 'UNKNOWN', 'TCP']);
    expect(m.callId).toBe('transports.kijh4akdnaqjkwendsasfdj');
  });

  it('mpart01 (3.1.1.11): a multipart body is carried byte for byte', () => {
    const m = request('rfc4475/mpart01');
    expect(m.method).toBe('MESSAGE');
    expect(m.contentType?.type).toBe('multipart');
    expect(m.contentType?.params).toEqual([{ name: 'boundary', value: '7a9cbec02ceef655' }]);
    expect(m.body.length).toBe(553);
    expect(m.body.subarray(0, 18).toString()).toBe('--7a9cbec02ceef655');
  });

  it('unreason (3.1.1.12): a UTF-8 reason phrase', () => {
    const m = response('rfc4475/unreason');
    expect(m.status).toBe(200);
    expect(m.reasonText).toBe('= 2**3 * 5**2 но сто девяносто девять - простое');
    expect(m.body.length).toBe(154);
  });

  it('noreason (3.1.1.13): an empty reason phrase', () => {
    const m = response('rfc4475/noreason');
    expect(m.status).toBe(100);
    expect(m.reason).toBe('');
  });
});

describe.skipIf(!HAS_CORPUS)('RFC 4475 §3.1.2: invalid messages give the typed error', () => {
  const cases: [id: string, kind: SipParseError['kind'], status: number, header?: string][] = [
    ['rfc4475/badinv01', 'header', 400, 'via'],
    ['rfc4475/clerr', 'content-length', 400, 'content-length'],
    ['rfc4475/ncl', 'content-length', 400, 'content-length'],
    ['rfc4475/scalar02', 'header', 400, 'cseq'],
    ['rfc4475/scalarlg', 'header', 400, 'cseq'],
    ['rfc4475/quotbal', 'header', 400, 'to'],
    ['rfc4475/ltgtruri', 'start-line', 400],
    ['rfc4475/lwsruri', 'start-line', 400],
    ['rfc4475/lwsstart', 'start-line', 400],
    ['rfc4475/trws', 'start-line', 400],
    ['rfc4475/escruri', 'start-line', 400],
    ['rfc4475/baddate', 'header', 400, 'date'],
    ['rfc4475/regbadct', 'header', 400, 'contact'],
    ['rfc4475/badaspec', 'header', 400, 'to'],
    ['rfc4475/baddn', 'header', 400, 'from'],
    ['rfc4475/badvers', 'version', 505],
    ['rfc4475/mismatch01', 'cseq-mismatch', 400, 'cseq'],
    ['rfc4475/mismatch02', 'cseq-mismatch', 400, 'cseq'],
    ['rfc4475/bigcode', 'start-line', 400],
  ];
  it.each(cases)('%s → %s %i', (id, kind, status, header) => {
    const e = error(id);
    expect(e.kind).toBe(kind);
    expect(e.status).toBe(status);
    if (header !== undefined) expect(e.header).toBe(header);
    expect(e.reason).toMatch(/^[\x20-\x7e]+$/);
    expect(e.reason).not.toBe('Unparseable message');
  });

  it('names the problem in the reason phrase', () => {
    expect(error('rfc4475/mismatch01').reason).toBe('CSeq method does not match the request method');
    expect(error('rfc4475/clerr').reason).toBe('Content-Length larger than the message');
    expect(error('rfc4475/badvers').reason).toBe('Version Not Supported');
    expect(error('rfc4475/scalar02').reason).toMatch(/^Malformed CSeq header/);
  });

  it('keeps what was parsed of a bad request, so a 400 can be built', () => {
    const e = error('rfc4475/mismatch01');
    expect(e.partial?.callId).toBe('mismatch01.dj0234sxdfl3');
  });
});

describe.skipIf(!HAS_CORPUS)('RFC 4475 §3.2-3.4: transaction and application cases parse', () => {
  it('badbranch (3.2.1): a branch that is only the magic cookie is kept as is', () => {
    expect(request('rfc4475/badbranch').topVia.branch).toBe(BRANCH_COOKIE);
  });

  it('insuf (3.3.1): missing mandatory headers are all named', () => {
    const e = error('rfc4475/insuf');
    expect(e.kind).toBe('missing-header');
    expect(e.reason).toBe('Missing To, From, Call-ID headers');
  });

  it('unkscm, novelsc (3.3.2-3): unknown Request-URI schemes parse (the application answers 416)', () => {
    expect(request('rfc4475/unkscm').requestUri).toMatchObject({
      kind: 'other',
      scheme: 'nobodyknowsthisscheme',
    });
    expect(request('rfc4475/novelsc').requestUri).toMatchObject({ kind: 'other', scheme: 'soap.beep' });
  });

  it('unksm2 (3.3.4): unknown schemes in To, From and Contact are accepted', () => {
    const m = request('rfc4475/unksm2');
    expect(m.to.uri).toMatchObject({ kind: 'other', scheme: 'isbn' });
    expect(m.from.uri).toMatchObject({ kind: 'other', scheme: 'http', raw: 'http://www.example.com' });
    expect(m.contacts[0]!.uri).toMatchObject({ kind: 'other', scheme: 'name' });
  });

  it('bext01 (3.3.5): Require and Proxy-Require option tags are read', () => {
    const m = request('rfc4475/bext01');
    expect(m.tokens('require')).toEqual(['nothingSupportsThis', 'nothingSupportsThisEither']);
    expect(m.tokens('proxy-require')).toEqual(['noProxiesSupportThis', 'norDoAnyProxiesSupportThis']);
  });

  it('invut (3.3.6) and sdp01 (3.3.15): Content-Type and Accept are read', () => {
    expect(request('rfc4475/invut').contentType).toMatchObject({
      type: 'application',
      subtype: 'unknownformat',
    });
    expect(request('rfc4475/sdp01').header('Accept')).toBe('text/nobodyKnowsThis');
  });

  it('regaut01 (3.3.7): an unknown Authorization scheme is kept raw', () => {
    expect(request('rfc4475/regaut01').header('authorization')).toBe('NoOneKnowsThisScheme opaque-data=here');
  });

  it('multi01, mcl01 (3.3.8-9): repeated single-value headers are refused', () => {
    expect(error('rfc4475/multi01')).toMatchObject({ kind: 'duplicate-header', status: 400 });
    expect(error('rfc4475/mcl01')).toMatchObject({ kind: 'duplicate-header', header: 'content-length' });
  });

  it('bcast (3.3.10): the broadcast Via is read exactly (the proxy drops such a response)', () => {
    expect(response('rfc4475/bcast').via[1]!.host).toBe('255.255.255.255');
  });

  it('zeromf (3.3.11): Max-Forwards 0 is read as 0', () => {
    expect(request('rfc4475/zeromf').maxForwards).toBe(0);
  });

  it('cparam01/02 (3.3.12-13): parameters outside <> are Contact params, inside they are URI params', () => {
    const c1 = request('rfc4475/cparam01').contacts[0]!;
    expect(c1.uriText).toBe('sip:+19725552222@gw1.example.net');
    expect(c1.params).toEqual([{ name: 'unknownparam', value: null }]);
    const c2 = request('rfc4475/cparam02').contacts[0]!;
    expect(sip(c2.uri).params).toEqual([{ name: 'unknownparam', value: null }]);
    expect(c2.params).toEqual([]);
  });

  it('regescrt (3.3.14): an escaped header in a bracketed Contact URI is kept', () => {
    expect(sip(request('rfc4475/regescrt').contacts[0]!.uri).headers).toBe('Route=%3Csip:sip.example.com%3E');
  });

  it('inv2543 (3.4.1): RFC 2543 syntax is accepted', () => {
    const m = request('rfc4475/inv2543');
    expect(m.maxForwards).toBeUndefined();
    expect(m.from.tag).toBeUndefined();
    expect(m.topVia.branch).toBeUndefined();
    // Outside <>, ";user=phone" is a To parameter, not a URI parameter (§20.10).
    expect(m.to.params).toEqual([{ name: 'user', value: 'phone' }]);
    expect(uriParam(sip(m.from.uri), 'user')).toBe('phone');
    expect(m.contentLength).toBeUndefined();
    expect(m.body.toString().startsWith('v=0')).toBe(true);
  });
});

describe.skipIf(!HAS_CORPUS)('RFC 5118: IPv6 addresses and ports are read exactly', () => {
  it('ipv6-good (4.1)', () => {
    const m = request('rfc5118/ipv6-good');
    expect(sip(m.requestUri).host).toBe('[2001:db8::10]');
    expect(m.topVia.host).toBe('[2001:db8::9:1]');
    expect(sip(m.contacts[0]!.uri).host).toBe('[2001:db8::1]');
  });

  it('ipv6-bad (4.2) is refused', () => {
    expect(error('rfc5118/ipv6-bad')).toMatchObject({ kind: 'start-line', status: 400 });
  });

  it('port-ambiguous / port-unambiguous (4.3, 4.4)', () => {
    const a = sip(request('rfc5118/port-ambiguous').requestUri);
    expect([a.host, a.port]).toEqual(['[2001:db8::10:5070]', undefined]);
    const b = sip(request('rfc5118/port-unambiguous').requestUri);
    expect([b.host, b.port]).toEqual(['[2001:db8::10]', 5070]);
  });

  it('ipv4-mapped-ipv6 (4.8)', () => {
    const m = request('rfc5118/ipv4-mapped-ipv6');
    expect([m.topVia.host, m.topVia.port]).toEqual(['[::ffff:192.0.2.10]', 19823]);
    expect(sip(m.contacts[0]!.uri).host).toBe('[::ffff:192.0.2.2]');
  });

  it('via-received-param with and without brackets (4.9)', () => {
    expect(request('rfc5118/via-received-param-with-delim').topVia.received).toBe('[2001:db8::9:255]');
    expect(request('rfc5118/via-received-param-no-delim').topVia.received).toBe('2001:db8::9:255');
  });

  it('ipv6-correct-abnf-2-colons is accepted; ipv6-bug-abnf-3-colons (4.10) is refused, per RFC 4291', () => {
    expect(sip(request('rfc5118/ipv6-correct-abnf-2-colons').requestUri).host).toBe('[2001:db8::192.0.2.1]');
    expect(error('rfc5118/ipv6-bug-abnf-3-colons').kind).toBe('start-line');
  });

  it('mult-ip-in-header (4.7)', () => {
    const m = request('rfc5118/mult-ip-in-header');
    expect(m.via.map((v) => [v.host, v.port, v.received])).toEqual([
      ['[2001:db8::9:1]', 6050, undefined],
      ['192.0.2.1', undefined, undefined],
      ['[2001:db8::9:255]', undefined, '192.0.2.200'],
    ]);
  });
});
