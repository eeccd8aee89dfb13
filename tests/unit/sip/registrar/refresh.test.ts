// A registration refreshed (RFC 3261 §10.3 step 7): the binding takes what the new REGISTER changed and
// keeps the rest (the registrar reuses its copies of what did not change), and the 200's Date (§20.17)
// follows the clock second by second. On the proxy tests' stack (fake clock, recorded sends).
import { describe, expect, it } from 'vitest';
import type { SipRequest, SipResponse } from '../../../../core/sip/message/index';
import type { Peer } from '../../../../core/sip/transport/peer';
import { CALLER } from '../proxy/call-steps';
import { SERVER, inviteFrom, kinds, stack } from '../proxy/stack';

const PHONE: Peer = { transport: 'UDP', address: '10.0.0.6', port: 5064 };
const AT = `${SERVER.address}:${SERVER.port}`;
const AOR = 'sip:1002@lab.example';

type Stack = ReturnType<typeof stack>;

interface Refresh {
  from?: Peer;
  cseq: number;
  callId?: string;
  userAgent?: string;
  toParams?: string;
  /** The Contact and Expires lines (default: the phone's contact for 600 s). */
  contact?: string[];
}

async function register(s: Stack, r: Refresh): Promise<SipResponse> {
  const from = r.from ?? PHONE;
  const before = s.sent.length;
  await s.receive(
    [
      `REGISTER sip:${AT} SIP/2.0`,
      `Via: SIP/2.0/UDP ${from.address}:${from.port};branch=z9hG4bK-refresh-${r.cseq};rport`,
      'Max-Forwards: 70',
      `From: <sip:1002@${SERVER.address}>;tag=r1002`,
      `To: <sip:1002@${AT}${r.toParams ?? ''}>`,
      `Call-ID: ${r.callId ?? 'refresh-call-id-of-some-length@10.0.0.6'}`,
      `CSeq: ${r.cseq} REGISTER`,
      `User-Agent: ${r.userAgent ?? 'phone/1.0 (lab bench)'}`,
      ...(r.contact ?? [`Contact: <sip:1002@${PHONE.address}:${PHONE.port}>`, 'Expires: 600']),
    ],
    from,
  );
  const answers = s.sentTo(from, before);
  expect(answers).toHaveLength(1);
  return answers[0] as SipResponse;
}

describe('a refreshed binding', () => {
  it('takes what changed (source, User-Agent, Call-ID, registered AOR) and keeps the rest', async () => {
    const s = stack();
    expect((await register(s, { cseq: 1 })).status).toBe(200);
    const first = s.location.lookup(AOR)[0]!;
    expect(first).toMatchObject({
      callId: 'refresh-call-id-of-some-length@10.0.0.6',
      userAgent: 'phone/1.0 (lab bench)',
      sourceAddress: '10.0.0.6',
      sourcePort: 5064,
      registeredAor: `sip:1002@${AT}`,
    });

    s.advance(1_000);
    await register(s, { cseq: 2 });
    const same = s.location.lookup(AOR)[0]!;
    expect(same).toEqual({ ...first, cseq: 2, expiresAt: first.expiresAt + 1_000, updatedAt: s.now() });

    s.advance(1_000);
    const moved: Peer = { transport: 'UDP', address: '10.0.0.9', port: 5099 };
    await register(s, { cseq: 3, from: moved, userAgent: 'phone/2.0', toParams: ';user=phone' });
    expect(s.location.lookup(AOR)[0]).toMatchObject({
      callId: first.callId,
      userAgent: 'phone/2.0',
      sourceAddress: '10.0.0.9',
      sourcePort: 5099,
      registeredAor: `sip:1002@${AT}`,
      createdAt: first.createdAt,
    });

    await register(s, { cseq: 1, from: moved, callId: 'a-new-call-id-after-a-reboot@10.0.0.9' });
    expect(s.location.lookup(AOR)).toHaveLength(1);
    expect(s.location.lookup(AOR)[0]).toMatchObject({
      callId: 'a-new-call-id-after-a-reboot@10.0.0.9',
      cseq: 1,
      userAgent: 'phone/1.0 (lab bench)',
    });
  });
});

describe('a refresh whose Contact is the same URI written another way (§19.1.4: ;line= only on one side)', () => {
  it('keeps one binding, under the Contact as now written: requests for the AOR carry its ;line=', async () => {
    const s = stack();
    const plain = `sip:1002@${PHONE.address}:${PHONE.port}`;
    expect((await register(s, { cseq: 1, contact: [`Contact: <${plain}>`, 'Expires: 600'] })).status).toBe(
      200,
    );
    const ok = await register(s, { cseq: 2, contact: [`Contact: <${plain};line=abc>`, 'Expires: 600'] });
    expect(ok.contacts.map((c) => c.uriText)).toEqual([`${plain};line=abc`]);
    expect(s.location.lookup(AOR).map((b) => b.contact)).toEqual([`${plain};line=abc`]);
    const start = s.sent.length;
    await s.receive(inviteFrom(CALLER, `sip:1002@${SERVER.address}`, 'line-call'), CALLER);
    const invite = s.sentTo(PHONE, start).find((m) => kinds([m])[0] === 'INVITE') as SipRequest;
    expect(invite.uri).toBe(`${plain};line=abc`);
  });
});

describe("the 200's Date header", () => {
  it('is the clock in GMT, the same within a second and the next one after it', async () => {
    const s = stack();
    const start = s.now();
    expect(start % 1000).toBe(0);
    expect((await register(s, { cseq: 1 })).header('date')).toBe(new Date(start).toUTCString());
    s.advance(900);
    expect((await register(s, { cseq: 2 })).header('date')).toBe(new Date(start).toUTCString());
    s.advance(200);
    expect((await register(s, { cseq: 3 })).header('date')).toBe(new Date(start + 1000).toUTCString());
    s.advance(3_600_000);
    expect((await register(s, { cseq: 4 })).header('date')).toBe(new Date(s.now() - 100).toUTCString());
  });
});

describe('an unregistration', () => {
  // Its CDR row carries the CSeq and Call-ID of the REGISTER that removed the binding (reference §3.2:
  // "the CSeq of the last update"), not the binding's last refresh.
  it.each([
    ['Expires: 0', [`Contact: <sip:1002@${PHONE.address}:${PHONE.port}>`, 'Expires: 0']],
    ['Contact: *', ['Contact: *', 'Expires: 0']],
  ])('by %s tells the request it came with', async (_name, contact) => {
    const s = stack();
    const removed: unknown[] = [];
    s.location.on((e) => e.type === 'removed' && removed.push([e.cause, e.request]));
    expect((await register(s, { cseq: 3 })).status).toBe(200);
    expect((await register(s, { cseq: 5, callId: 'another-call-id@10.0.0.6', contact })).status).toBe(200);
    expect(removed).toEqual([['unregister', { callId: 'another-call-id@10.0.0.6', cseq: 5 }]]);
  });
});
