// RFC 3323 §4.1.1.3, 3GPP TS 24.229 number withholding: a phone that hides its number calls with From:
// "Anonymous" <sip:anonymous@anonymous.invalid>. Authenticated as 1001, it is 1001 calling: the call goes
// through (it got 403 "From is not the authenticated user", so no IMS phone with withholding on could
// call). Another user's name in From is still 403.
import { describe, expect, it } from 'vitest';
import { CALLEE, CALLER, inviteLines, register, sentWithCredentials } from './call-steps';
import { SERVER, kinds, stack } from './stack';

const AUTH = { authMethods: ['INVITE', 'MESSAGE'] };

async function callAs(from: string, callId: string): Promise<{ caller: string[]; callee: string[] }> {
  const s = stack(AUTH);
  await register(s, CALLEE);
  const uri = `sip:1002@${SERVER.address}`;
  const lines = inviteLines(callId).map((l) => (l.startsWith('From:') ? `From: ${from};tag=caller` : l));
  const mid = await sentWithCredentials(s, lines, callId, uri);
  return { caller: kinds(s.sentTo(CALLER, mid)), callee: kinds(s.sentTo(CALLEE, mid)) };
}

describe('a caller who withholds its number', () => {
  it('authenticated, with From anonymous@anonymous.invalid: the call goes through', async () => {
    const { caller, callee } = await callAs('"Anonymous" <sip:anonymous@anonymous.invalid>', 'anon-1');
    expect(caller).toEqual(['100']);
    expect(callee).toEqual(['INVITE']);
  });

  it("another user's name in From is still refused", async () => {
    const { caller, callee } = await callAs(`<sip:1003@${SERVER.address}>`, 'anon-2');
    expect(caller).toEqual(['100', '403']);
    expect(callee).toEqual([]);
  });
});
