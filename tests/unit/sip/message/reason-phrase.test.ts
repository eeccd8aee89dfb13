// A 400's reason phrase quotes what was wrong, never the peer's raw bytes: RFC 3261 §25.1 has no CR or
// LF in a Reason-Phrase (a bare CR sent back is a line end to some parsers: a header injected into our
// answer), and a byte beyond ASCII went back re-encoded as UTF-8. Both are written \xNN.
import { describe, expect, it } from 'vitest';
import { parseMessage, SipParseError } from '../../../../core/sip/message/index';
import { refusalFor } from '../../../../core/sip/transport/refusal';

const request = (contentLength: string): Buffer =>
  Buffer.from(
    'OPTIONS sip:1002@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK-inj\r\n' +
      'Max-Forwards: 70\r\nFrom: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:1002@127.0.0.1>\r\nCall-ID: inj\r\n' +
      `CSeq: 1 OPTIONS\r\nContent-Length: ${contentLength}\r\n\r\n`,
    'latin1',
  );

describe("a 400's reason phrase", () => {
  it('writes a bare CR and a byte beyond ASCII as \\xNN, so nothing is injected into the answer', () => {
    const parsed = parseMessage(request('0\rX-Injected: yes\xe9'));
    expect(parsed).toBeInstanceOf(SipParseError);
    const answer = refusalFor(parsed as SipParseError)!;
    const statusLine = answer.toString('latin1').split('\r\n')[0]!;
    expect(statusLine).toBe('SIP/2.0 400 Malformed Content-Length header: "0\\x0DX-Injected: yes\\xE9"');
    expect(answer.includes(0xe9)).toBe(false);
    expect(answer.toString('latin1')).not.toMatch(/\r(?!\n)/);
  });
});
