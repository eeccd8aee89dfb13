// One binding per device (RFC 5626 §6, §5.3; core/sip/registrar/instance.ts), on the proxy tests' stack
// (fake clock, recorded sends): a phone with a +sip.instance that registers from a new Contact URI (a
// new port after a restart, another network) replaces its binding instead of adding a second one, so
// calls no longer fork to where it was; its flows (reg-id) are bindings of their own, but a request
// goes to one of them; contacts without an instance ID keep RFC 3261's key, the Contact URI.
import { describe, expect, it } from 'vitest';
import type { SipResponse } from '../../../../core/sip/message/index';
import type { RegistrationEvent } from '../../../../core/sip/registrar/binding';
import { onePerDevice, otherFlows, regIdOf, sameDevice } from '../../../../core/sip/registrar/instance';
import type { Peer } from '../../../../core/sip/transport/peer';
import { SERVER, inviteFrom, kinds, stack } from '../proxy/stack';

const AT = `${SERVER.address}:${SERVER.port}`;
const AOR = 'sip:1002@lab.example';
const CALLER: Peer = { transport: 'UDP', address: '10.0.0.5', port: 5062 };
const BEFORE: Peer = { transport: 'UDP', address: '10.0.0.6', port: 5064 };
const AFTER: Peer = { transport: 'UDP', address: '10.0.0.6', port: 41234 };
const DEVICE = 'urn:uuid:4427aefb-9dd6-0095-a890-54633b5bb463';

type Stack = ReturnType<typeof stack>;

interface Reg {
  instance?: string;
  regId?: number;
  expires?: number;
  callId?: string;
  cseq?: number;
}

/** 1002 registers from `phone`, its Contact that address; the 200 or the refusal. */
async function register(s: Stack, phone: Peer, r: Reg = {}): Promise<SipResponse> {
  const before = s.sent.length;
  const params =
    (r.regId === undefined ? '' : `;reg-id=${r.regId}`) +
    (r.instance === undefined ? '' : `;+sip.instance="<${r.instance}>"`);
  await s.receive(
    [
      `REGISTER sip:${AT} SIP/2.0`,
      `Via: SIP/2.0/UDP ${phone.address}:${phone.port};branch=z9hG4bK-${phone.port}-${r.callId ?? ''}-${r.cseq ?? 1}-${r.expires ?? 600};rport`,
      'Max-Forwards: 70',
      `From: <sip:1002@${SERVER.address}>;tag=r${phone.port}`,
      `To: <sip:1002@${SERVER.address}>`,
      `Call-ID: ${r.callId ?? `reg-${phone.port}`}`,
      `CSeq: ${r.cseq ?? 1} REGISTER`,
      `Contact: <sip:1002@${phone.address}:${phone.port}>${params}`,
      `Expires: ${r.expires ?? 600}`,
    ],
    phone,
  );
  return s.sentTo(phone, before)[0] as SipResponse;
}

/** The ports an INVITE to 1002 reached. */
async function rung(s: Stack, callId: string, phones: Peer[]): Promise<number[]> {
  const before = s.sent.length;
  await s.receive(inviteFrom(CALLER, `sip:1002@${AT}`, callId), CALLER);
  return phones.filter((p) => s.sentTo(p, before).some((m) => kinds([m])[0] === 'INVITE')).map((p) => p.port);
}

function events(s: Stack): RegistrationEvent[] {
  const seen: RegistrationEvent[] = [];
  s.location.on((e) => seen.push(e));
  return seen;
}

describe('one binding per device (RFC 5626 §6)', () => {
  it('a device registering a new Contact URI replaces its binding: one binding, calls ring it once', async () => {
    const s = stack();
    expect((await register(s, BEFORE, { instance: DEVICE })).status).toBe(200);
    const first = s.location.lookup(AOR)[0]!;
    const seen = events(s);
    s.advance(5_000);
    // Restarted on another port: a new Call-ID, a new Contact, the same instance.
    const ok = await register(s, AFTER, { instance: DEVICE, callId: 'after-restart' });
    expect(ok.status).toBe(200);
    expect(ok.contacts.map((c) => c.uriText)).toEqual([`sip:1002@10.0.0.6:${AFTER.port}`]);
    const now = s.location.lookup(AOR);
    expect(now).toHaveLength(1);
    expect(now[0]).toMatchObject({
      contact: `sip:1002@10.0.0.6:${AFTER.port}`,
      callId: 'after-restart',
      sourcePort: AFTER.port,
      createdAt: first.createdAt, // the same device's binding, so its temporary GRUUs stay valid
    });
    expect(seen.map((e) => [e.type, e.previous?.contact, e.binding.contact])).toEqual([
      ['refreshed', `sip:1002@10.0.0.6:${BEFORE.port}`, `sip:1002@10.0.0.6:${AFTER.port}`],
    ]);
    expect(await rung(s, 'call-1', [BEFORE, AFTER])).toEqual([AFTER.port]);
  });

  it('without an instance ID the Contact URI is the key (RFC 3261 §10.3): two bindings, both rung', async () => {
    const s = stack();
    await register(s, BEFORE);
    await register(s, AFTER, { callId: 'after-restart' });
    expect(s.location.lookup(AOR)).toHaveLength(2);
    expect(await rung(s, 'call-2', [BEFORE, AFTER])).toEqual([BEFORE.port, AFTER.port]);
  });

  it("Expires 0 from the new address removes the device's binding, whatever its Contact URI", async () => {
    const s = stack();
    await register(s, BEFORE, { instance: DEVICE });
    const other: Peer = { transport: 'UDP', address: '10.0.0.8', port: 5080 };
    await register(s, other); // another phone of the user, no instance
    const ok = await register(s, AFTER, { instance: DEVICE, expires: 0, callId: 'after-restart' });
    expect(ok.status).toBe(200);
    expect(s.location.lookup(AOR).map((b) => b.sourcePort)).toEqual([other.port]);
  });

  it('a device moving onto a Contact URI another binding has takes it over; the count stays right', async () => {
    const s = stack();
    await register(s, AFTER); // an old binding of that address, without an instance
    await register(s, BEFORE, { instance: DEVICE });
    const ok = await register(s, AFTER, { instance: DEVICE, callId: 'moved-back' });
    expect(ok.status).toBe(200);
    const now = s.location.lookup(AOR);
    expect(now).toHaveLength(1);
    expect(now[0]).toMatchObject({ contact: `sip:1002@10.0.0.6:${AFTER.port}`, callId: 'moved-back' });
  });

  it('§5.3: two flows (reg-id) of one device are two bindings, but a call reaches only the latest', async () => {
    const s = stack();
    await register(s, BEFORE, { instance: DEVICE, regId: 1 });
    s.advance(1_000);
    await register(s, AFTER, { instance: DEVICE, regId: 2 });
    expect(s.location.lookup(AOR)).toHaveLength(2);
    expect(await rung(s, 'call-3', [BEFORE, AFTER])).toEqual([AFTER.port]);
    s.advance(1_000);
    await register(s, BEFORE, { instance: DEVICE, regId: 1, cseq: 2 }); // flow 1 refreshed: now the latest
    expect(await rung(s, 'call-4', [BEFORE, AFTER])).toEqual([BEFORE.port]);
  });

  it('an out-of-order REGISTER of the device (same Call-ID, lower CSeq) changes nothing', async () => {
    const s = stack();
    await register(s, BEFORE, { instance: DEVICE, cseq: 5, callId: 'one-call-id' });
    const late = await register(s, AFTER, { instance: DEVICE, cseq: 4, callId: 'one-call-id' });
    expect(late.status).toBe(500);
    expect(s.location.lookup(AOR).map((b) => b.sourcePort)).toEqual([BEFORE.port]);
  });
});

describe('a Contact too long to list', () => {
  it('a 20,000-character instance ID is refused with 400 and stored nowhere; the next phone registers', async () => {
    const s = stack();
    const huge = await register(s, BEFORE, { instance: `urn:uuid:${'b'.repeat(20_000)}` });
    expect(`${huge.status} ${huge.reasonText}`).toBe(
      '400 Contact too long (at most 1024 characters with its parameters)',
    );
    expect(s.location.lookup(AOR)).toEqual([]);
    expect((await register(s, AFTER, { instance: DEVICE })).status).toBe(200);
  });
});

describe('instance.ts', () => {
  const b = (contactParams: string, updatedAt = 0) =>
    ({ contactParams, updatedAt }) as Parameters<typeof onePerDevice>[0][number];

  it('reads reg-id; matches a device by instance and reg-id together', () => {
    expect(regIdOf(';reg-id=2;+sip.instance="<urn:uuid:a>"')).toBe('2');
    expect(regIdOf(';+sip.instance="<urn:uuid:a>"')).toBe('');
    const one = b(';+sip.instance="<urn:uuid:A>";reg-id=1');
    const two = b(';+sip.instance="<urn:uuid:a>";reg-id=2');
    const none = b(';+sip.instance="<urn:uuid:a>"');
    expect(sameDevice([one, two, none], ';reg-id=2;+sip.instance="<urn:uuid:a>"')).toBe(two);
    expect(sameDevice([one, two, none], ';+sip.instance="<URN:UUID:A>"')).toBe(none);
    expect(sameDevice([one, two], ';+sip.instance="<urn:uuid:a>"')).toBeUndefined();
    expect(sameDevice([one, two, none], ';reg-id=1')).toBeUndefined();
  });

  it('keeps one binding per device, the latest, and every binding without an instance, in order', () => {
    const plain = b(';transport=udp');
    const old = b(';+sip.instance="<urn:uuid:a>";reg-id=1', 1);
    const other = b(';+sip.instance="<urn:uuid:b>"', 1);
    const latest = b(';+sip.instance="<urn:uuid:a>";reg-id=2', 2);
    expect(onePerDevice([plain, old, other, latest])).toEqual([plain, other, latest]);
    const two = [plain, b('')];
    expect(onePerDevice(two)).toBe(two);
  });

  it("lists a device's other flows, newest first (RFC 5626 §5.3), none for a binding without an instance", () => {
    const plain = b(';transport=udp');
    const first = b(';+sip.instance="<urn:uuid:a>";reg-id=1', 1);
    const other = b(';+sip.instance="<urn:uuid:b>";reg-id=1', 5);
    const third = b(';+sip.instance="<urn:uuid:A>";reg-id=3', 3);
    const latest = b(';+sip.instance="<urn:uuid:a>";reg-id=2', 4);
    const all = [plain, first, other, third, latest];
    expect(otherFlows(all, latest)).toEqual([third, first]);
    expect(otherFlows(all, other)).toEqual([]);
    expect(otherFlows(all, plain)).toEqual([]);
    expect(otherFlows([latest], latest)).toEqual([]);
  });
});

describe('two devices at the same private Contact behind two NATs (RFC 5626 §6)', () => {
  const SITE_A: Peer = { transport: 'UDP', address: '203.0.113.7', port: 40005 };
  const SITE_B: Peer = { transport: 'UDP', address: '198.51.100.9', port: 40060 };
  const CONTACT = '<sip:1002@192.168.77.10:5060>';
  const reg = (s: Stack, from: Peer, instance: string, expires: number, cseq: number) =>
    s.receive(
      [
        `REGISTER sip:${AT} SIP/2.0`,
        `Via: SIP/2.0/UDP 192.168.77.10:5060;branch=z9hG4bK-nat-${from.port}-${cseq};rport`,
        'Max-Forwards: 70',
        `From: <sip:1002@${SERVER.address}>;tag=r${from.port}`,
        `To: <sip:1002@${SERVER.address}>`,
        `Call-ID: reg-nat-${from.port}`,
        `CSeq: ${cseq} REGISTER`,
        `Contact: ${CONTACT};+sip.instance="<${instance}>"`,
        `Expires: ${expires}`,
      ],
      from,
    );

  it("leaves the other device's binding when one unregisters its Contact", async () => {
    const s = stack();
    await reg(s, SITE_A, 'urn:uuid:00000000-0000-0000-0000-00000000000a', 600, 1);
    await reg(s, SITE_B, 'urn:uuid:00000000-0000-0000-0000-00000000000b', 600, 1);
    // A unregisters: its Contact URI is B's binding now, not A's to remove.
    await reg(s, SITE_A, 'urn:uuid:00000000-0000-0000-0000-00000000000a', 0, 2);
    const left = s.location.lookup(AOR);
    expect(left).toHaveLength(1);
    expect(left[0]!.sourcePort).toBe(SITE_B.port);
    expect(await rung(s, 'two-sites', [SITE_A, SITE_B])).toEqual([SITE_B.port]);
  });
});
