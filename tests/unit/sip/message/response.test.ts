// Responses built from requests (RFC 3261 §8.2.6), including from a malformed request's partial parse.
import { describe, expect, it } from 'vitest';
import {
  SipParseError,
  SipResponse,
  buildResponse,
  parseMessage,
  reasonPhrase,
  type SipRequest,
} from '../../../../core/sip/message/index';

const req = Buffer.from(
  [
    'INVITE sip:bob@example.com SIP/2.0',
    'v: SIP/2.0/UDP 10.0.0.9:5062;branch=z9hG4bK-a;rport=5062;received=10.0.0.9',
    'Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-b',
    'f: "Al" <sip:alice@example.com>;tag=ft',
    'To: <sip:bob@example.com>',
    'i: call-1',
    'CSeq: 7 INVITE',
    'Timestamp: 54',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n'),
);

function parse(buf: Buffer): SipResponse {
  const m = parseMessage(buf);
  if (m instanceof SipParseError) throw new Error(m.toString());
  return m as SipResponse;
}

describe('buildResponse', () => {
  it('copies Via, From, Call-ID and CSeq, adds a To tag, and sets Content-Length', () => {
    const r = parse(
      buildResponse(parseMessage(req) as SipRequest, 486, { toTag: 'tt', headers: [['Server', 'IMS Lab']] }),
    );
    expect(r.status).toBe(486);
    expect(r.reason).toBe('Busy Here');
    expect(r.via.map((v) => v.branch)).toEqual(['z9hG4bK-a', 'z9hG4bK-b']);
    expect(r.from.tag).toBe('ft');
    expect(r.to.tag).toBe('tt');
    expect(r.callId).toBe('call-1');
    expect(r.cseq).toEqual({ seq: 7, method: 'INVITE' });
    expect(r.header('Server')).toBe('IMS Lab');
    expect(r.contentLength).toBe(0);
    expect(r.has('Timestamp')).toBe(false);
  });

  it('adds no To tag to 100 Trying and echoes Timestamp there (§8.2.6.1)', () => {
    const r = parse(buildResponse(parseMessage(req) as SipRequest, 100, { toTag: 'tt' }));
    expect(r.to.tag).toBeUndefined();
    expect(r.header('Timestamp')).toBe('54');
  });

  it('keeps an existing To tag and carries a body', () => {
    const inDialog = Buffer.from(
      req.toString('latin1').replace('To: <sip:bob@example.com>', 'To: <sip:bob@example.com>;tag=old'),
      'latin1',
    );
    const r = parse(
      buildResponse(parseMessage(inDialog) as SipRequest, 200, {
        toTag: 'new',
        body: Buffer.from('v=0\r\n'),
        contentType: 'application/sdp',
      }),
    );
    expect(r.to.tag).toBe('old');
    expect(r.body.toString()).toBe('v=0\r\n');
    expect(r.contentType?.subtype).toBe('sdp');
  });

  it('answers a malformed request 400 with the parse reason, from its partial parse', () => {
    const bad = Buffer.from(req.toString('latin1').replace('CSeq: 7 INVITE', 'CSeq: 7 BYE'), 'latin1');
    const e = parseMessage(bad) as SipParseError;
    expect(e).toBeInstanceOf(SipParseError);
    const r = parse(buildResponse(e.partial!, e.status, { reason: e.reason, toTag: 'x' }));
    expect(r.status).toBe(400);
    expect(r.reason).toBe('CSeq method does not match the request method');
    expect(r.callId).toBe('call-1');
  });

  it('knows the standard reason phrases', () => {
    expect(reasonPhrase(183)).toBe('Session Progress');
    expect(reasonPhrase(423)).toBe('Interval Too Brief');
    expect(reasonPhrase(499)).toBe('Client Error');
  });
});
