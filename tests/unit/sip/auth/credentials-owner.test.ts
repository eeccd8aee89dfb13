// Whose credentials a request brought, as the auth log names them: the user name, "?" when there is
// none, and an empty one said to be empty (it read "auth: failed for  (OPTIONS)").
import { describe, expect, it } from 'vitest';
import { whoseCredentials } from '../../../../core/sip/auth/auth-reply';
import { parseMessage, type SipRequest } from '../../../../core/sip/message/index';

function options(authorization?: string): SipRequest {
  const lines = [
    'OPTIONS sip:1002@192.0.2.10 SIP/2.0',
    'Via: SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bK-who',
    'Max-Forwards: 70',
    'From: <sip:1001@192.0.2.10>;tag=a',
    'To: <sip:1002@192.0.2.10>',
    'Call-ID: who@192.0.2.7',
    'CSeq: 1 OPTIONS',
    ...(authorization === undefined ? [] : [`Proxy-Authorization: ${authorization}`]),
    'Content-Length: 0',
  ];
  return parseMessage(Buffer.from(`${lines.join('\r\n')}\r\n\r\n`)) as SipRequest;
}

describe('whoseCredentials', () => {
  it('names the user, "?" without one, and an empty one as such', () => {
    const digest = (user: string) =>
      `Digest username="${user}", realm="lab", nonce="n", uri="sip:x", response="r"`;
    expect(whoseCredentials(options(digest('1001')), 'proxy-authorization')).toBe('1001 (OPTIONS)');
    expect(whoseCredentials(options(digest('')), 'proxy-authorization')).toBe('(empty user name) (OPTIONS)');
    expect(whoseCredentials(options(), 'proxy-authorization')).toBe('? (OPTIONS)');
    // 8,000 characters made an 8 KB log line per attempt: cut, with the length said.
    expect(whoseCredentials(options(digest('Z'.repeat(8000))), 'proxy-authorization')).toBe(
      `${'Z'.repeat(64)}… (8000 characters) (OPTIONS)`,
    );
  });
});
