// RFC 3323 §4.1.1.3, 3GPP TS 24.229 number withholding: a phone that hides its number calls with From:
// "Anonymous" <sip:anonymous@anonymous.invalid>. Authenticated as 1001, it is 1001 calling: the call goes
// through (it got 403 "From is not the authenticated user", so no IMS phone with withholding on could
// call). Another user's name in From is still 403. Its CDR row says who placed it: the authenticated
// user in `aor` and extra_info (it said `anonymous` alone, so no one could bill or find it).
import { describe, expect, it } from 'vitest';
import { callRecord, messageRecord } from '../../../../core/cdr/from-events';
import type { SipRequest } from '../../../../core/sip/message/index';
import { CALLEE, CALLER, answerLines, inviteLines, register, sentWithCredentials } from './call-steps';
import { SERVER, kinds, stack } from './stack';

const AUTH = { authMethods: ['INVITE', 'MESSAGE'] };

async function callAs(
  from: string,
  callId: string,
  extra: string[] = [],
): Promise<{ caller: string[]; callee: string[]; s: ReturnType<typeof stack> }> {
  const s = stack(AUTH);
  await register(s, CALLEE);
  const uri = `sip:1002@${SERVER.address}`;
  const lines = inviteLines(callId).map((l) => (l.startsWith('From:') ? `From: ${from};tag=caller` : l));
  const mid = await sentWithCredentials(s, [...lines, ...extra], callId, uri);
  return { caller: kinds(s.sentTo(CALLER, mid)), callee: kinds(s.sentTo(CALLEE, mid)), s };
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

  it('its CDR row names the authenticated user (aor, extra_info) and the P-Asserted-Identity it sent', async () => {
    const pai = '<sip:+8613800001001@ims.lab>';
    const { s } = await callAs('"Anonymous" <sip:anonymous@anonymous.invalid>', 'anon-3', [
      'Privacy: id',
      `P-Asserted-Identity: ${pai}`,
    ]);
    const started = s.callEvents.find((e) => e.type === 'started')!.call;
    const row = callRecord(started);
    expect(row.caller_number).toBe('anonymous');
    expect(row.aor).toMatch(/^sip:1001@/);
    expect(row.extra_info).toBe(`Authenticated as 1001; P-Asserted-Identity ${pai} (as sent, not verified)`);
  });

  it('a MESSAGE it sends withheld: its row names the authenticated user too', async () => {
    const s = stack(AUTH);
    await register(s, CALLEE);
    const uri = `sip:1002@${SERVER.address}`;
    const lines = inviteLines('anon-msg', 'MESSAGE').map((l) =>
      l.startsWith('From:') ? 'From: <sip:anonymous@anonymous.invalid>;tag=caller' : l,
    );
    await sentWithCredentials(s, lines, 'anon-msg', uri, 'MESSAGE');
    const forwarded = s.sentTo(CALLEE).find((m) => kinds([m])[0] === 'MESSAGE') as SipRequest;
    await s.receive(answerLines(forwarded, '200 OK'), CALLEE);
    const row = messageRecord(s.messages.at(-1)!);
    expect([row.caller_number, row.extra_info]).toEqual(['anonymous', 'Authenticated as 1001']);
    expect(row.aor).toMatch(/^sip:1001@/);
  });
});
