// RFC 6665 §4.3: a proxy that wishes to see every SUBSCRIBE and NOTIFY of a dialog MUST add Record-Route
// to the initial SUBSCRIBE and to all NOTIFY requests. We Record-Route every SUBSCRIBE, so a NOTIFY sent
// in the subscription's dialog (with our Route) must carry our Record-Route too: when it reaches the
// subscriber before the 200 to its SUBSCRIBE (a presence server notifies at once), or comes from a
// fork that never answered, its Record-Route is the route set of the subscriber's dialog, and without
// ours the refreshing SUBSCRIBE would bypass the proxy. Kamailio's default configuration does the same.
import { describe, expect, it } from 'vitest';
import type { SipRequest, SipResponse } from '../../../../core/sip/message/index';
import { DEFAULT_PROXY } from '../../../../core/sip/proxy/proxy-config';
import { CALLEE, CALLER, answeredCall, register } from './call-steps';
import { SERVER, kinds, stack } from './stack';

const AT = `${SERVER.address}:${SERVER.port}`;

type Stack = ReturnType<typeof stack>;

async function subscribed(s: Stack): Promise<SipRequest> {
  await register(s, CALLEE);
  await s.receive(
    [
      `SUBSCRIBE sip:1002@${AT} SIP/2.0`,
      `Via: SIP/2.0/UDP ${CALLER.address}:${CALLER.port};branch=z9hG4bK-sub-1;rport`,
      'Max-Forwards: 70',
      `From: <sip:1001@${SERVER.address}>;tag=watcher`,
      `To: <sip:1002@${SERVER.address}>`,
      'Call-ID: presence-1',
      'CSeq: 1 SUBSCRIBE',
      `Contact: <sip:1001@${CALLER.address}:${CALLER.port}>`,
      'Event: presence',
      'Expires: 600',
    ],
    CALLER,
  );
  const sub = s.sentTo(CALLEE).find((m) => (m as SipRequest).method === 'SUBSCRIBE') as SipRequest;
  expect(sub.recordRoutes.length).toBeGreaterThan(0);
  return sub;
}

/** The notifier's NOTIFY in the subscription's dialog: our Record-Route as its Route set (§12.1.1). */
function notifyLines(sub: SipRequest, cseq: number): string[] {
  return [
    `NOTIFY sip:1001@${CALLER.address}:${CALLER.port} SIP/2.0`,
    `Via: SIP/2.0/UDP ${CALLEE.address}:${CALLEE.port};branch=z9hG4bK-notify-${cseq};rport`,
    ...sub.recordRoutes.map((r) => `Route: ${r.raw}`),
    'Max-Forwards: 70',
    `From: <sip:1002@${SERVER.address}>;tag=notifier`,
    `To: <sip:1001@${SERVER.address}>;tag=watcher`,
    'Call-ID: presence-1',
    `CSeq: ${cseq} NOTIFY`,
    `Contact: <sip:1002@${CALLEE.address}:${CALLEE.port}>`,
    'Event: presence',
    'Subscription-State: active;expires=600',
  ];
}

describe('NOTIFY in a subscription we Record-Routed (RFC 6665 §4.3)', () => {
  it('is Record-Routed as the SUBSCRIBE was, so that a subscriber can build the route set from it', async () => {
    const s = stack();
    const sub = await subscribed(s);
    // The NOTIFY comes before the notifier's 200 to the SUBSCRIBE (RFC 6665 allows either order).
    const before = s.sent.length;
    await s.receive(notifyLines(sub, 1), CALLEE);
    const notify = s.sentTo(CALLER, before).find((m) => (m as SipRequest).method === 'NOTIFY') as SipRequest;
    expect(notify).toBeDefined();
    // The subscriber's route set is this Record-Route as it is (§12.1.1); the SUBSCRIBE's, reversed
    // (§12.1.2): the same entries, so both lead through us.
    expect(notify.recordRoutes.map((r) => r.raw)).toEqual(sub.recordRoutes.map((r) => r.raw).reverse());
  });

  it('a later NOTIFY too; the subscriber’s answer still goes back to the notifier', async () => {
    const s = stack();
    const sub = await subscribed(s);
    await s.receive(notifyLines(sub, 1), CALLEE);
    const before = s.sent.length;
    await s.receive(notifyLines(sub, 2), CALLEE);
    const notify = s.sentTo(CALLER, before).find((m) => (m as SipRequest).method === 'NOTIFY') as SipRequest;
    expect(notify.recordRoutes.length).toBeGreaterThan(0);
    await s.receive(
      [
        'SIP/2.0 200 OK',
        ...notify.headerValues('via').map((v) => `Via: ${v}`),
        ...notify.recordRoutes.map((r) => `Record-Route: ${r.raw}`),
        `From: ${notify.header('from')}`,
        `To: ${notify.header('to')}`,
        'Call-ID: presence-1',
        'CSeq: 2 NOTIFY',
      ],
      CALLER,
    );
    const ok = s.sentTo(CALLEE, before).find((m) => (m as SipResponse).status === 200) as SipResponse;
    expect(ok?.cseq.method).toBe('NOTIFY');
  });
});

// Kamailio's default configuration challenges every initial request whose From is local; a NOTIFY in a
// user's name out of any dialog reached phones from the registrar's own address (check-sync reboot, MWI)
// unchallenged. In a dialog (a subscription's, REFER's implicit one) it is not challenged: baresip and
// linphone answer no challenge there (RFC 3261 §22.3 leaves which requests to challenge to the proxy).
describe('NOTIFY and PROXY.AUTH_METHODS (by default it lists NOTIFY)', () => {
  it('out of any dialog, from one of our users: 407, and the phone gets nothing', async () => {
    const s = stack({ authMethods: DEFAULT_PROXY.authMethods });
    await register(s, CALLER);
    const start = s.sent.length;
    await s.receive(
      [
        `NOTIFY sip:1001@${AT} SIP/2.0`,
        `Via: SIP/2.0/UDP ${CALLEE.address}:${CALLEE.port};branch=z9hG4bK-sync;rport`,
        'Max-Forwards: 70',
        `From: <sip:1002@${SERVER.address}>;tag=eve`,
        `To: <sip:1001@${SERVER.address}>`,
        'Call-ID: check-sync-1',
        'CSeq: 1 NOTIFY',
        'Event: check-sync;reboot=true',
      ],
      CALLEE,
    );
    expect(kinds(s.sentTo(CALLEE, start))).toEqual(['407']);
    expect(s.sentTo(CALLER, start)).toEqual([]);
  });

  it("in a subscription's dialog or a call's (REFER's implicit subscription): relayed unchallenged", async () => {
    const s = stack({ authMethods: ['NOTIFY'] });
    const sub = await subscribed(s);
    let before = s.sent.length;
    await s.receive(notifyLines(sub, 1), CALLEE);
    expect(kinds(s.sentTo(CALLER, before))).toEqual(['NOTIFY']);
    const ok = await answeredCall(s, 'refer-1');
    before = s.sent.length;
    await s.receive(
      [
        `NOTIFY sip:1001@${CALLER.address}:${CALLER.port} SIP/2.0`,
        `Via: SIP/2.0/UDP ${CALLEE.address}:${CALLEE.port};branch=z9hG4bK-refer-notify;rport`,
        ...ok.recordRoutes.map((r) => `Route: ${r.raw}`),
        'Max-Forwards: 70',
        `From: ${ok.header('to')}`,
        `To: ${ok.header('from')}`,
        'Call-ID: refer-1',
        'CSeq: 2 NOTIFY',
        'Event: refer',
        'Subscription-State: active;expires=60',
      ],
      CALLEE,
    );
    expect(kinds(s.sentTo(CALLER, before))).toEqual(['NOTIFY']);
  });
});
