// RFC 3323 §4.1.1.3, 3GPP TS 24.229 number withholding: a phone that hides its number calls with From:
// "Anonymous" <sip:anonymous@anonymous.invalid>. Authenticated as 1001, it is 1001 calling: the call goes
// through (it got 403 "From is not the authenticated user", so no IMS phone with withholding on could
// call). Another user's name in From is still 403. Its CDR row says who placed it: the authenticated
// user in `aor` and extra_info (it said `anonymous` alone, so no one could bill or find it); so do the
// 403's row and log line (they named only the user in From, who never tried).
import { describe, expect, it } from 'vitest';
import { callRecord, messageRecord } from '../../../../core/cdr/from-events';
import type { SipRequest } from '../../../../core/sip/message/index';
import { CALLEE, CALLER, answerLines, inviteLines, register, sentWithCredentials } from './call-steps';
import { loggedStack } from './logged-stack';
import { SERVER, kinds, stack } from './stack';

const AUTH = { authMethods: ['INVITE', 'MESSAGE'] };

async function callAs(
  from: string,
  callId: string,
  extra: string[] = [],
): Promise<{ caller: string[]; callee: string[]; s: ReturnType<typeof stack>; lines: string[] }> {
  const { s, lines: logged } = loggedStack(AUTH);
  await register(s, CALLEE);
  const uri = `sip:1002@${SERVER.address}`;
  const lines = inviteLines(callId).map((l) => (l.startsWith('From:') ? `From: ${from};tag=caller` : l));
  const mid = await sentWithCredentials(s, [...lines, ...extra], callId, uri);
  return { caller: kinds(s.sentTo(CALLER, mid)), callee: kinds(s.sentTo(CALLEE, mid)), s, lines: logged };
}

describe('a caller who withholds its number', () => {
  it('authenticated, with From anonymous@anonymous.invalid: the call goes through', async () => {
    const { caller, callee } = await callAs('"Anonymous" <sip:anonymous@anonymous.invalid>', 'anon-1');
    expect(caller).toEqual(['100']);
    expect(callee).toEqual(['INVITE']);
  });

  it("another user's name in From is still refused; its row and log line name who tried", async () => {
    const { caller, callee, s, lines } = await callAs(`<sip:1003@${SERVER.address}>`, 'anon-2');
    expect(caller).toEqual(['100', '403']);
    expect(callee).toEqual([]);
    const row = callRecord(s.callEvents.find((e) => e.type === 'ended')!.call);
    expect([row.caller_number, row.extra_info]).toEqual(['1003', 'Authenticated as 1001']);
    expect(row.aor).toMatch(/^sip:1001@/);
    expect(lines.at(-1)).toBe(
      'INFO call anon-2: 1003 → 1002 failed (403 Forbidden (From is not the authenticated user), by system), ' +
        'not started: refused on arrival from 10.0.0.5:5062, authenticated as 1001',
    );
  });

  it('refused 480 (the callee not registered): its row names the authenticated user too', async () => {
    const s = stack(AUTH);
    const lines = inviteLines('anon-480').map((l) =>
      l.startsWith('From:') ? 'From: <sip:anonymous@anonymous.invalid>;tag=caller' : l,
    );
    await sentWithCredentials(s, lines, 'anon-480', `sip:1002@${SERVER.address}`);
    const row = callRecord(s.callEvents.find((e) => e.type === 'ended')!.call);
    expect([row.status_code, row.extra_info]).toEqual([480, 'Authenticated as 1001']);
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

  it("a MESSAGE with another user's name in From: its 403 row names who tried", async () => {
    const s = stack(AUTH);
    const lines = inviteLines('spoof-msg', 'MESSAGE').map((l) =>
      l.startsWith('From:') ? `From: <sip:1003@${SERVER.address}>;tag=caller` : l,
    );
    await sentWithCredentials(s, lines, 'spoof-msg', `sip:1002@${SERVER.address}`, 'MESSAGE');
    const row = messageRecord(s.messages.at(-1)!);
    expect([row.status_code, row.caller_number, row.extra_info]).toEqual([
      403,
      '1003',
      'Authenticated as 1001',
    ]);
  });
});
