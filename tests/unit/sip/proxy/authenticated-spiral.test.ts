// A request that spirals (RFC 3261 §16.3 step 4): out to an application server or a foreign domain's
// proxy, back to us with another Request-URI. Its sender was authenticated on the first pass and our
// realm's credentials taken off (§22.3), so the second pass was challenged, and each new attempt
// again: the caller never got through. The pass back is known by our Via below the other hop's, of a
// request forwarded for that user; a stranger's request with a made-up Via of ours is still challenged.
import { describe, expect, it } from 'vitest';
import type { SipRequest } from '../../../../core/sip/message/index';
import { CALLEE, inviteLines, register, sentWithCredentials } from './call-steps';
import { REALM, SERVER, kinds, stack } from './stack';

const AS = { transport: 'UDP' as const, address: '198.51.100.20', port: 5060 };
const AUTH = { authMethods: ['INVITE', 'MESSAGE'], relayForeign: true };
type Stack = ReturnType<typeof stack>;

/** 1001's INVITE to sip:back@<AS>, challenged, then again with credentials; the copy the AS got. */
async function toTheAs(s: Stack, callId: string, extra: string[] = []): Promise<SipRequest> {
  const uri = `sip:back@${AS.address}`;
  const first = inviteLines(callId).map((l) => (l.startsWith('INVITE ') ? `INVITE ${uri} SIP/2.0` : l));
  await sentWithCredentials(s, [...first, ...extra], callId, uri);
  return s.sentTo(AS).findLast((m) => kinds([m])[0] === 'INVITE') as SipRequest;
}

/** The AS sends it back to us for 1002: new Request-URI, its Via on top. */
function backFromAs(out: SipRequest, branch = 'z9hG4bK-as-1'): Buffer {
  const text = out
    .toBuffer()
    .toString('utf8')
    .replace(
      /^INVITE [^\r]*\r\n/,
      `INVITE sip:1002@${SERVER.address} SIP/2.0\r\nVia: SIP/2.0/UDP ${AS.address}:${AS.port};branch=${branch}\r\n`,
    );
  return Buffer.from(text, 'utf8');
}

describe('a request that comes back to us from an AS', () => {
  it('is not challenged again when its sender was authenticated on its first pass', async () => {
    const s = stack(AUTH);
    await register(s, CALLEE);
    const out = await toTheAs(s, 'spiral-auth');
    expect(out).toBeDefined();
    expect(out.has('proxy-authorization')).toBe(false); // ours end at us (§22.3)
    const mid = s.sent.length;
    await s.receiveBytes(backFromAs(out), AS);
    expect(kinds(s.sentTo(AS, mid))).not.toContain('407');
    expect(kinds(s.sentTo(CALLEE, mid))).toEqual(['INVITE']);
  });

  it('a made-up Via of ours (no request we forwarded) is challenged as any other', async () => {
    const s = stack(AUTH);
    await register(s, CALLEE);
    const out = await toTheAs(s, 'spiral-forged');
    const forged = backFromAs(out)
      .toString('utf8')
      .replace(/branch=z9hG4bK-ims-[^;\r,]+/, 'branch=z9hG4bK-ims-abc-forged');
    const mid = s.sent.length;
    await s.receiveBytes(Buffer.from(forged, 'utf8'), AS);
    expect(kinds(s.sentTo(AS, mid))).toEqual(['407']);
    expect(s.sentTo(CALLEE, mid)).toEqual([]);
  });

  // The hop we forwarded the request to saw our Via: with it alone it could send anything as the caller.
  it('another request under a copied Via of ours is challenged: new Call-ID, another CSeq or method, another body', async () => {
    const s = stack(AUTH);
    await register(s, CALLEE);
    const out = await toTheAs(s, 'spiral-copied');
    const back = backFromAs(out).toString('utf8');
    const forgeries = [
      back.replace(/Call-ID: [^\r]+/, 'Call-ID: forged-call@attacker'),
      back.replace(/CSeq: 2 INVITE/, 'CSeq: 3 INVITE'),
      back
        .replace(/^INVITE /, 'MESSAGE ')
        .replace(/CSeq: 2 INVITE/, 'CSeq: 2 MESSAGE')
        .replace(/Content-Length: \d+/, 'Content-Length: 5') + 'hello',
      back.replace(/Content-Length: \d+/, 'Content-Length: 3') + 'v=0',
    ];
    expect(back).toContain('CSeq: 2 INVITE');
    for (const [i, forged] of forgeries.entries()) {
      const mid = s.sent.length;
      await s.receiveBytes(
        Buffer.from(forged.replace('branch=z9hG4bK-as-1', `branch=z9hG4bK-as-f${i}`), 'utf8'),
        AS,
      );
      expect(kinds(s.sentTo(AS, mid)), forged.split('\r\n')[0]).toEqual(['407']);
      expect(s.sentTo(CALLEE, mid)).toEqual([]);
    }
    // The request itself still goes through.
    const mid = s.sent.length;
    await s.receiveBytes(Buffer.from(back, 'utf8'), AS);
    expect(kinds(s.sentTo(AS, mid))).not.toContain('407');
    expect(kinds(s.sentTo(CALLEE, mid))).toEqual(['INVITE']);
  });

  // PROXY.ASSERT_IDENTITY (asserted-identity.ts): the identity chosen on the first pass (RFC 3325 §6)
  // is the user's on the pass back too; one of another user's, put on by the AS, is not.
  it("keeps the caller's asserted identity chosen on its first pass, and no other user's", async () => {
    const s = stack({ ...AUTH, assertIdentity: true });
    await register(s, CALLEE);
    const out = await toTheAs(s, 'spiral-pai', ['P-Preferred-Identity: <tel:1001>']);
    expect(out.headerValues('p-asserted-identity')).toEqual(['<tel:1001>']);
    const back = backFromAs(out).toString('utf8');
    await s.receiveBytes(Buffer.from(back, 'utf8'), AS);
    const other = back
      .replace('P-Asserted-Identity: <tel:1001>', `P-Asserted-Identity: <sip:1003@${SERVER.address}>`)
      .replace('branch=z9hG4bK-as-1', 'branch=z9hG4bK-as-2');
    await s.receiveBytes(Buffer.from(other, 'utf8'), AS);
    const passes = s.sentTo(CALLEE).filter((m) => kinds([m])[0] === 'INVITE');
    expect(passes.map((m) => m.headerValues('p-asserted-identity'))).toEqual([
      ['<tel:1001>'],
      [`<sip:1001@${REALM}>`],
    ]);
  });
});
