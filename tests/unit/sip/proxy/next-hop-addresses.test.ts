// A next hop named by a host with several addresses (two P-CSCFs, an SBC pair behind one name): RFC 3263
// §4.3, when the first cannot be contacted (its connection refused, a send that fails, no answer at all
// before Timer B) the next is tried, the caller seeing nothing of it. Only the first was tried: the
// caller got "500 next hop unreachable" (or a 408 after 32 s) while the second address was up. A hop
// that answers (486, say) has had its turn: no other address gets the request, unless with a 503 before
// ringing (RFC 3263 §4.3: "If a 503 error response is received, the client SHOULD try the next element";
// it went to the caller as 500 while the second address was up). When none can be reached
// the caller's 500 names it (transport, name, port and the addresses tried), and the log each that failed:
// it said "next hop unreachable", nothing more, and the log nothing at all.
import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { SILENT_LOG, type Log } from '../../../../core/observe/log';
import type { SipRequest, SipResponse } from '../../../../core/sip/message/index';
import type { Peer } from '../../../../core/sip/transport/peer';
import { CALLER, answerLines, inviteLines } from './call-steps';
import { kinds, stack } from './stack';

type Stack = ReturnType<typeof stack>;

const FIRST: Peer = { transport: 'UDP', address: '192.0.2.81', port: 5090 };
const SECOND: Peer = { transport: 'UDP', address: '192.0.2.82', port: 5090 };
const ADDRESSES: LookupAddress[] = [
  { address: FIRST.address, family: 4 },
  { address: '2001:db8::83', family: 6 }, // not of the listener's family: never tried
  { address: SECOND.address, family: 4 },
  { address: FIRST.address, family: 4 }, // a name listed twice in /etc/hosts: tried once
];

async function routedToPair(
  callId: string,
  prepare: (s: Stack) => void = () => undefined,
  log: Log = SILENT_LOG,
): Promise<Stack> {
  const s = stack({ relayForeign: true }, { lookup: () => Promise.resolve(ADDRESSES), log });
  prepare(s);
  await s.receive([...inviteLines(callId), 'Route: <sip:sbc.lab.test:5090;lr>'], CALLER);
  return s;
}

const invitesTo = (s: Stack, peer: Peer): SipRequest[] =>
  s.sentTo(peer).filter((m) => kinds([m])[0] === 'INVITE') as SipRequest[];

const finalsToCaller = (s: Stack): number[] =>
  (s.sentTo(CALLER) as SipResponse[]).filter((r) => r.status >= 200).map((r) => r.status);

const sentOf = (s: Stack, peer: Peer, method: string): SipRequest[] =>
  s.sentTo(peer).filter((m) => kinds([m])[0] === method) as SipRequest[];

/** The caller's final answers to its INVITE, with their reason phrases. */
const inviteFinals = (s: Stack): string[] =>
  (s.sentTo(CALLER) as SipResponse[])
    .filter((r) => r.status >= 200 && r.cseq.method === 'INVITE')
    .map((r) => `${r.status} ${r.reasonText}`);

/** A log that keeps its warnings. */
function warningLog(): { log: Log; warnings: string[] } {
  const warnings: string[] = [];
  return { log: { ...SILENT_LOG, warning: (m: string) => warnings.push(m) }, warnings };
}

const HOP_1 = 'UDP sbc.lab.test:5090 (192.0.2.81)';
const HOP_2 = 'UDP sbc.lab.test:5090 (192.0.2.82)';

describe('a next hop whose name has several addresses', () => {
  it('a send to the first that fails at once: the next address gets it, the caller hears nothing of it', async () => {
    const s = await routedToPair('first-refused', (st) => st.unreachable(FIRST));
    const second = invitesTo(s, SECOND);
    expect(second).toHaveLength(1);
    expect(finalsToCaller(s)).toEqual([]);
    // A new branch (a new transaction), the request otherwise the same.
    expect(second[0]!.routes.map((r) => r.raw)).toEqual(['<sip:sbc.lab.test:5090;lr>']);
    await s.receive(answerLines(second[0]!, '200 OK'), SECOND);
    expect(finalsToCaller(s)).toEqual([200]);
  });

  it('a first that never answers (Timer B): the next address gets it then', async () => {
    const s = await routedToPair('first-silent');
    expect(invitesTo(s, FIRST)).toHaveLength(1);
    expect(invitesTo(s, SECOND)).toHaveLength(0);
    s.advance(32_100);
    expect(invitesTo(s, SECOND)).toHaveLength(1);
    expect(finalsToCaller(s)).toEqual([]);
  });

  it('a first that answers has had its turn: its 486 goes to the caller, no other address is tried', async () => {
    const s = await routedToPair('first-busy');
    await s.receive(answerLines(invitesTo(s, FIRST)[0]!, '486 Busy Here'), FIRST);
    expect(finalsToCaller(s)).toEqual([486]);
    expect(invitesTo(s, SECOND)).toHaveLength(0);
  });

  it('every address failing: one answer, after the last, naming them; each failure logged', async () => {
    const warnings: string[] = [];
    const log = { ...SILENT_LOG, warning: (m: string) => warnings.push(m) };
    const s = await routedToPair(
      'all-refused',
      (st) => {
        st.unreachable(FIRST);
        st.unreachable(SECOND);
      },
      log,
    );
    const finals = (s.sentTo(CALLER) as SipResponse[]).filter((r) => r.status >= 200);
    expect(finals.map((r) => `${r.status} ${r.reasonText}`)).toEqual([
      '500 Server Internal Error (next hop unreachable: UDP sbc.lab.test:5090 (192.0.2.81, 192.0.2.82))',
    ]);
    expect(s.sent.filter((m) => m.to.address === '2001:db8::83')).toEqual([]);
    expect(warnings).toEqual([
      'next hop unreachable: UDP sbc.lab.test:5090 (192.0.2.81) for INVITE (Call-ID all-refused); trying UDP sbc.lab.test:5090 (192.0.2.82)',
      'next hop unreachable: UDP sbc.lab.test:5090 (192.0.2.82) for INVITE (Call-ID all-refused)',
    ]);
  });

  it('a first that answers 503 (RFC 3263 §4.3): ACKed, the next address gets it on a new branch, the first never again', async () => {
    const { log, warnings } = warningLog();
    const s = await routedToPair('first-503', undefined, log);
    const first = invitesTo(s, FIRST)[0]!;
    await s.receive([...answerLines(first, '503 Service Unavailable'), 'Retry-After: 120'], FIRST);
    // §17.1.1.3: the 503's ACK is its own transaction's, on the first's branch.
    expect(sentOf(s, FIRST, 'ACK').map((a) => a.topVia.branch)).toEqual([first.topVia.branch]);
    const second = invitesTo(s, SECOND);
    expect(second).toHaveLength(1);
    expect(second[0]!.topVia.branch).not.toBe(first.topVia.branch); // a new client transaction (§16.6 step 8)
    expect(finalsToCaller(s)).toEqual([]);
    await s.receive(answerLines(second[0]!, '200 OK'), SECOND);
    expect(finalsToCaller(s)).toEqual([200]);
    expect(invitesTo(s, FIRST)).toHaveLength(1); // Retry-After: not used again for this request
    expect(warnings).toEqual([
      `next hop answered 503 Service Unavailable (Retry-After 120 s): ${HOP_1} for INVITE (Call-ID first-503); trying ${HOP_2}`,
    ]);
  });

  it('every address answering 503: the caller gets the last one, as 500 (§16.7 step 6); each logged', async () => {
    const { log, warnings } = warningLog();
    const s = await routedToPair('all-503', undefined, log);
    await s.receive(answerLines(invitesTo(s, FIRST)[0]!, '503 Overloaded'), FIRST);
    await s.receive(answerLines(invitesTo(s, SECOND)[0]!, '503 Maintenance'), SECOND);
    expect(inviteFinals(s)).toEqual(['500 Server Internal Error (next hop: 503 Maintenance)']);
    expect(warnings).toEqual([
      `next hop answered 503 Overloaded: ${HOP_1} for INVITE (Call-ID all-503); trying ${HOP_2}`,
      `next hop answered 503 Maintenance: ${HOP_2} for INVITE (Call-ID all-503)`,
    ]);
  });

  it("the caller's CANCEL after a 503 moved the call: the next address's branch is cancelled, the caller gets its 487", async () => {
    const s = await routedToPair('cancel-after-503');
    await s.receive(answerLines(invitesTo(s, FIRST)[0]!, '503 Service Unavailable'), FIRST);
    const second = invitesTo(s, SECOND)[0]!;
    await s.receive(answerLines(second, '180 Ringing'), SECOND);
    await s.receive(inviteLines('cancel-after-503', 'CANCEL'), CALLER);
    expect(sentOf(s, SECOND, 'CANCEL').map((c) => c.topVia.branch)).toEqual([second.topVia.branch]);
    expect(sentOf(s, FIRST, 'CANCEL')).toEqual([]);
    await s.receive(answerLines(second, '487 Request Terminated'), SECOND);
    expect(inviteFinals(s)).toEqual(['487 Request Terminated']);
  });

  it("a 503 after ringing is the callee's answer beyond the hop: no other address (the callee would ring twice)", async () => {
    const s = await routedToPair('rang-503');
    const first = invitesTo(s, FIRST)[0]!;
    await s.receive(answerLines(first, '180 Ringing'), FIRST);
    await s.receive(answerLines(first, '503 Service Unavailable'), FIRST);
    expect(invitesTo(s, SECOND)).toEqual([]);
    expect(inviteFinals(s)).toEqual(['500 Server Internal Error (next hop: 503 Service Unavailable)']);
  });
});
