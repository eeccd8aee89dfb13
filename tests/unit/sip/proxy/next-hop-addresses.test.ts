// A next hop named by a host with several addresses (two P-CSCFs, an SBC pair behind one name): RFC 3263
// §4.3, when the first cannot be contacted (its connection refused, a send that fails, no answer at all
// before Timer B) the next is tried, the caller seeing nothing of it. Only the first was tried: the
// caller got "500 next hop unreachable" (or a 408 after 32 s) while the second address was up. A hop
// that answers (486, say) has had its turn: no other address gets the request. When none can be reached
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
});
