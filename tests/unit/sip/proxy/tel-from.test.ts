// A PSTN caller as an MGCF, IP-SM-GW or AS delivers it (3GPP TS 24.229 §5.5, §5.7): From: <tel:+4930999>.
// A From of another domain is not challenged (it names no user of ours); a tel: From has no domain, and
// with SIP.DOMAINS naming ours it is treated the same: the mobile-terminated SMS reaches the phone. It was
// always challenged (407), so such an element got through only with PROXY.AUTH_METHODS emptied for all.
// With SIP.DOMAINS empty (any host name is ours) a number is one of ours, challenged as before; and a
// number at our domain (sip:+4930999@<ours>;user=phone) is always challenged.
import { describe, expect, it } from 'vitest';
import { CALLEE, CALLER, inviteLines, register } from './call-steps';
import { kinds, REALM, stack } from './stack';

/** A MESSAGE from `from` to 1002 at our domain, with no credentials. */
function messageFrom(from: string, callId: string): string[] {
  return inviteLines(callId, 'MESSAGE')
    .filter((l) => !l.startsWith('Contact:'))
    .map((l) =>
      l.startsWith('MESSAGE ')
        ? `MESSAGE sip:1002@${REALM} SIP/2.0`
        : l.startsWith('From:')
          ? `From: <${from}>;tag=as`
          : l.startsWith('To:')
            ? `To: <sip:1002@${REALM}>`
            : l,
    );
}

async function answerTo(from: string, domains: string[]): Promise<{ caller: string[]; callee: string[] }> {
  const s = stack({ authMethods: ['INVITE', 'MESSAGE'] });
  s.proxy.identity!.served.setNames({ domain: REALM, domains });
  await register(s, CALLEE);
  const start = s.sent.length;
  await s.receive(
    [...messageFrom(from, `tel-from-${from.length}`), 'Content-Type: text/plain'],
    CALLER,
    'hi',
  );
  return { caller: kinds(s.sentTo(CALLER, start)), callee: kinds(s.sentTo(CALLEE, start)) };
}

describe('a tel: From (a PSTN caller a gateway or AS delivers)', () => {
  it('with SIP.DOMAINS naming ours: not challenged, as a From of another domain is not', async () => {
    for (const from of ['tel:+4930999', 'sip:smsc@as.example.net']) {
      const { caller, callee } = await answerTo(from, [REALM]);
      expect([from, caller, callee]).toEqual([from, [], ['MESSAGE']]);
    }
  });

  it('a number at our domain is still challenged, and with SIP.DOMAINS empty a tel: From is too', async () => {
    const ours = await answerTo(`sip:+4930999@${REALM};user=phone`, [REALM]);
    expect([ours.caller, ours.callee]).toEqual([['407'], []]);
    const single = await answerTo('tel:+4930999', []);
    expect([single.caller, single.callee]).toEqual([['407'], []]);
  });
});
