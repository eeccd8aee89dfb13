// GRUUs (RFC 5627) on the proxy tests' stack (fake clock, recorded sends): a phone that registers with
// Supported: gruu and a +sip.instance gets a public and a temporary GRUU in its 200 (§6.2); a request
// to either reaches that device only, never the user's other one (§7), in a dialog too (the ACK of a
// 2xx as well); a temporary
// GRUU stops reaching it once its binding has gone (480), and one we never made is a 404.
import { describe, expect, it } from 'vitest';
import type { SipRequest, SipResponse } from '../../../../core/sip/message/index';
import { paramValue } from '../../../../core/sip/message/scanner';
import { GruuMaker } from '../../../../core/sip/registrar/gruu';
import { instanceOf } from '../../../../core/sip/registrar/instance';
import { SILENT_LOG } from '../../../../core/observe/log';
import type { Peer } from '../../../../core/sip/transport/peer';
import { SERVER, inviteFrom, kinds, stack } from './stack';

const DESK: Peer = { transport: 'UDP', address: '10.0.0.6', port: 5064 };
const MOBILE: Peer = { transport: 'UDP', address: '10.0.0.7', port: 5066 };
const CALLER: Peer = { transport: 'UDP', address: '10.0.0.5', port: 5062 };
const AT = `${SERVER.address}:${SERVER.port}`;
const INSTANCE = 'urn:uuid:4427aefb-9dd6-0095-a890-54633b5bb463';

type Stack = ReturnType<typeof stack>;

/** 1002 registers `phone` (with `instance`, and Supported: gruu unless `supported` is false). */
async function register(
  s: Stack,
  phone: Peer,
  o: { instance?: string; supported?: boolean; expires?: number; cseq?: number } = {},
): Promise<SipResponse> {
  const before = s.sent.length;
  const instance = o.instance === undefined ? '' : `;+sip.instance="<${o.instance}>"`;
  await s.receive(
    [
      `REGISTER sip:${AT} SIP/2.0`,
      `Via: SIP/2.0/UDP ${phone.address}:${phone.port};branch=z9hG4bK-reg-${phone.port}-${o.cseq ?? 1};rport`,
      'Max-Forwards: 70',
      `From: <sip:1002@${SERVER.address}>;tag=r${phone.port}`,
      `To: <sip:1002@${SERVER.address}>`,
      `Call-ID: reg-${phone.port}`,
      `CSeq: ${o.cseq ?? 1} REGISTER`,
      ...(o.supported === false ? [] : ['Supported: replaces, outbound, gruu']),
      `Contact: <sip:1002@${phone.address}:${phone.port};transport=udp>${instance}`,
      `Expires: ${o.expires ?? 3600}`,
    ],
    phone,
  );
  return s.sentTo(phone, before).find((m) => kinds([m])[0] !== 'NOTIFY') as SipResponse;
}

/** The pub-gruu and temp-gruu of the 200's Contact for `phone`. */
function gruusOf(ok: SipResponse, phone: Peer): { pub: string | undefined; temp: string | undefined } {
  const c = ok.contacts.find((x) => x.uriText.includes(`:${phone.port}`))!;
  const read = (name: string): string | undefined => {
    const v = paramValue(c.params, name);
    return typeof v === 'string' ? v.replace(/^"|"$/g, '') : undefined;
  };
  return { pub: read('pub-gruu'), temp: read('temp-gruu') };
}

/** Where an INVITE to `uri` went: the phones that got it, or the caller's final answer. */
async function reach(
  s: Stack,
  uri: string,
  callId: string,
): Promise<{ phones: number[]; answer?: SipResponse }> {
  const before = s.sent.length;
  await s.receive(inviteFrom(CALLER, uri, callId), CALLER);
  const phones = [DESK, MOBILE]
    .filter((p) => s.sentTo(p, before).some((m) => kinds([m])[0] === 'INVITE'))
    .map((p) => p.port);
  const answer = s.sentTo(CALLER, before).find((m) => (m as SipResponse).status >= 300) as
    SipResponse | undefined;
  return { phones, ...(answer === undefined ? {} : { answer }) };
}

describe('RFC 5627 GRUUs', () => {
  it('§6.2: a phone with an instance ID and Supported: gruu gets both GRUUs; a new temporary one each time', async () => {
    const s = stack();
    const first = gruusOf(await register(s, DESK, { instance: INSTANCE }), DESK);
    expect(first.pub).toBe(`sip:1002@lab.example;gr=${INSTANCE}`);
    expect(first.temp).toMatch(/^sip:tgruu\.[A-Za-z0-9_-]{40,}@lab\.example;gr$/);
    expect(first.temp).not.toContain('1002'); // §3.2: it does not say whose it is
    const again = gruusOf(await register(s, DESK, { instance: INSTANCE, cseq: 2 }), DESK);
    expect(again.pub).toBe(first.pub);
    expect(again.temp).not.toBe(first.temp);
  });

  it('none without Supported: gruu, and none for a contact without an instance ID', async () => {
    const s = stack();
    expect(gruusOf(await register(s, DESK, { instance: INSTANCE, supported: false }), DESK)).toEqual({
      pub: undefined,
      temp: undefined,
    });
    const ok = await register(s, MOBILE);
    expect(gruusOf(ok, MOBILE)).toEqual({ pub: undefined, temp: undefined });
    // The desk phone's binding is listed in that 200 too, with its GRUUs (the REGISTER supports them).
    expect(gruusOf(ok, DESK).pub).toBe(`sip:1002@lab.example;gr=${INSTANCE}`);
  });

  it('§7: the AOR rings both devices; the public and the temporary GRUU ring only the desk phone', async () => {
    const s = stack();
    const { pub, temp } = gruusOf(await register(s, DESK, { instance: INSTANCE }), DESK);
    await register(s, MOBILE, { instance: 'urn:uuid:00000000-0000-0000-0000-00000000abcd' });
    expect((await reach(s, `sip:1002@${AT}`, 'aor')).phones).toEqual([DESK.port, MOBILE.port]);
    expect((await reach(s, pub!, 'pub')).phones).toEqual([DESK.port]);
    expect((await reach(s, temp!, 'temp')).phones).toEqual([DESK.port]);
    // Retargeted to the registered contact (§16.5), as for the AOR.
    const forwarded = s.sentTo(DESK).filter((m) => kinds([m])[0] === 'INVITE') as SipRequest[];
    expect(forwarded.map((m) => m.uri)).toEqual(
      Array(3).fill(`sip:1002@${DESK.address}:${DESK.port};transport=udp`),
    );
    // Dialled with the GRUU in To too, as phones do: the call's callee is 1002 for the CDR, not the
    // temporary GRUU's opaque token.
    const toGruu = inviteFrom(CALLER, temp!, 'temp-to').map((l) =>
      l.startsWith('To:') ? `To: <${temp}>` : l,
    );
    await s.receive(toGruu, CALLER);
    const callee = s.callEvents.find((e) => e.type === 'started' && e.call.callId === 'temp-to')!.call.callee;
    expect([callee.uri, callee.number]).toEqual([temp, '1002']);
  });

  it('RFC 3261 §26.2.2: a sips: GRUU never goes down to a phone registered over UDP: 480', async () => {
    const s = stack();
    const { pub, temp } = gruusOf(await register(s, DESK, { instance: INSTANCE }), DESK);
    for (const [uri, id] of [
      [pub!.replace(/^sip:/, 'sips:'), 'sips-pub'],
      [temp!.replace(/^sip:/, 'sips:'), 'sips-temp'],
    ] as const) {
      const { phones, answer } = await reach(s, uri, id);
      expect(phones).toEqual([]);
      expect(`${answer?.status} ${answer?.reasonText}`).toBe(
        '480 Temporarily Unavailable (no TLS registration for a sips: URI)',
      );
    }
  });

  it('in a dialog: a BYE to the callee GRUU, with our Route, reaches that device', async () => {
    const s = stack();
    const { pub } = gruusOf(await register(s, DESK, { instance: INSTANCE }), DESK);
    const before = s.sent.length;
    await s.receive(
      [
        `BYE ${pub} SIP/2.0`,
        `Via: SIP/2.0/UDP ${CALLER.address}:${CALLER.port};branch=z9hG4bK-bye;rport`,
        'Max-Forwards: 70',
        `Route: <sip:${AT};lr>`,
        `From: <sip:1001@${SERVER.address}>;tag=caller`,
        `To: <sip:1002@${SERVER.address}>;tag=desk`,
        'Call-ID: dialog-1',
        'CSeq: 2 BYE',
      ],
      CALLER,
    );
    expect(kinds(s.sentTo(DESK, before))).toEqual(['BYE']);
  });

  it('in a dialog: the ACK for a 2xx to the callee GRUU, with our Route, reaches that device', async () => {
    // Stateless (§13.2.2.4): with our Route gone, the Request-URI is the GRUU, a name only the location
    // service resolves (it used to be looked up in DNS, and the ACK was lost).
    const s = stack();
    const { pub, temp } = gruusOf(await register(s, DESK, { instance: INSTANCE }), DESK);
    for (const gruu of [pub!, temp!]) {
      const before = s.sent.length;
      await s.receive(
        [
          `ACK ${gruu} SIP/2.0`,
          `Via: SIP/2.0/UDP ${CALLER.address}:${CALLER.port};branch=z9hG4bK-ack-${before};rport`,
          'Max-Forwards: 70',
          `Route: <sip:${AT};lr>`,
          `From: <sip:1001@${SERVER.address}>;tag=caller`,
          `To: <sip:1002@${SERVER.address}>;tag=desk`,
          'Call-ID: dialog-2',
          'CSeq: 1 ACK',
        ],
        CALLER,
      );
      const acks = s.sentTo(DESK, before) as SipRequest[];
      expect(kinds(acks)).toEqual(['ACK']);
      expect(acks[0]!.uri).toBe(`sip:1002@${DESK.address}:${DESK.port};transport=udp`);
    }
  });

  it('a phone that unregisters while ringing, then answers with its GRUU as Contact: the ACK still reaches it', async () => {
    // Linphone does: the GRUU resolves to no binding now (480 for a request), but an ACK cannot be
    // answered; dropped, the phone retransmitted its 200 and hung up after 64*T1 (§13.3.1.4).
    const s = stack();
    const { pub } = gruusOf(await register(s, DESK, { instance: INSTANCE }), DESK);
    await s.receive(inviteFrom(CALLER, `sip:1002@${AT}`, 'ring-unreg'), CALLER);
    const invite = s.sentTo(DESK).findLast((m) => kinds([m])[0] === 'INVITE') as SipRequest;
    const answer = (status: string): string[] => [
      `SIP/2.0 ${status}`,
      ...invite.headerValues('via').map((v) => `Via: ${v}`),
      ...invite.recordRoutes.map((r) => `Record-Route: ${r.raw}`),
      `From: ${invite.header('from')}`,
      `To: ${invite.header('to')};tag=desk`,
      `Call-ID: ${invite.callId}`,
      'CSeq: 1 INVITE',
      `Contact: <${pub}>`,
    ];
    await s.receive(answer('180 Ringing'), DESK);
    await register(s, DESK, { instance: INSTANCE, expires: 0, cseq: 2 });
    const before = s.sent.length;
    await s.receive(answer('200 OK'), DESK);
    const ok = s.sentTo(CALLER, before).find((m) => kinds([m])[0] === '200') as SipResponse;
    expect(ok.contacts[0]!.uriText).toBe(pub);

    const acked = s.sent.length;
    await s.receive(
      [
        `ACK ${pub} SIP/2.0`,
        `Via: SIP/2.0/UDP ${CALLER.address}:${CALLER.port};branch=z9hG4bK-ack-ring-unreg;rport`,
        'Max-Forwards: 70',
        ...ok.recordRoutes.map((r) => `Route: ${r.raw}`),
        `From: <sip:1001@${SERVER.address}>;tag=caller`,
        `To: ${ok.header('to')}`,
        'Call-ID: ring-unreg',
        'CSeq: 1 ACK',
      ],
      CALLER,
    );
    const acks = s.sentTo(DESK, acked) as SipRequest[];
    expect(kinds(acks)).toEqual(['ACK']);
    expect(acks[0]!.uri).toBe(pub);
    expect(acks[0]!.callId).toBe('ring-unreg');
  });

  it('the ACK to a GRUU with no device, in no call of ours: dropped with a DEBUG line (not a WARNING a packet), not silently', async () => {
    const warnings: string[] = [];
    const s = stack({}, { log: { ...SILENT_LOG, debug: (m) => warnings.push(m) } });
    const { pub } = gruusOf(await register(s, DESK, { instance: INSTANCE }), DESK);
    await register(s, DESK, { instance: INSTANCE, expires: 0, cseq: 2 });
    const before = s.sent.length;
    await s.receive(
      [
        `ACK ${pub} SIP/2.0`,
        `Via: SIP/2.0/UDP ${CALLER.address}:${CALLER.port};branch=z9hG4bK-ack-nobody;rport`,
        'Max-Forwards: 70',
        `Route: <sip:${AT};lr>`,
        `From: <sip:1001@${SERVER.address}>;tag=caller`,
        `To: <sip:1002@${SERVER.address}>;tag=desk`,
        'Call-ID: no-such-call',
        'CSeq: 1 ACK',
      ],
      CALLER,
    );
    expect(s.sent.length).toBe(before);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^ACK sip:1002@lab\.example;gr=\S+ \(Call-ID no-such-call\) dropped: its GRUU answers 480 /,
      ),
    ]);
  });

  it('RFC 5627 §3.1: an instance ID with `;`, `=`, `?`, `@` or `%` is escaped in the public GRUU, which reaches its device', async () => {
    const cases: [string, string][] = [
      // RFC 7254: an IMS phone's IMEI URN with its software version.
      ['urn:gsma:imei:35209900-176148-1;svn=12', 'urn:gsma:imei:35209900-176148-1%3Bsvn%3D12'],
      ['urn:foo:a;b=c', 'urn:foo:a%3Bb%3Dc'],
      ['urn:x:a%20b', 'urn:x:a%2520b'],
      ['urn:x:a?b=c@d', 'urn:x:a%3Fb%3Dc%40d'],
    ];
    for (const [i, [instance, gr]] of cases.entries()) {
      const s = stack();
      const { pub, temp } = gruusOf(await register(s, DESK, { instance }), DESK);
      expect(pub).toBe(`sip:1002@lab.example;gr=${gr}`);
      await register(s, MOBILE, { instance: 'urn:uuid:00000000-0000-0000-0000-00000000abcd' });
      expect((await reach(s, pub!, `escaped-${i}`)).phones, instance).toEqual([DESK.port]);
      expect((await reach(s, temp!, `escaped-temp-${i}`)).phones, instance).toEqual([DESK.port]);
    }
  });

  it('RFC 5626 §4.1: a +sip.instance that is not a URN is refused 400, naming it; nothing is bound', async () => {
    const s = stack();
    for (const [i, instance] of ['http://evil/x', 'uuid:4427aefb', 'urn:uuid'].entries()) {
      const answer = await register(s, DESK, { instance, cseq: i + 1 });
      expect(`${answer.status} ${answer.reasonText}`).toBe(
        `400 Bad Request (+sip.instance "<${instance}>" is not a URN, RFC 5626 §4.1)`,
      );
    }
    expect(s.location.lookup('sip:1002@lab.example')).toEqual([]);
  });

  it('a temporary GRUU of a binding that has gone: 480, even once the device registers anew; a forged one: 404', async () => {
    const s = stack();
    const { temp } = gruusOf(await register(s, DESK, { instance: INSTANCE }), DESK);
    await register(s, DESK, { instance: INSTANCE, expires: 0, cseq: 2 });
    expect((await reach(s, temp!, 'gone')).answer?.status).toBe(480);
    s.advance(1000); // another binding, made a second later
    const renewed = gruusOf(await register(s, DESK, { instance: INSTANCE, cseq: 3 }), DESK);
    expect((await reach(s, temp!, 'old')).answer?.status).toBe(480);
    expect((await reach(s, renewed.temp!, 'new')).phones).toEqual([DESK.port]);
    expect((await reach(s, renewed.pub!, 'public')).phones).toEqual([DESK.port]);
    const forged = temp!.replace(/tgruu\.(.)/, (_, c: string) => `tgruu.${c === 'A' ? 'B' : 'A'}`);
    expect((await reach(s, forged, 'forged')).answer?.status).toBe(404);
  });
});

describe('the GRUU maker', () => {
  it('reads back what it sealed, under its own key only', () => {
    const maker = new GruuMaker(Buffer.alloc(32, 1));
    const named = { user: '1001', instance: INSTANCE, createdAt: 1234 };
    const temp = maker.temporaryGruu('ims.lab', named, 'reg-1\n1');
    const user = /^sip:([^@]+)@/.exec(temp)![1]!;
    // The GRUU of one REGISTER is the same each time it is asked for (RFC 5628 §3.1: the NOTIFY repeats
    // the 200's); another REGISTER's is another, and neither says whose it is.
    expect(maker.temporaryGruu('ims.lab', named, 'reg-1\n1')).toBe(temp);
    const next = maker.temporaryGruu('ims.lab', named, 'reg-1\n2');
    expect(next).not.toBe(temp);
    expect(maker.readTemporary(/^sip:([^@]+)@/.exec(next)![1]!)).toEqual(named);
    expect(temp).not.toContain('1001');
    expect(maker.readTemporary(user)).toEqual({ user: '1001', instance: INSTANCE, createdAt: 1234 });
    expect(new GruuMaker(Buffer.alloc(32, 2)).readTemporary(user)).toBeUndefined();
    expect(maker.readTemporary('tgruu.short')).toBeUndefined();
    expect(maker.readTemporary('1001')).toBeUndefined();
  });

  it("finds the instance ID among a Contact's parameters, lower-case", () => {
    expect(instanceOf(';reg-id=1;+sip.instance="<urn:uuid:ABC-1>"')).toBe('urn:uuid:abc-1');
    expect(instanceOf(';+sip.instance = "<urn:gsma:imei:35-2099-001>";x=1')).toBe(
      'urn:gsma:imei:35-2099-001',
    );
    expect(instanceOf(';x=instance')).toBeUndefined();
    expect(instanceOf('')).toBeUndefined();
  });
});
