// A MESSAGE IMS Lab refuses at authentication (RFC 3261 §22.3) is recorded as the INVITE is: a suspended
// account's 403 and credentials that failed (407 again) are a FAILED MESSAGE row with that answer
// (README: "A MESSAGE IMS Lab refuses itself is a FAILED MESSAGE row"), where the INVITE got a FAILED
// CALL row and the MESSAGE none. The first 407 of a request without credentials, the normal way in, is
// no row for either.
import { describe, expect, it } from 'vitest';
import type { SipResponse } from '../../../../core/sip/message/index';
import { CALLEE, CALLER, inviteLines, proxyCredentials, register } from './call-steps';
import { SERVER, kinds, stack } from './stack';

const AUTH = { authMethods: ['INVITE', 'MESSAGE', 'OPTIONS'] };
const URI = `sip:1002@${SERVER.address}`;

type Stack = ReturnType<typeof stack>;

/** 1001's request with no credentials (its 407), then again with them; what the second got. */
async function withCredentials(s: Stack, callId: string, method: string): Promise<SipResponse> {
  const start = s.sent.length;
  await s.receive(inviteLines(callId, method), CALLER, method === 'MESSAGE' ? 'hello' : '');
  const challenge = s.sentTo(CALLER, start).find((m) => kinds([m])[0] === '407') as SipResponse;
  const again = inviteLines(callId, method).map((l) =>
    l.replace(`branch=z9hG4bK-${callId}`, `branch=z9hG4bK-${callId}-2`).replace(`CSeq: 1 `, 'CSeq: 2 '),
  );
  const mid = s.sent.length;
  await s.receive(
    [...again, `Proxy-Authorization: ${proxyCredentials(challenge, method, URI)}`],
    CALLER,
    method === 'MESSAGE' ? 'hello' : '',
  );
  return s.sentTo(CALLER, mid).findLast((m) => !kinds([m]).includes('100')) as SipResponse;
}

/** The status of each call that ended (a FAILED CALL row each). */
function failedCalls(s: Stack): number[] {
  return s.callEvents.filter((e) => e.type === 'ended').map((e) => e.call.statusCode);
}

describe('a MESSAGE refused at authentication', () => {
  it("a suspended account's 403: a FAILED MESSAGE row, as the INVITE's FAILED CALL row", async () => {
    const s = stack(AUTH);
    await register(s, CALLEE);
    s.statuses['1001'] = 'SUSPENDED';
    expect((await withCredentials(s, 'susp-inv', 'INVITE')).status).toBe(403);
    expect((await withCredentials(s, 'susp-msg', 'MESSAGE')).status).toBe(403);
    expect(failedCalls(s)).toEqual([403]);
    expect(s.messages.map((m) => [m.callId, m.cseq, m.statusCode, m.statusText, m.refused])).toEqual([
      ['susp-msg', '2 MESSAGE', 403, 'Forbidden (Account SUSPENDED)', true],
    ]);
    expect(s.messages[0]!.body).toBe('hello');
    expect(s.sentTo(CALLEE).filter((m) => kinds([m])[0] === 'MESSAGE')).toEqual([]);
  });

  it('credentials that failed (407 again): a FAILED MESSAGE row with the 407, as the INVITE', async () => {
    const s = stack(AUTH);
    await register(s, CALLEE);
    s.passwords['1001'] = 'changed'; // the phone still signs with pw1
    expect((await withCredentials(s, 'bad-inv', 'INVITE')).status).toBe(407);
    expect((await withCredentials(s, 'bad-msg', 'MESSAGE')).status).toBe(407);
    expect(failedCalls(s)).toEqual([407]);
    expect(s.messages.map((m) => [m.callId, m.statusCode, m.statusText])).toEqual([
      ['bad-msg', 407, 'Proxy Authentication Required'],
    ]);
  });

  it('the first 407 of one without credentials is no row, for a MESSAGE as for an INVITE', async () => {
    const s = stack(AUTH);
    await register(s, CALLEE);
    const start = s.sent.length;
    await s.receive(inviteLines('plain-inv'), CALLER);
    await s.receive(inviteLines('plain-msg', 'MESSAGE'), CALLER, 'hello');
    expect(kinds(s.sentTo(CALLER, start))).toEqual(['407', '407']);
    expect(s.callEvents).toEqual([]);
    expect(s.messages).toEqual([]);
  });

  it("an OPTIONS to a user (PROXY.AUTH_METHODS lists it): a suspended account's 403 is its OPTIONS row too", async () => {
    const s = stack(AUTH);
    await register(s, CALLEE);
    s.statuses['1001'] = 'SUSPENDED';
    expect((await withCredentials(s, 'susp-opt', 'OPTIONS')).status).toBe(403);
    expect(s.optionsEvents.map((e) => [e.callId, e.statusCode, e.statusText])).toEqual([
      ['susp-opt', 403, 'Forbidden (Account SUSPENDED)'],
    ]);
    expect(s.sentTo(CALLEE).filter((m) => kinds([m])[0] === 'OPTIONS')).toEqual([]);
  });
});
