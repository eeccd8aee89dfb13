// The reg event package (RFC 3680) against the built headless server, over a real UDP socket on
// 127.0.0.1, as an IMS UE uses it: it registers (digest), SUBSCRIBEs to its own AOR with Event: reg
// (challenged 407 like any request of a user, then authenticated) and gets 200 and a NOTIFY of its
// registration in application/reginfo+xml; its next REGISTERs are told in NOTIFYs, and an in-dialog
// SUBSCRIBE with Expires 0 ends the watch. Another user is refused 403 and told nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMessage, SipRequest, SipResponse } from '../../../core/sip/message/index';
import { HAS_BUILD } from '../../support/processes';
import { HAS_SIPP, runSipp } from '../../support/sipp';
import { removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';
import { RegisteringUa, contactOf, openUdp, type SipChannel } from '../../support/sip-client';
import { sipBytes } from '../../support/sip-text';
import { answer, nextRequest, sendAuthenticated } from '../proxy/raw-ua';

const UE = { username: '7301', password: 'pw-7301' };
const OTHER = { username: '7302', password: 'pw-7302' };
const SIPP_UE = { username: '7303', password: 'pw-7303' };

/** The 200 to a SUBSCRIBE and the NOTIFY after it, in whatever order they arrive. */
async function answerAndNotify(ch: SipChannel): Promise<{ ok: SipResponse; notify: SipRequest }> {
  let ok: SipResponse | undefined;
  let notify: SipRequest | undefined;
  while (ok === undefined || notify === undefined) {
    const m = parseMessage(await ch.next(3000));
    if (m instanceof SipRequest && m.method === 'NOTIFY') notify ??= m;
    else if (m instanceof SipResponse && m.cseq.method === 'SUBSCRIBE' && m.status >= 200) ok = m;
  }
  ch.send(answer(notify, 200, 'OK'));
  return { ok, notify };
}

/** The next NOTIFY, answered 200. */
async function notified(ch: SipChannel): Promise<SipRequest> {
  const notify = await nextRequest(ch);
  expect(notify.method).toBe('NOTIFY');
  ch.send(answer(notify, 200, 'OK'));
  return notify;
}

describe.skipIf(!HAS_BUILD)('the reg event package (RFC 3680) on the built server', () => {
  let server: LabServer;
  let ue: SipChannel;
  let reg: RegisteringUa;

  beforeAll(async () => {
    server = await startLabServer({ users: [UE, OTHER, SIPP_UE] });
    ue = await openUdp({ host: server.host, port: server.udpPort });
    reg = new RegisteringUa(ue, UE);
  });

  afterAll(async () => {
    await ue?.close();
    if (server === undefined) return;
    expect(await server.stop()).toBe(0);
    removeDataDir(server.dataDir);
  });

  it('a UE registers, watches its registration, and is told of its refresh and its unregistration', async () => {
    expect((await reg.register([contactOf(ue, UE.username)], 3600)).status).toBe(200);
    await sendAuthenticated(ue, UE, {
      method: 'SUBSCRIBE',
      to: UE.username,
      extra: ['Event: reg', 'Expires: 600'],
    });
    const { ok, notify } = await answerAndNotify(ue);
    expect(ok.status, ok.toString()).toBe(200);
    expect(ok.expires).toBe(600);
    expect(notify.header('subscription-state')).toBe('active;expires=600');
    expect(notify.header('content-type')).toBe('application/reginfo+xml');
    const contact = `sip:${UE.username}@127.0.0.1:${ue.localPort}`;
    expect(notify.body.toString()).toMatch(
      new RegExp(`<registration aor="sip:${UE.username}@ims.lab" id="\\w+" state="active">`),
    );
    expect(notify.body.toString()).toContain(`<uri>${contact}</uri>`);

    expect((await reg.register([contactOf(ue, UE.username)], 1800)).status).toBe(200);
    const refreshed = (await notified(ue)).body.toString();
    expect(refreshed).toContain('version="1"');
    expect(refreshed).toMatch(/state="active" event="refreshed" [^>]*expires="1800"/);

    expect((await reg.register([contactOf(ue, UE.username)], 0)).status).toBe(200);
    const gone = (await notified(ue)).body.toString();
    expect(gone).toMatch(/<registration [^>]*state="terminated">/);
    expect(gone).toMatch(/<contact [^>]*state="terminated" event="unregistered"/);

    // RFC 6665 §4.1.2.3: an in-dialog SUBSCRIBE with Expires 0 ends it, with a last NOTIFY.
    const end = sipBytes([
      `SUBSCRIBE ${ok.contacts[0]!.uriText} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${ue.localPort};branch=z9hG4bK-unsubscribe;rport`,
      'Max-Forwards: 70',
      `From: ${ok.header('from')}`,
      `To: ${ok.header('to')}`,
      `Call-ID: ${ok.callId}`,
      'CSeq: 3 SUBSCRIBE',
      `Contact: <${contact}>`,
      'Event: reg',
      'Expires: 0',
    ]);
    ue.send(end);
    const last = await answerAndNotify(ue);
    expect(last.ok.status).toBe(200);
    expect(last.notify.header('subscription-state')).toBe('terminated;reason=timeout');
    // Nothing more: a new registration tells nobody.
    expect((await reg.register([contactOf(ue, UE.username)], 3600)).status).toBe(200);
    expect(await ue.collect(300)).toEqual([]);
  });

  it("another user may not watch the UE's registration: 403, and no NOTIFY", async () => {
    const other = await openUdp({ host: server.host, port: server.udpPort });
    try {
      await sendAuthenticated(other, OTHER, { method: 'SUBSCRIBE', to: UE.username, extra: ['Event: reg'] });
      const refused = await other.next(3000);
      expect((parseMessage(refused) as SipResponse).status).toBe(403);
      expect(await other.collect(300)).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it.skipIf(!HAS_SIPP)(
    'SIPp as an IMS UE: registers, subscribes (407, digest), gets its NOTIFYs, unsubscribes',
    async () => {
      const r = await runSipp({
        scenario: 'reg_event.xml',
        target: { host: server.host, port: server.udpPort },
        users: [SIPP_UE],
      });
      expect(r.code, r.describe()).toBe(0);
      expect(r.responses.map((m) => `${m.status} ${m.cseq.method}`)).toEqual([
        '401 REGISTER',
        '200 REGISTER',
        '407 SUBSCRIBE',
        '200 SUBSCRIBE',
        '200 SUBSCRIBE',
      ]);
      const granted = r.responses[3]!;
      expect(granted.expires).toBe(86_400); // 600,000 s asked (an IMS UE's), a day at most granted
      const notifies = r.messages
        .filter((m) => m.direction === 'received' && m.message instanceof SipRequest)
        .map((m) => m.message as SipRequest);
      expect(notifies.map((n) => n.header('subscription-state'))).toEqual([
        'active;expires=86400',
        'terminated;reason=timeout',
      ]);
    },
  );
});
