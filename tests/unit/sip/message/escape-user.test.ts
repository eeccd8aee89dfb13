// A dialled number as a SIP URI's user part (RFC 3261 §25.1): what the grammar allows stays, the rest is
// escaped, so that service codes with # reach the proxy as a valid Request-URI.
import { describe, expect, it } from 'vitest';
import { escapeUser, parseUri, unescape, type SipUri } from '../../../../core/sip/message/index';

describe('escapeUser', () => {
  it('keeps digits, * and +, escapes # and spaces; the proxy reads the number back', () => {
    expect(escapeUser('1001')).toBe('1001');
    expect(escapeUser('*21#')).toBe('*21%23');
    expect(escapeUser('+49 30')).toBe('+49%2030');
    const uri = parseUri(`sip:${escapeUser('*21#')}@ims.lab`) as SipUri;
    expect(uri).not.toBeNull();
    expect(unescape(uri.user!)).toBe('*21#');
  });
});
