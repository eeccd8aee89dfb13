// Stream framing by Content-Length (RFC 3261 §18.3) and the RFC 5626 keep-alive.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SipRequest, SipStreamFramer } from '../../../../core/sip/message/index';
import { refusalFor } from '../../../../core/sip/transport/refusal';

const invite = readFileSync(new URL('../../../bench/messages/invite.sip', import.meta.url));
const ok200 = readFileSync(new URL('../../../bench/messages/register-200.sip', import.meta.url));

describe('SipStreamFramer', () => {
  it('cuts back-to-back messages delivered one byte at a time', () => {
    const framer = new SipStreamFramer();
    const stream = Buffer.concat([invite, ok200, invite]);
    const kinds: string[] = [];
    for (let i = 0; i < stream.length; i++)
      for (const item of framer.push(stream.subarray(i, i + 1))) kinds.push(item.kind);
    expect(kinds).toEqual(['message', 'message', 'message']);
    expect(framer.buffered).toBe(0);
  });

  it('delivers complete messages from one large chunk, with the body intact', () => {
    const items = new SipStreamFramer().push(Buffer.concat([invite, invite]));
    expect(items).toHaveLength(2);
    const first = items[0]!;
    expect(first.kind === 'message' && (first.message as SipRequest).body.toString()).toContain('a=sendrecv');
  });

  it('answers a CRLFCRLF ping and skips a lone CRLF pong (RFC 5626 §3.5.1)', () => {
    const framer = new SipStreamFramer();
    expect(framer.push(Buffer.from('\r\n\r\n')).map((i) => i.kind)).toEqual(['ping']);
    expect(framer.push(Buffer.concat([Buffer.from('\r\n'), invite])).map((i) => i.kind)).toEqual(['message']);
  });

  it('reports a message that frames but does not parse, and keeps going', () => {
    const bad = Buffer.from('INVITE sip:a@b SIP/2.0\r\nContent-Length: 0\r\n\r\n');
    const items = new SipStreamFramer().push(Buffer.concat([bad, ok200]));
    expect(items.map((i) => i.kind)).toEqual(['invalid', 'message']);
  });

  it('treats a missing Content-Length, a bad one or an endless header as fatal, once', () => {
    const noLength = new SipStreamFramer().push(
      Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h\r\n\r\n'),
    );
    expect(noLength).toMatchObject([{ kind: 'fatal', error: { kind: 'content-length' } }]);
    const framer = new SipStreamFramer(1000);
    expect(framer.push(Buffer.alloc(1500, 0x41))).toMatchObject([{ kind: 'fatal', error: { status: 513 } }]);
    expect(framer.push(invite)).toEqual([]);
    expect(new SipStreamFramer().push(Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nl: -5\r\n\r\n'))[0]?.kind).toBe(
      'fatal',
    );
  });

  it('still answers a request whose Content-Length is missing or bad with a 400 naming it (§18.3, §8.2.6)', () => {
    const headers = invite.subarray(0, invite.indexOf('\r\n\r\n') + 4).toString('latin1');
    for (const [head, reason] of [
      [headers.replace(/\r\n(?:Content-Length|l)[ \t]*:[^\r]*/i, ''), 'Missing Content-Length header'],
      [
        headers.replace(/(\r\n(?:Content-Length|l)[ \t]*:)[^\r]*/i, '$1 many'),
        'Malformed Content-Length header',
      ],
    ] as const) {
      const [item] = new SipStreamFramer().push(Buffer.from(head, 'latin1'));
      expect(item?.kind).toBe('fatal');
      const answer = item?.kind === 'fatal' ? refusalFor(item.error) : undefined;
      expect(answer?.toString('latin1')).toMatch(new RegExp(`^SIP/2\\.0 400 ${reason}`));
      expect(answer?.toString('latin1')).toContain('\r\nCSeq: ');
    }
  });

  // The mml client or a browser given the SIP port: the request was dropped as malformed SIP and the
  // connection kept, the client waiting out its timeout. RFC 3261 §18.3: framing lost, closed.
  it('reports an HTTP request (a GET without Content-Length, a POST with one) as http, and reads no more', () => {
    const get = new SipStreamFramer();
    expect(get.push(Buffer.from('GET / HTTP/1.1\r\nHost: 127.0.0.1:5060\r\n\r\n'))).toMatchObject([
      { kind: 'http', requestLine: 'GET / HTTP/1.1' },
    ]);
    expect(get.push(invite)).toEqual([]);
    const body = '{"password":"x"}';
    const post = `POST /api/login HTTP/1.1\r\nHost: h\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    expect(new SipStreamFramer().push(Buffer.concat([Buffer.from(post), invite]))).toMatchObject([
      { kind: 'http', requestLine: 'POST /api/login HTTP/1.1' },
    ]);
    // SIP that does not parse stays SIP's to answer: a wrong version, a request line of HTTP's form is not.
    const sip3 = Buffer.from('OPTIONS sip:a@b SIP/3.0\r\nContent-Length: 0\r\n\r\n');
    expect(new SipStreamFramer().push(sip3).map((i) => i.kind)).toEqual(['invalid']);
  });

  it('frames a bare-LF message as the parser reads it on UDP, and the CRLF one after it', () => {
    const crlf = invite.toString('latin1');
    const headEnd = crlf.indexOf('\r\n\r\n') + 4;
    const lf = crlf.slice(0, headEnd).replace(/\r\n/g, '\n') + crlf.slice(headEnd); // the body as it is
    const items = new SipStreamFramer().push(Buffer.from(lf + crlf, 'latin1'));
    expect(items.map((x) => x.kind)).toEqual(['message', 'message']);
    const [a, b] = items.map((x) => (x.kind === 'message' ? x.message : undefined));
    expect(a?.callId).toBe(b?.callId);
    expect(a?.body.length).toBe(b?.body.length);
  });

  it('a second Content-Length is fatal with a 400 (it would frame the next request from a body)', () => {
    const headers = invite.subarray(0, invite.indexOf('\r\n\r\n') + 2).toString('latin1');
    const twice = `${headers.replace(/\r\n(?:Content-Length|l)[ \t]*:[^\r]*/i, '')}Content-Length: 0\r\nContent-Length: 5\r\n\r\nhello`;
    const framer = new SipStreamFramer();
    const items = framer.push(Buffer.concat([Buffer.from(twice, 'latin1'), invite]));
    expect(items).toHaveLength(1);
    const answer = items[0]?.kind === 'fatal' ? refusalFor(items[0].error) : undefined;
    expect(answer?.toString('latin1')).toMatch(/^SIP\/2\.0 400 Duplicate Content-Length header\r\n/);
  });

  it('a message larger than the limit with its header section whole gets 513 before the close', () => {
    const headers = invite.subarray(0, invite.indexOf('\r\n\r\n') + 4).toString('latin1');
    const big = headers.replace(/(\r\n(?:Content-Length|l)[ \t]*:)[^\r]*/i, '$1 70000');
    const [item] = new SipStreamFramer(65_535).push(Buffer.from(big, 'latin1'));
    const answer = item?.kind === 'fatal' ? refusalFor(item.error) : undefined;
    expect(answer?.toString('latin1')).toMatch(/^SIP\/2\.0 513 Message Too Large\r\n/);
  });

  it('a header section alone over the limit still gets its 513, read from its lines within the limit', () => {
    const headers = invite.subarray(0, invite.indexOf('\r\n\r\n') + 2).toString('latin1');
    const big = `${headers}X-Big: ${'a'.repeat(70_000)}\r\n\r\n`;
    const [item] = new SipStreamFramer(65_535).push(Buffer.from(big, 'latin1'));
    expect(item?.kind).toBe('fatal');
    const answer = item?.kind === 'fatal' ? refusalFor(item.error) : undefined;
    expect(answer?.toString('latin1')).toMatch(/^SIP\/2\.0 513 Message Too Large\r\n/);
    expect(answer?.toString('latin1')).toMatch(/\r\nCall-ID: /);
    // Before its blank line has even arrived.
    const [early] = new SipStreamFramer(65_535).push(Buffer.from(big.slice(0, -4), 'latin1'));
    const early513 = early?.kind === 'fatal' ? refusalFor(early.error) : undefined;
    expect(early513?.toString('latin1')).toMatch(/^SIP\/2\.0 513 Message Too Large\r\n[\s\S]*\r\nCall-ID: /);
  });

  it('a refused message is handed on with its bytes (the trace keeps what was received)', () => {
    const bad = Buffer.from(
      'INVITE sip:x@127.0.0.1 SIP/2.0\r\nBad\x01Name: v\r\nContent-Length: 0\r\n\r\n',
      'latin1',
    );
    const [item] = new SipStreamFramer().push(Buffer.concat([bad]));
    expect(item?.kind).toBe('invalid');
    expect(item?.kind === 'invalid' && item.data.equals(bad)).toBe(true);
    const noLength = Buffer.from(
      'OPTIONS sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5070;branch=z9hG4bK1\r\n\r\n',
      'latin1',
    );
    const [fatal] = new SipStreamFramer().push(noLength);
    expect(fatal?.kind === 'fatal' && fatal.data.toString('latin1')).toBe(noLength.toString('latin1'));
  });
});
