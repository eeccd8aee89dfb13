// A call whose next hop is named by a host starts when its INVITE arrives, not when the name has been
// looked up: its start (the CDR's invite_time, the "started" log line) and its setup time count a slow
// DNS, and DSP CALL shows it while the name is looked up. They started once the lookup ended, hiding
// 3 s of post-dial delay (a lab measures PDD from these). A lookup the test answers, a fake clock.
import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import type { SipRequest } from '../../../../core/sip/message/index';
import { CALLER, answerLines, inviteLines } from './call-steps';
import { kinds, stack } from './stack';

const UAS = { transport: 'UDP' as const, address: '192.0.2.77', port: 5090 };

function heldLookup() {
  const held: { resolve: (a: LookupAddress[]) => void; reject: (e: Error) => void }[] = [];
  const lookup = (): Promise<LookupAddress[]> =>
    new Promise((resolve, reject) => held.push({ resolve, reject }));
  return { held, lookup };
}

const invite = (callId: string): string[] => [...inviteLines(callId), `Route: <sip:slow.lab:${UAS.port};lr>`];

describe('a call whose next hop is looked up', () => {
  it('starts at the INVITE, is listed meanwhile, and its setup time counts the lookup', async () => {
    const { held, lookup } = heldLookup();
    const s = stack({ relayForeign: true }, { lookup });
    const arrived = s.now();
    await s.receive(invite('pdd-lookup'), CALLER);
    expect(s.calls.list().map((c) => [c.callId, c.state, c.startedAt])).toEqual([
      ['pdd-lookup', 'calling', arrived],
    ]);
    expect(s.callEvents.map((e) => e.type)).toEqual(['started']);
    s.advance(3000); // the lab DNS answers after 3 s
    held[0]!.resolve([{ address: UAS.address, family: 4 }]);
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    const forwarded = s.sentTo(UAS).find((m) => kinds([m])[0] === 'INVITE') as SipRequest;
    expect(forwarded).toBeDefined();
    s.advance(100);
    await s.receive(answerLines(forwarded, '200 OK'), UAS);
    const answered = s.callEvents.filter((e) => e.type === 'answered').map((e) => e.call);
    expect(answered.map((c) => [c.startedAt, c.answeredAt! - c.startedAt])).toEqual([[arrived, 3100]]);
    expect(s.callEvents.filter((e) => e.type === 'started')).toHaveLength(1);
  });

  it('a name that does not resolve: the call started at the INVITE fails with the 500', async () => {
    const { held, lookup } = heldLookup();
    const s = stack({ relayForeign: true }, { lookup });
    const arrived = s.now();
    await s.receive(invite('dead-lookup'), CALLER);
    s.advance(10_000);
    held[0]!.reject(
      Object.assign(new Error('getaddrinfo EAI_AGAIN slow.lab'), { code: 'EAI_AGAIN', hostname: 'slow.lab' }),
    );
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    const ended = s.callEvents.filter((e) => e.type === 'ended').map((e) => e.call);
    expect(ended.map((c) => [c.state, c.statusCode, c.startedAt, c.endedAt! - c.startedAt])).toEqual([
      ['failed', 500, arrived, 10_000],
    ]);
    expect(s.calls.list()).toEqual([]);
  });

  it('RMV CALL while the name is looked up: 487, CANCELLED, never forwarded', async () => {
    const { held, lookup } = heldLookup();
    const s = stack({ relayForeign: true }, { lookup });
    await s.receive(invite('end-lookup'), CALLER);
    const id = s.calls.list()[0]!.id;
    expect(s.calls.end(id)).toBe(true);
    expect(kinds(s.sentTo(CALLER))).toEqual(['100', '487']);
    held[0]!.resolve([{ address: UAS.address, family: 4 }]);
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    expect(s.sentTo(UAS)).toEqual([]);
    const ended = s.callEvents.filter((e) => e.type === 'ended').map((e) => [e.call.state, e.call.hangupBy]);
    expect(ended).toEqual([['cancelled', 'operator']]);
  });
});
