// A CANCEL that arrives while the INVITE's next hop's name is being looked up (RFC 3263; a slow or dead
// lab DNS makes that seconds). RFC 3261 §9.2 / §16.10: the proxy answers the CANCEL 200 and the INVITE 487,
// and forwards the INVITE no more, whatever the lookup says later. It answered the CANCEL 200 (as one
// crossing a 2xx) and forwarded the INVITE once the name resolved: the callee rang, and answered, a caller
// who had hung up; with a name that never resolved the caller got 500 at +10 s and the row said FAILED.
import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { CALLER, inviteLines } from './call-steps';
import { kinds, stack } from './stack';

/** A lookup the test answers when it likes: resolve(addresses) or reject(error). */
function heldLookup() {
  const held: {
    host: string;
    resolve: (a: LookupAddress[]) => void;
    reject: (e: Error) => void;
  }[] = [];
  const lookup = (host: string): Promise<LookupAddress[]> =>
    new Promise((resolve, reject) => held.push({ host, resolve, reject }));
  return { held, lookup };
}

const UAS = { transport: 'UDP' as const, address: '192.0.2.77', port: 5090 };

/** The caller's INVITE with a preloaded Route naming a host (relayed: PROXY.RELAY_FOREIGN). */
function inviteTo(callId: string, method = 'INVITE'): string[] {
  return [...inviteLines(callId, method), `Route: <sip:slow.lab:${UAS.port};lr>`];
}

describe('a CANCEL while the next hop is looked up', () => {
  it('gets 200, the INVITE 487, and the INVITE is not forwarded once the name resolves', async () => {
    const { held, lookup } = heldLookup();
    const s = stack({ relayForeign: true }, { lookup });
    await s.receive(inviteTo('cancel-lookup'), CALLER);
    expect(held.map((h) => h.host)).toEqual(['slow.lab']);
    expect(kinds(s.sentTo(CALLER))).toEqual(['100']);
    await s.receive(inviteTo('cancel-lookup', 'CANCEL'), CALLER);
    const answers = s.sentTo(CALLER).slice(1);
    expect(answers.map((m) => `${kinds([m])[0]} ${m.cseq.method}`)).toEqual(['200 CANCEL', '487 INVITE']);
    held[0]!.resolve([{ address: UAS.address, family: 4 }]);
    await s.receive(inviteTo('cancel-lookup'), CALLER); // a retransmission: the 487 again, no lookup
    expect(s.sentTo(UAS)).toEqual([]);
    const ended = s.callEvents.filter((e) => e.type === 'ended').map((e) => e.call);
    expect(ended.map((c) => [c.state, c.statusCode, c.hangupBy])).toEqual([['cancelled', 487, 'caller']]);
  });

  it('gets 200 and 487 and no 500 when the name never resolves: one CANCELLED row', async () => {
    const { held, lookup } = heldLookup();
    const s = stack({ relayForeign: true }, { lookup });
    await s.receive(inviteTo('cancel-dead'), CALLER);
    await s.receive(inviteTo('cancel-dead', 'CANCEL'), CALLER);
    held[0]!.reject(
      Object.assign(new Error('getaddrinfo EAI_AGAIN slow.lab'), { code: 'EAI_AGAIN', hostname: 'slow.lab' }),
    );
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    expect(kinds(s.sentTo(CALLER))).toEqual(['100', '200', '487']);
    const ended = s.callEvents.filter((e) => e.type === 'ended').map((e) => e.call.state);
    expect(ended).toEqual(['cancelled']);
  });
});
