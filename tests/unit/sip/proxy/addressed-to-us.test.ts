// §11.2: an OPTIONS for IMS Lab itself (no user, our address, no Route past us) is answered here with
// Allow, Accept and Supported; one for another element (another address, another port of our host, or a
// Route past us) is routed on to it like any request, so that a gateway's keep-alive reaches the gateway.
// A user at another port of our host with no binding there (a SIPp UAS as a "static user" on the lab's
// one host) is another element too (§16.5; Kamailio's `myself` compares the port): routed on to it when
// PROXY.RELAY_FOREIGN is on (before: 480, relaying or not); a binding there is still the user's contact.
import { describe, expect, it } from 'vitest';
import type { SipRequest, SipResponse } from '../../../../core/sip/message/index';
import { CALLER, inviteLines, register } from './call-steps';
import { SERVER, kinds, stack } from './stack';

const GATEWAY = { transport: 'UDP' as const, address: '198.51.100.7', port: 5080 };
const NEIGHBOUR = { transport: 'UDP' as const, address: SERVER.address, port: 5099 };

function options(callId: string, uri: string, route?: string): string[] {
  const lines = inviteLines(callId, 'OPTIONS');
  lines[0] = `OPTIONS ${uri} SIP/2.0`;
  lines[3] = 'From: <sip:monitor@203.0.113.9>;tag=mon';
  return route === undefined ? lines : [...lines, `Route: ${route}`];
}

describe('an OPTIONS with no user', () => {
  it('to our address, or with our Route only: answered here (200 with Allow)', async () => {
    const s = stack({ relayForeign: true });
    const start = s.sent.length;
    await s.receive(options('o1', `sip:${SERVER.address}:${SERVER.port}`), CALLER);
    await s.receive(
      options('o2', `sip:${SERVER.address}:${SERVER.port}`, `<sip:${SERVER.address}:${SERVER.port};lr>`),
      CALLER,
    );
    const answers = s.sentTo(CALLER, start) as SipResponse[];
    expect(kinds(answers)).toEqual(['200', '200']);
    expect(answers[0]!.header('allow')).toContain('INVITE');
    // §11.2: the SHOULDs too.
    expect([answers[0]!.header('accept-encoding'), answers[0]!.header('accept-language')]).toEqual([
      'identity',
      'en',
    ]);
  });

  it('to another address, to another port of our host, or with a Route past us: routed on', async () => {
    const s = stack({ relayForeign: true });
    const start = s.sent.length;
    await s.receive(options('o3', 'sip:198.51.100.7:5080'), CALLER);
    await s.receive(options('o4', `sip:${SERVER.address}:5099`), CALLER);
    await s.receive(
      options(
        'o5',
        'sip:gw.example.net',
        `<sip:${SERVER.address}:${SERVER.port};lr>, <sip:198.51.100.7:5080;lr>`,
      ),
      CALLER,
    );
    expect(kinds(s.sentTo(GATEWAY, start))).toEqual(['OPTIONS', 'OPTIONS']);
    expect(kinds(s.sentTo(NEIGHBOUR, start))).toEqual(['OPTIONS']);
    expect(kinds(s.sentTo(CALLER, start))).toEqual([]);
  });

  it('to another address with relaying off: 403, not a 200 from us', async () => {
    const s = stack({ relayForeign: false });
    const start = s.sent.length;
    await s.receive(options('o6', 'sip:198.51.100.7:5080'), CALLER);
    expect(kinds(s.sentTo(CALLER, start))).toEqual(['403']);
    expect(s.sentTo(GATEWAY, start)).toEqual([]);
  });

  it('to a user of ours with a Route past us, relaying off: the 403 names the Route, not the domain', async () => {
    const s = stack({ relayForeign: false });
    const start = s.sent.length;
    await s.receive(
      options('o7', `sip:1002@${SERVER.address}:${SERVER.port}`, '<sip:198.51.100.7:5080;lr>'),
      CALLER,
    );
    const [answer] = s.sentTo(CALLER, start) as SipResponse[];
    expect(answer!.status).toBe(403);
    expect(answer!.reason).toBe(
      'Forbidden (the Route names another host, 198.51.100.7, and relaying is off: PROXY.RELAY_FOREIGN)',
    );
    expect(s.sentTo(GATEWAY, start)).toEqual([]);
  });
});

describe('other requests to our address with no user', () => {
  it('a method we do not know: 501 with Allow (§21.5.2); in a dialog we do not hold: 481 (§12.2.2)', async () => {
    const s = stack({ relayForeign: true });
    const start = s.sent.length;
    const foo = options('f1', `sip:${SERVER.address}:${SERVER.port}`);
    foo[0] = foo[0]!.replace('OPTIONS', 'FOO');
    foo[6] = 'CSeq: 1 FOO';
    await s.receive(foo, CALLER);
    const bye = options('b1', `sip:${SERVER.address}:${SERVER.port}`);
    bye[0] = bye[0]!.replace('OPTIONS', 'BYE');
    bye[4] = `To: <sip:${SERVER.address}:${SERVER.port}>;tag=gone`;
    bye[6] = 'CSeq: 2 BYE';
    await s.receive(bye, CALLER);
    const answers = s.sentTo(CALLER, start).filter((m) => (m as SipResponse).status !== 100) as SipResponse[];
    expect(kinds(answers)).toEqual(['501', '481']);
    expect(answers[0]!.header('allow')).toContain('OPTIONS');
  });
});

describe('a user at another port of our host', () => {
  const invite = (callId: string, user: string): string[] => {
    const lines = options(callId, `sip:${user}@${SERVER.address}:${NEIGHBOUR.port}`);
    lines[0] = lines[0]!.replace('OPTIONS', 'INVITE');
    lines[6] = 'CSeq: 1 INVITE';
    return lines;
  };

  it('with no binding there and relaying on: routed on to that address, whoever the user is', async () => {
    const s = stack({ relayForeign: true });
    await register(s, CALLER, '1003'); // 1003's phone is elsewhere: not the element at that port
    const start = s.sent.length;
    for (const user of ['9999', '1003']) await s.receive(invite(`static-${user}`, user), CALLER);
    const sent = s.sentTo(NEIGHBOUR, start).filter((m) => kinds([m])[0] === 'INVITE');
    expect(sent.map((m) => (m as SipRequest).requestUri.raw)).toEqual([
      `sip:9999@${SERVER.address}:${NEIGHBOUR.port}`,
      `sip:1003@${SERVER.address}:${NEIGHBOUR.port}`,
    ]);
    expect(kinds(s.sentTo(CALLER, start)).filter((k) => k !== '100')).toEqual([]);
  });

  it('with a binding of the user there: that binding; relaying off and none: 480 as before', async () => {
    const s = stack({ relayForeign: false });
    await register(s, NEIGHBOUR, '1002');
    const start = s.sent.length;
    await s.receive(invite('bound', '1002'), CALLER);
    expect(kinds(s.sentTo(NEIGHBOUR, start))).toEqual(['INVITE']);
    await s.receive(invite('static-off', '9999'), CALLER);
    expect(kinds(s.sentTo(CALLER, start)).filter((k) => k !== '100')).toEqual(['480']);
    expect(kinds(s.sentTo(NEIGHBOUR, start))).toEqual(['INVITE']);
  });
});
