// A tel: Request-URI (RFC 3966), as IMS and VoLTE phones dial: the proxy takes the number for a local
// user's (RFC 3261 §19.1.6, user=phone) instead of 416, and the digest answer the phone signed over the
// tel: URI it sent still verifies (the uri parameter is checked against the Request-URI as received).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SipRequest, SipResponse } from '../../../../core/sip/message/index';
import { CALLEE, CALLER, forwardedTo, inviteLines, register } from './call-steps';
import { kinds, REALM, SERVER, stack } from './stack';

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

function telInvite(callId: string, number: string, authorization?: string): string[] {
  const lines = inviteLines(callId).map((l) =>
    l.startsWith('INVITE ')
      ? `INVITE tel:${number} SIP/2.0`
      : l.startsWith('To:')
        ? `To: <tel:${number}>`
        : l,
  );
  return authorization === undefined ? lines : [...lines, `Proxy-Authorization: ${authorization}`];
}

describe('a sip: Request-URI with user=phone (RFC 3261 §19.1.6)', () => {
  it('names the same number as tel: does, visual separators dropped: sip:1-0-0-2 and sip:10.02 reach 1002', async () => {
    for (const [i, number] of ['1-0-0-2', '10.02', '(10)02'].entries()) {
      const s = stack();
      await register(s, CALLEE);
      const lines = inviteLines(`phone-${i}`).map((l) =>
        l.startsWith('INVITE ') ? `INVITE sip:${number}@${SERVER.address};user=phone SIP/2.0` : l,
      );
      await s.receive(lines, CALLER);
      expect([number, forwardedTo(s, CALLEE) !== undefined]).toEqual([number, true]);
    }
  });

  it('is a telephone-subscriber: its parameters are not the number (a TS 24.229 UE dialling a local number)', async () => {
    for (const [i, [user, number]] of [
      ['1002;phone-context=lab.example', '1002'],
      ['10-02;phone-context=+49', '1002'],
      ['+4930123;isub=1', '+4930123'],
      ['%2B49-30-123;ext=12;phone-context=lab.example', '+4930123'],
    ].entries()) {
      const s = stack();
      s.passwords['+4930123'] = 'pw3';
      await register(s, CALLEE, number);
      for (const host of [REALM, SERVER.address]) {
        const lines = inviteLines(`subscriber-${i}-${host}`).map((l) =>
          l.startsWith('INVITE ') ? `INVITE sip:${user}@${host};user=phone SIP/2.0` : l,
        );
        const start = s.sent.length;
        await s.receive(lines, CALLER);
        expect([user, host, kinds(s.sentTo(CALLEE, start))]).toEqual([user, host, ['INVITE']]);
      }
    }
  });

  it('without user=phone a ";" is part of the user name: sip:1002;phone-context=lab.example@... is nobody', async () => {
    const s = stack({ authMethods: [] });
    await register(s, CALLEE);
    const start = s.sent.length;
    const lines = inviteLines('not-phone').map((l) =>
      l.startsWith('INVITE ') ? `INVITE sip:1002;phone-context=lab.example@${REALM} SIP/2.0` : l,
    );
    await s.receive(lines, CALLER);
    expect(s.sentTo(CALLEE, start)).toEqual([]);
  });
});

describe('a tel: Request-URI', () => {
  it('reaches the user of that number once authenticated, visual separators dropped', async () => {
    const s = stack({ authMethods: ['INVITE'] });
    await register(s, CALLEE);
    const start = s.sent.length;
    await s.receive(telInvite('tel-1', '10-02'), CALLER);
    const challenge = s.sentTo(CALLER, start)[0] as SipResponse;
    expect(kinds([challenge])).toEqual(['407']);
    const nonce = /nonce="([^"]+)"/.exec(challenge.headerValues('proxy-authenticate')[0]!)![1]!;
    const uri = 'tel:10-02';
    const response = md5(
      `${md5('1001:lab.example:pw1')}:${nonce}:00000001:c0ffee:auth:${md5(`INVITE:${uri}`)}`,
    );
    const authorization =
      `Digest username="1001", realm="lab.example", nonce="${nonce}", uri="${uri}", response="${response}", ` +
      'algorithm=MD5, qop=auth, nc=00000001, cnonce="c0ffee"';
    await s.receive(telInvite('tel-1', '10-02', authorization), CALLER);
    const forwarded = forwardedTo(s, CALLEE) as SipRequest;
    expect(forwarded).toBeDefined();
    expect(forwarded.header('to')).toBe('<tel:10-02>');
    // Retargeted to the callee's contact; the caller heard no 416 and no 407 the second time.
    expect(kinds(s.sentTo(CALLER, start))).toEqual(['407', '100']);
  });

  it('a tel: From is its number: 1001 authenticated may call From tel:10-01, not From tel:1003 (403)', async () => {
    for (const [from, expected] of [
      ['tel:10-01', 'INVITE'],
      ['tel:1003', undefined],
    ] as const) {
      const s = stack({ authMethods: ['INVITE'] });
      await register(s, CALLEE);
      const start = s.sent.length;
      const withFrom = (lines: string[]): string[] =>
        lines.map((l) => (l.startsWith('From:') ? `From: <${from}>;tag=caller` : l));
      await s.receive(withFrom(telInvite(`tel-from-${from}`, '1002')), CALLER);
      const challenge = s.sentTo(CALLER, start)[0] as SipResponse;
      expect(kinds([challenge])).toEqual(['407']);
      const nonce = /nonce="([^"]+)"/.exec(challenge.headerValues('proxy-authenticate')[0]!)![1]!;
      const response = md5(
        `${md5('1001:lab.example:pw1')}:${nonce}:00000001:c0ffee:auth:${md5('INVITE:tel:1002')}`,
      );
      const authorization =
        `Digest username="1001", realm="lab.example", nonce="${nonce}", uri="tel:1002", response="${response}", ` +
        'algorithm=MD5, qop=auth, nc=00000001, cnonce="c0ffee"';
      await s.receive(withFrom(telInvite(`tel-from-${from}`, '1002', authorization)), CALLER);
      expect(kinds(s.sentTo(CALLEE, start)).filter((k) => k === 'INVITE')[0], from).toBe(expected);
      if (expected === undefined) expect((s.sentTo(CALLER, start).at(-1) as SipResponse).status).toBe(403);
    }
  });

  it('without a challenge too: the number reaches its user, or is refused as an unknown user is (never 416)', async () => {
    const s = stack({ authMethods: [] });
    await register(s, CALLEE);
    const start = s.sent.length;
    await s.receive(telInvite('tel-2', '1002'), CALLER);
    expect(kinds(s.sentTo(CALLEE, start))).toEqual(['INVITE']);
    const unknown = s.sent.length;
    await s.receive(telInvite('tel-3', '+1-555-0100'), CALLER);
    // Nobody has that number: refused as any unknown user is, not 416, and sent nowhere.
    const answer = s.sentTo(CALLER, unknown).at(-1) as SipResponse;
    expect([404, 480]).toContain(answer.status);
    expect(s.sentTo(CALLEE, unknown)).toEqual([]);
    expect(forwardedTo(s, CALLEE)!.uri).toBe(`sip:1002@10.0.0.6:5064`);
  });
});
