// Malformed requests that say where to answer get a 400 naming the fault, on every transport: a
// duplicated single-valued header over TCP/TLS (answered on UDP and WS, dropped on streams), a datagram
// whose last line has no line end, a continuation line straight after the start line. Each was dropped.
import { describe, expect, it } from 'vitest';
import { parseMessage, SipParseError, SipStreamFramer } from '../../../../core/sip/message/index';
import { refusalFor } from '../../../../core/sip/transport/refusal';

const LINES = [
  'OPTIONS sip:1002@127.0.0.1 SIP/2.0',
  'Via: SIP/2.0/TCP 127.0.0.1:5062;branch=z9hG4bK-more',
  'Max-Forwards: 70',
  'From: <sip:a@127.0.0.1>;tag=1',
  'To: <sip:1002@127.0.0.1>',
  'Call-ID: more',
  'CSeq: 1 OPTIONS',
];

const statusLine = (answer: Buffer | undefined): string | undefined =>
  answer?.toString('latin1').split('\r\n')[0];

describe('a 400 for', () => {
  it('a duplicated To, CSeq or Call-ID over a stream, as over UDP', () => {
    for (const dup of ['To: <sip:other@127.0.0.1>', 'CSeq: 2 OPTIONS', 'Call-ID: again']) {
      const text = [...LINES, dup, 'Content-Length: 0', '', ''].join('\r\n');
      const [item] = new SipStreamFramer().push(Buffer.from(text, 'latin1'));
      expect(item?.kind, dup).toBe('invalid');
      const error = item?.kind === 'invalid' ? item.error : undefined;
      expect(statusLine(refusalFor(error!)), dup).toMatch(
        /^SIP\/2\.0 400 Duplicate (To|CSeq|Call-ID) header$/,
      );
    }
  });

  it('a Content-Length with a CR in it over a stream, as over UDP (escaped in the reason)', () => {
    const text = [...LINES, 'Content-Length: 0\rX-Injected: yes', '', ''].join('\r\n');
    const [item] = new SipStreamFramer().push(Buffer.from(text, 'latin1'));
    expect(item?.kind).toBe('invalid');
    const error = item?.kind === 'invalid' ? item.error : undefined;
    expect(statusLine(refusalFor(error!))).toBe(
      'SIP/2.0 400 Malformed Content-Length header: "0\\x0DX-Injected: yes"',
    );
  });

  it('a datagram whose last line has no line end', () => {
    const parsed = parseMessage(Buffer.from([...LINES, 'Content-Length: 0'].join('\r\n'), 'latin1'));
    expect(parsed).toBeInstanceOf(SipParseError);
    expect(statusLine(refusalFor(parsed as SipParseError))).toBe(
      'SIP/2.0 400 Incomplete message: no blank line after the headers',
    );
  });

  it('a continuation line straight after the start line', () => {
    const [start, ...rest] = LINES;
    const parsed = parseMessage(
      Buffer.from([start, ' continuation', ...rest, 'Content-Length: 0', '', ''].join('\r\n'), 'latin1'),
    );
    expect(parsed).toBeInstanceOf(SipParseError);
    expect(statusLine(refusalFor(parsed as SipParseError))).toBe(
      'SIP/2.0 400 Malformed header: continuation line before any header',
    );
  });
});
