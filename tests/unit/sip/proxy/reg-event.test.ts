// The registrar as the reg event notifier (RFC 3680 on RFC 6665), on the proxy tests' stack (fake clock,
// recorded sends): a phone's SUBSCRIBE to its own AOR is answered here with a NOTIFY of the registration
// state at once, then one for each change of its bindings, on refresh, and a terminated one at the end
// (Expires 0, timeout, a user deleted); nobody watches another user's registrations; a NOTIFY answered
// 481 ends the subscription. Other event packages are still routed to the user's phones.
import { describe, expect, it } from 'vitest';
import type { SipRequest, SipResponse } from '../../../../core/sip/message/index';
import type { Peer } from '../../../../core/sip/transport/peer';
import { SERVER, kinds, stack } from './stack';

const UE: Peer = { transport: 'UDP', address: '10.0.0.5', port: 5062 };
const OTHER: Peer = { transport: 'UDP', address: '10.0.0.6', port: 5064 };
const AT = `${SERVER.address}:${SERVER.port}`;
const AOR = 'sip:1001@lab.example';

type Stack = ReturnType<typeof stack>;

async function register(s: Stack, expires: number, cseq: number, phone = UE, user = '1001'): Promise<void> {
  await s.receive(
    [
      `REGISTER sip:${AT} SIP/2.0`,
      `Via: SIP/2.0/UDP ${phone.address}:${phone.port};branch=z9hG4bK-reg-${user}-${cseq};rport`,
      'Max-Forwards: 70',
      `From: <sip:${user}@lab.example>;tag=r${user}`,
      `To: <sip:${user}@lab.example>`,
      `Call-ID: reg-${user}`,
      `CSeq: ${cseq} REGISTER`,
      `Contact: <sip:${user}@${phone.address}:${phone.port}>`,
      `Expires: ${expires}`,
    ],
    phone,
  );
}

/** A SUBSCRIBE from `from` (a user name or URI) for `target`'s reg event; `extra` lines added. */
function subscribe(target: string, extra: string[] = [], from = '1001', cseq = 1): string[] {
  return [
    `SUBSCRIBE sip:${target}@lab.example SIP/2.0`,
    `Via: SIP/2.0/UDP ${UE.address}:${UE.port};branch=z9hG4bK-sub-${target}-${cseq};rport`,
    'Max-Forwards: 70',
    `From: <${from.includes(':') ? from : `sip:${from}@lab.example`}>;tag=watcher`,
    `To: <sip:${target}@lab.example>`,
    `Call-ID: sub-${target}`,
    `CSeq: ${cseq} SUBSCRIBE`,
    `Contact: <sip:1001@${UE.address}:${UE.port}>`,
    'Event: reg',
    ...extra,
  ];
}

/** A SUBSCRIBE in the dialog the 200 made (To with our tag, Request-URI our Contact). */
function resubscribe(ok: SipResponse, cseq: number, expires: number): string[] {
  return [
    `SUBSCRIBE ${ok.contacts[0]!.uriText} SIP/2.0`,
    `Via: SIP/2.0/UDP ${UE.address}:${UE.port};branch=z9hG4bK-resub-${cseq};rport`,
    'Max-Forwards: 70',
    `From: ${ok.header('from')}`,
    `To: ${ok.header('to')}`,
    `Call-ID: ${ok.callId}`,
    `CSeq: ${cseq} SUBSCRIBE`,
    `Contact: <sip:1001@${UE.address}:${UE.port}>`,
    'Event: reg',
    `Expires: ${expires}`,
  ];
}

/** What the UE got since `from`: responses to its SUBSCRIBEs, and NOTIFYs (not their retransmissions). */
function got(s: Stack, from: number): { answers: SipResponse[]; notifies: SipRequest[] } {
  const all = s.sentTo(UE, from);
  const cseqs = new Set<number>();
  return {
    answers: all.filter(
      (m) => kinds([m])[0] !== 'NOTIFY' && (m as SipResponse).cseq.method === 'SUBSCRIBE',
    ) as SipResponse[],
    notifies: all.filter((m) => {
      if (kinds([m])[0] !== 'NOTIFY' || cseqs.has(m.cseq.seq)) return false;
      cseqs.add(m.cseq.seq);
      return true;
    }) as SipRequest[],
  };
}

/** The UE's answer to a NOTIFY. */
function answer(notify: SipRequest, status: number): string[] {
  return [
    `SIP/2.0 ${status} Whatever`,
    ...notify.headerValues('via').map((v) => `Via: ${v}`),
    `From: ${notify.header('from')}`,
    `To: ${notify.header('to')}`,
    `Call-ID: ${notify.callId}`,
    `CSeq: ${notify.header('cseq')}`,
  ];
}

const body = (notify: SipRequest): string => notify.body.toString();

/** 1001 registered and subscribed; the UE answers the first NOTIFY with `status`. */
async function subscribed(
  expires?: number,
  status = 200,
): Promise<{ s: Stack; ok: SipResponse; first: SipRequest }> {
  const s = stack();
  await register(s, 3600, 1);
  const before = s.sent.length;
  await s.receive(subscribe('1001', expires === undefined ? [] : [`Expires: ${expires}`]), UE);
  const { answers, notifies } = got(s, before);
  expect(kinds(answers)).toEqual(['200']);
  expect(notifies).toHaveLength(1);
  await s.receive(answer(notifies[0]!, status), UE);
  return { s, ok: answers[0]!, first: notifies[0]! };
}

describe('RFC 3680: a phone watching its own registrations', () => {
  it('200 with the granted Expires, our Contact and a To tag; a NOTIFY of the state at once', async () => {
    const { ok, first } = await subscribed();
    expect(ok.expires).toBe(3761); // RFC 3680 §4.4: the default
    expect(ok.to.tag).toBeDefined();
    expect(ok.contacts[0]?.uriText).toBe(`sip:${AT}`);
    // RFC 6665 §4.2.1.2: the NOTIFY in the new dialog, to the subscriber's Contact.
    expect(first.uri).toBe(`sip:1001@${UE.address}:${UE.port}`);
    expect(first.from.tag).toBe(ok.to.tag);
    expect(first.to.tag).toBe('watcher');
    expect(first.callId).toBe(ok.callId);
    expect(first.header('event')).toBe('reg');
    expect(first.header('subscription-state')).toBe('active;expires=3761');
    expect(first.header('content-type')).toBe('application/reginfo+xml');
    expect(body(first)).toContain(
      '<reginfo xmlns="urn:ietf:params:xml:ns:reginfo" version="0" state="full">',
    );
    expect(body(first)).toMatch(new RegExp(`<registration aor="${AOR}" id="[0-9a-f]{12}" state="active">`));
    expect(body(first)).toMatch(
      /<contact id="[0-9a-f]{12}" state="active" event="registered" [^>]*expires="3600"/,
    );
    expect(body(first)).toContain(`<uri>sip:1001@${UE.address}:${UE.port}</uri>`);
  });

  it('a NOTIFY for each REGISTER: refreshed, then unregistered with the registration terminated', async () => {
    const { s, first } = await subscribed();
    let before = s.sent.length;
    await register(s, 1800, 2);
    const refreshed = got(s, before).notifies;
    expect(refreshed).toHaveLength(1);
    expect(body(refreshed[0]!)).toContain('version="1"');
    expect(body(refreshed[0]!)).toMatch(/state="active" event="refreshed" [^>]*expires="1800"/);
    expect(refreshed[0]!.cseq.seq).toBe(first.cseq.seq + 1);
    // The REGISTER's own 200 went first: the NOTIFY waits for the end of the REGISTER's work.
    expect(kinds(s.sentTo(UE, before))).toEqual(['200', 'NOTIFY']);
    before = s.sent.length;
    await register(s, 0, 3);
    const gone = got(s, before).notifies;
    expect(gone).toHaveLength(1);
    expect(body(gone[0]!)).toMatch(/<registration [^>]*state="terminated">/);
    expect(body(gone[0]!)).toMatch(/<contact [^>]*state="terminated" event="unregistered"/);
    expect(body(gone[0]!)).not.toContain('expires=');
    // The subscription itself goes on (RFC 3680 §4.7): a new binding is told too, as the only contact.
    before = s.sent.length;
    await register(s, 600, 4);
    const again = got(s, before).notifies;
    expect(body(again[0]!)).toMatch(/<registration [^>]*state="active">/);
    expect(body(again[0]!).match(/<contact /g)).toHaveLength(1);
  });

  it('RFC 5628: a phone registered with an instance ID finds its GRUUs in the NOTIFY', async () => {
    const s = stack();
    await s.receive(
      [
        `REGISTER sip:${AT} SIP/2.0`,
        `Via: SIP/2.0/UDP ${UE.address}:${UE.port};branch=z9hG4bK-reg-gruu;rport`,
        'Max-Forwards: 70',
        'From: <sip:1001@lab.example>;tag=r1001',
        'To: <sip:1001@lab.example>',
        'Call-ID: reg-gruu',
        'CSeq: 1 REGISTER',
        'Supported: gruu',
        `Contact: <sip:1001@${UE.address}:${UE.port}>;+sip.instance="<urn:uuid:00000000-0000-0000-0000-000000000001>"`,
        'Expires: 600',
      ],
      UE,
    );
    await s.receive(subscribe('1001'), UE);
    const xml = body(got(s, 0).notifies[0]!);
    expect(xml).toContain(
      '<gr:pub-gruu uri="sip:1001@lab.example;gr=urn:uuid:00000000-0000-0000-0000-000000000001"/>',
    );
    expect(xml).toMatch(/<gr:temp-gruu uri="sip:tgruu\.[\w-]+@lab\.example;gr" first-cseq="1"\/>/);
  });

  it('RFC 5628 §3.1: the NOTIFY carries the temp-GRUU the latest REGISTER was given, every time', async () => {
    const s = stack();
    /** The temp-GRUU of the 200 to a REGISTER with this CSeq. */
    const registerGruu = async (cseq: number): Promise<string> => {
      const start = s.sent.length;
      await s.receive(
        [
          `REGISTER sip:${AT} SIP/2.0`,
          `Via: SIP/2.0/UDP ${UE.address}:${UE.port};branch=z9hG4bK-reg-latest-${cseq};rport`,
          'Max-Forwards: 70',
          'From: <sip:1001@lab.example>;tag=r1001',
          'To: <sip:1001@lab.example>',
          'Call-ID: reg-latest',
          `CSeq: ${cseq} REGISTER`,
          'Supported: gruu',
          `Contact: <sip:1001@${UE.address}:${UE.port}>;+sip.instance="<urn:uuid:00000000-0000-0000-0000-000000000001>"`,
          'Expires: 600',
        ],
        UE,
      );
      const ok = s.sentTo(UE, start).find((m) => (m as SipResponse).status === 200) as SipResponse;
      return /temp-gruu="([^"]+)"/.exec(ok.header('contact')!)![1]!;
    };
    const tempOf = (n: SipRequest): string[] =>
      [...body(n).matchAll(/<gr:temp-gruu uri="([^"]+)" first-cseq="(\d+)"\/>/g)].map(
        (m) => `${m[1]} ${m[2]}`,
      );
    const first = await registerGruu(1);
    const start = s.sent.length;
    await s.receive(subscribe('1001'), UE);
    const ok = got(s, start).answers[0]!;
    // A refresh of the subscription: another full-state NOTIFY, the same temp-GRUU.
    await s.receive(resubscribe(ok, 2, 600), UE);
    const notifies = got(s, start).notifies;
    expect(notifies.map(tempOf)).toEqual([[`${first} 1`], [`${first} 1`]]);
    // A new REGISTER: a new temp-GRUU, and the NOTIFY it makes carries that one, with that CSeq.
    const second = await registerGruu(2);
    expect(second).not.toBe(first);
    expect(tempOf(got(s, start).notifies.at(-1)!)).toEqual([`${second} 2`]);
  });

  it('RFC 5626 §6: a device registering a new contact is one NOTIFY: the old one unregistered, the new registered', async () => {
    const s = stack();
    const device = (phone: Peer, cseq: number): string[] => [
      `REGISTER sip:${AT} SIP/2.0`,
      `Via: SIP/2.0/UDP ${phone.address}:${phone.port};branch=z9hG4bK-reg-device-${cseq};rport`,
      'Max-Forwards: 70',
      'From: <sip:1001@lab.example>;tag=r1001',
      'To: <sip:1001@lab.example>',
      `Call-ID: reg-device-${phone.port}`,
      `CSeq: ${cseq} REGISTER`,
      `Contact: <sip:1001@${phone.address}:${phone.port}>;+sip.instance="<urn:uuid:00000000-0000-0000-0000-000000000002>"`,
      'Expires: 600',
    ];
    await s.receive(device(UE, 1), UE);
    await s.receive(subscribe('1001'), UE);
    const before = s.sent.length;
    const moved: Peer = { ...UE, port: 40000 };
    await s.receive(device(moved, 2), moved);
    const notifies = got(s, before).notifies;
    expect(notifies).toHaveLength(1);
    const xml = body(notifies[0]!);
    expect(xml.match(/<contact /g)).toHaveLength(2);
    expect(xml).toMatch(
      /state="terminated" event="unregistered"[^>]*>\s*<uri>sip:1001@10\.0\.0\.5:5062<\/uri>/,
    );
    expect(xml).toMatch(/state="active" event="registered"[^>]*>\s*<uri>sip:1001@10\.0\.0\.5:40000<\/uri>/);
  });

  it('a binding that expires on the clock is told as expired', async () => {
    const s = stack();
    await register(s, 120, 1);
    await s.receive(subscribe('1001'), UE);
    await s.receive(answer(got(s, 0).notifies[0]!, 200), UE);
    const before = s.sent.length;
    s.advance(121_000);
    await new Promise((r) => setImmediate(r));
    const { notifies } = got(s, before);
    expect(notifies).toHaveLength(1);
    expect(body(notifies[0]!)).toMatch(/<contact [^>]*state="terminated" event="expired"/);
  });

  it('a refresh gets 200 and a NOTIFY; Expires 0 ends it with terminated;reason=timeout; then 481', async () => {
    const { s, ok } = await subscribed(600);
    expect(ok.expires).toBe(600);
    let before = s.sent.length;
    await s.receive(resubscribe(ok, 2, 900), UE);
    let seen = got(s, before);
    expect(seen.answers.map((a) => [a.status, a.expires])).toEqual([[200, 900]]);
    expect(seen.notifies.map((n) => n.header('subscription-state'))).toEqual(['active;expires=900']);
    before = s.sent.length;
    await s.receive(resubscribe(ok, 3, 0), UE);
    seen = got(s, before);
    expect(seen.answers.map((a) => a.status)).toEqual([200]);
    expect(seen.notifies.map((n) => n.header('subscription-state'))).toEqual(['terminated;reason=timeout']);
    before = s.sent.length;
    await s.receive(resubscribe(ok, 4, 600), UE);
    expect(got(s, before).answers.map((a) => a.status)).toEqual([481]);
    // Ended: a REGISTER tells nobody.
    before = s.sent.length;
    await register(s, 3600, 2);
    expect(got(s, before).notifies).toHaveLength(0);
  });

  it('a SUBSCRIBE with a To tag sent to the AOR, not our Contact, for no subscription we hold: 481, nothing new', async () => {
    // A phone that lost our Contact (or refreshes one we ended) toward its AOR: RFC 3261 §12.2.2. It
    // opened a new subscription whose NOTIFY's From carried the phone's To tag and ours.
    const s = stack();
    await register(s, 3600, 1);
    const before = s.sent.length;
    const tagged = subscribe('1001', ['Expires: 600']).map((l) =>
      l.startsWith('To:') ? `${l};tag=neverissued` : l,
    );
    await s.receive(tagged, UE);
    const seen = got(s, before);
    expect(seen.answers.map((a) => a.status)).toEqual([481]);
    expect(seen.notifies).toHaveLength(0);
  });

  it('the subscription times out on the clock with a last NOTIFY', async () => {
    const { s } = await subscribed(60);
    const before = s.sent.length;
    s.advance(59_000);
    expect(got(s, before).notifies).toHaveLength(0);
    s.advance(2_000);
    expect(got(s, before).notifies.map((n) => n.header('subscription-state'))).toEqual([
      'terminated;reason=timeout',
    ]);
  });

  it('a NOTIFY answered 481 ends the subscription: no more NOTIFYs', async () => {
    const { s } = await subscribed(undefined, 481);
    const before = s.sent.length;
    await register(s, 3600, 2);
    expect(got(s, before).notifies).toHaveLength(0);
  });

  it('a deleted user: the watchers are told "rejected" and the subscription ends', async () => {
    const { s } = await subscribed();
    const before = s.sent.length;
    s.location.removeAor(AOR, 'user-deleted');
    await new Promise((r) => setImmediate(r));
    const { notifies } = got(s, before);
    expect(notifies.map((n) => n.header('subscription-state'))).toEqual(['terminated;reason=rejected']);
    expect(body(notifies[0]!)).toMatch(/<contact [^>]*state="terminated" event="rejected"/);
  });

  /** 1001, with no binding, subscribed; the UE answered the first NOTIFY. */
  async function watchingWithoutBinding(): Promise<Stack> {
    const s = stack();
    const before = s.sent.length;
    await s.receive(subscribe('1001'), UE);
    const { answers, notifies } = got(s, before);
    expect(kinds(answers)).toEqual(['200']);
    expect(body(notifies[0]!)).not.toContain('<contact');
    await s.receive(answer(notifies[0]!, 200), UE);
    return s;
  }

  /** The users table changed (RMV USER, MOD USER...): the notifier is told, as the appliance tells it. */
  async function usersChanged(s: Stack): Promise<void> {
    s.regEvents.usersChanged();
    await new Promise((r) => setImmediate(r));
  }

  it('a user deleted while it has no binding: the watch ends at once, rejected; the name added again is not watched', async () => {
    const s = await watchingWithoutBinding();
    let before = s.sent.length;
    delete s.passwords['1001'];
    await usersChanged(s);
    const { notifies } = got(s, before);
    expect(notifies.map((n) => n.header('subscription-state'))).toEqual(['terminated;reason=rejected']);
    await s.receive(answer(notifies[0]!, 200), UE);
    expect(s.regEvents.size).toBe(0);

    // The name made again, for someone else, who registers: the old watcher hears nothing of it.
    s.passwords['1001'] = 'new-owner';
    s.created['1001'] = '2026-01-02T00:00:00';
    await usersChanged(s);
    before = s.sent.length;
    await register(s, 3600, 1, OTHER);
    expect(got(s, before).notifies).toHaveLength(0);
  });

  it('a user disabled while it has no binding: the watch ends, rejected, and stays ended once it is enabled again', async () => {
    const s = await watchingWithoutBinding();
    let before = s.sent.length;
    s.statuses['1001'] = 'INACTIVE';
    await usersChanged(s);
    expect(got(s, before).notifies.map((n) => n.header('subscription-state'))).toEqual([
      'terminated;reason=rejected',
    ]);
    delete s.statuses['1001'];
    await usersChanged(s);
    before = s.sent.length;
    await register(s, 3600, 1);
    expect(got(s, before).notifies).toHaveLength(0);
  });

  it('a user deleted and added again between two looks (another process): the old watch ends all the same', async () => {
    const s = await watchingWithoutBinding();
    const before = s.sent.length;
    s.created['1001'] = '2026-01-02T00:00:00';
    await usersChanged(s);
    expect(got(s, before).notifies.map((n) => n.header('subscription-state'))).toEqual([
      'terminated;reason=rejected',
    ]);
  });

  it('a user deleted with a binding: one NOTIFY, its contact rejected and the subscription terminated', async () => {
    const { s } = await subscribed();
    const before = s.sent.length;
    // RMV USER: the bindings go, then the users table is seen changed (after the statement).
    delete s.passwords['1001'];
    s.location.removeUser('1001', 'user-deleted');
    await usersChanged(s);
    const { notifies } = got(s, before);
    expect(notifies.map((n) => n.header('subscription-state'))).toEqual(['terminated;reason=rejected']);
    expect(body(notifies[0]!)).toMatch(/<contact [^>]*state="terminated" event="rejected"/);
  });

  it('a change to another user leaves the watch alone', async () => {
    const s = await watchingWithoutBinding();
    const before = s.sent.length;
    s.statuses['1002'] = 'INACTIVE';
    await usersChanged(s);
    expect(got(s, before).notifies).toHaveLength(0);
    expect(s.regEvents.size).toBe(1);
  });

  it('Expires 0 on a new SUBSCRIBE is a fetch: 200, one terminated NOTIFY, nothing kept', async () => {
    const { s, first } = await subscribed(0);
    expect(first.header('subscription-state')).toBe('terminated;reason=timeout');
    expect(body(first)).toMatch(/<contact [^>]*state="active"/);
    const before = s.sent.length;
    await register(s, 3600, 2);
    expect(got(s, before).notifies).toHaveLength(0);
  });
});

describe('RFC 3680 §4.6 and RFC 6665: what is refused', () => {
  async function refused(lines: string[]): Promise<SipResponse> {
    const s = stack();
    await register(s, 3600, 1);
    await register(s, 3600, 1, OTHER, '1002');
    const before = s.sent.length;
    await s.receive(lines, UE);
    const { answers, notifies } = got(s, before);
    expect(notifies).toHaveLength(0);
    expect(answers).toHaveLength(1);
    return answers[0]!;
  }

  it("another user's registrations, or a user that does not exist: the same 403", async () => {
    const other = await refused(subscribe('1002'));
    const nobody = await refused(subscribe('9999'));
    expect(other.status).toBe(403);
    expect([nobody.status, nobody.reasonText]).toEqual([403, other.reasonText]);
  });

  it('a From of another domain is nobody of ours: 403', async () => {
    // With no domains configured, any host name is ours (a lab's default); another server's address is not.
    expect((await refused(subscribe('1001', [], 'sip:1001@203.0.113.9'))).status).toBe(403);
  });

  it('423 with Min-Expires below 60 s; 406 for an Accept without reginfo; 400 without a Contact', async () => {
    const brief = await refused(subscribe('1001', ['Expires: 30']));
    expect([brief.status, brief.minExpires]).toEqual([423, 60]);
    expect((await refused(subscribe('1001', ['Accept: application/pidf+xml']))).status).toBe(406);
    const noContact = subscribe('1001').filter((l) => !l.startsWith('Contact:'));
    expect((await refused(noContact)).status).toBe(400);
    expect((await refused(subscribe('1001', ['Expires: soon']))).status).toBe(400);
  });

  it('an Accept that lists reginfo among others is fine; a long Expires is shortened to a day', async () => {
    const s = stack();
    await s.receive(
      subscribe('1001', ['Accept: application/pidf+xml, application/reginfo+xml', 'Expires: 600000']),
      UE,
    );
    const { answers, notifies } = got(s, 0);
    expect(answers.map((a) => [a.status, a.expires])).toEqual([[200, 86_400]]);
    // Nobody registered yet: the registration is in its init state.
    expect(body(notifies[0]!)).toMatch(/<registration [^>]*state="init">\s*<\/registration>/);
  });

  it('another event package is routed to the user as before (presence to the phone)', async () => {
    const s = stack();
    await register(s, 3600, 1, OTHER, '1002');
    const lines = subscribe('1002').map((l) => (l === 'Event: reg' ? 'Event: presence' : l));
    await s.receive(lines, UE);
    expect(kinds(s.sentTo(OTHER)).slice(-1)).toEqual(['SUBSCRIBE']);
  });
});
