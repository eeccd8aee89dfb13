// A dialled number's escapes (RFC 3261 §19.1.4: an escaped character is the character itself): the call
// record's caller and callee numbers are the numbers as typed, `*21#` not `*21%23`, as the dialer shows
// them and DSP CDR CALLEE= finds them. An escape that would decode to a control character stays written.
import { describe, expect, it } from 'vitest';
import { typedUser } from '../../../../core/sip/message/index';
import { CALLEE, CALLER, forwardedTo, inviteLines, register } from './call-steps';
import { SERVER, stack } from './stack';

describe('escaped numbers in call records', () => {
  it('are the numbers as typed', async () => {
    const s = stack();
    await register(s, CALLEE);
    // 1002 with its last digit escaped, in the Request-URI and To, as a phone may write it.
    await s.receive(
      inviteLines('esc-1').map((l) =>
        l.replaceAll(`sip:1002@${SERVER.address}`, `sip:100%32@${SERVER.address}`),
      ),
      CALLER,
    );
    expect(forwardedTo(s, CALLEE)).toBeDefined();
    expect(s.calls.list()[0]?.callee.number).toBe('1002');
  });

  it('decode as UTF-8, and stay escaped where a control character or broken UTF-8 would come out', () => {
    expect(typedUser('*21%23')).toBe('*21#');
    expect(typedUser('%E5%BC%A0')).toBe('张');
    expect(typedUser('10%0D%0A01')).toBe('10%0D%0A01');
    expect(typedUser('%E5%BC')).toBe('%E5%BC');
    expect(typedUser('1001')).toBe('1001');
  });
});
