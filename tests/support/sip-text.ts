// Building parsed SIP messages from readable text in tests.
import { SipParseError, SipRequest, SipResponse, parseMessage } from '../../core/sip/message/index';

/** Lines joined with CRLF, a blank line and the body appended; Content-Length added when absent. */
export function sipBytes(lines: string[], body = ''): Buffer {
  const head = lines.some((l) => /^(content-length|l)\s*:/i.test(l))
    ? lines
    : [...lines, `Content-Length: ${Buffer.byteLength(body)}`];
  return Buffer.from(`${head.join('\r\n')}\r\n\r\n${body}`);
}

export function req(lines: string[], body = ''): SipRequest {
  const m = parseMessage(sipBytes(lines, body));
  if (m instanceof SipParseError) throw new Error(`test request does not parse: ${m.toString()}`);
  if (!(m instanceof SipRequest)) throw new Error('not a request');
  return m;
}

export function res(data: Buffer | string[]): SipResponse {
  const m = parseMessage(Array.isArray(data) ? sipBytes(data) : data);
  if (m instanceof SipParseError) throw new Error(`test response does not parse: ${m.toString()}`);
  if (!(m instanceof SipResponse)) throw new Error('not a response');
  return m;
}

/** A request of `method` with the usual headers; `over` replaces or adds headers by name. */
export function request(method: string, over: Record<string, string> = {}, body = ''): SipRequest {
  const headers: Record<string, string> = {
    Via: 'SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bK-client1;rport',
    'Max-Forwards': '70',
    From: '<sip:1001@lab.example>;tag=from1',
    To: '<sip:1002@lab.example>',
    'Call-ID': 'call-1@10.0.0.5',
    CSeq: `1 ${method}`,
    ...over,
  };
  const uri = headers['R-URI'] ?? 'sip:1002@lab.example';
  delete headers['R-URI'];
  return req(
    [
      `${method} ${uri} SIP/2.0`,
      ...Object.entries(headers)
        .filter(([, v]) => v !== '')
        .map(([k, v]) => `${k}: ${v}`),
    ],
    body,
  );
}
