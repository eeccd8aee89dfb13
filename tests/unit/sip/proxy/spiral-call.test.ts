// A call that spirals (RFC 3261 §16.3 step 4): the caller's INVITE leaves us for an application server
// (or an edge proxy) that retargets it and sends it back to us for another user, who answers. It is one
// call, the caller's dialog with the callee who answered: the second pass was tracked as a call of its
// own that never saw the caller's ACK (matched to the first), so 64*T1 after the answer IMS Lab hung up
// both sides ("No ACK for the 2xx"), one BYE towards the caller via the AS with no Route; and DSP CALL,
// the CDR and the counters had two calls.
import { describe, expect, it } from 'vitest';
import { callRecord } from '../../../../core/cdr/from-events';
import { parseMessage, SipRequest, type SipResponse } from '../../../../core/sip/message/index';
import type { Peer } from '../../../../core/sip/transport/peer';
import { CALLEE, CALLER, LATE_OFFER, answerLines, forwardedTo, inviteLines, register } from './call-steps';
import { sipBytes as sipOf } from '../../../support/sip-text';
import { SERVER, kinds, stack } from './stack';

const AS: Peer = { transport: 'UDP', address: '198.51.100.20', port: 5060 };
const AS_ROUTE = `<sip:${AS.address}:${AS.port};lr>`;
type Stack = ReturnType<typeof stack>;

/**
 * The AS as a record-routing proxy: what IMS Lab sent it, with its Via on top, its Route popped, its
 * Record-Route added to an initial request and the Request-URI retargeted when `uri` is given; back to us.
 */
async function throughAs(s: Stack, sent: SipRequest, branch: string, uri?: string): Promise<void> {
  const m = parseMessage(sent.toBuffer()) as SipRequest;
  if (m.routes[0]?.raw === AS_ROUTE) m.removeFirstValue('route');
  if (uri !== undefined) {
    m.setUri(uri);
    m.prependHeader('Record-Route', AS_ROUTE);
  }
  m.prependHeader('Via', `SIP/2.0/UDP ${AS.address}:${AS.port};branch=z9hG4bK-as-${branch}`);
  await s.receiveBytes(m.toBuffer(), AS);
}

/** A response IMS Lab sent the AS, relayed back to us (the AS's Via taken off). */
async function responseThroughAs(s: Stack, sent: SipResponse): Promise<void> {
  const m = parseMessage(sent.toBuffer()) as SipResponse;
  m.removeFirstValue('via');
  await s.receiveBytes(m.toBuffer(), AS);
}

function lastSent<M = SipRequest>(s: Stack, to: Peer, kind: string, from = 0): M {
  return s.sentTo(to, from).findLast((m) => kinds([m])[0] === kind) as M;
}

/** A request of the caller in the answered dialog (§12.2.1.1): to the callee's Contact, along the route set. */
function callerRequest(ok: SipResponse, method: string, seq: number): string[] {
  const routes = ok.recordRoutes.map((r) => r.raw).reverse();
  return [
    `${method} ${ok.contacts[0]!.uriText} SIP/2.0`,
    `Via: SIP/2.0/UDP ${CALLER.address}:${CALLER.port};branch=z9hG4bK-${method}-${seq};rport`,
    'Max-Forwards: 70',
    `From: ${ok.header('from')}`,
    `To: ${ok.header('to')}`,
    `Call-ID: ${ok.callId}`,
    `CSeq: ${seq} ${method}`,
    `Route: ${routes.join(', ')}`,
  ];
}

/**
 * 1001 calls sip:fwd@<AS>; the AS sends it back to us for 1002 (registered at CALLEE), who answers;
 * the 200 goes back through the AS to the caller. Returns the 200 the caller got.
 */
async function spiralledCall(s: Stack, callId: string): Promise<SipResponse> {
  await register(s, CALLEE);
  const invite = inviteLines(callId).map((l) =>
    l.startsWith('INVITE ')
      ? `INVITE sip:fwd@${AS.address} SIP/2.0`
      : l.startsWith('To:')
        ? `To: <sip:fwd@${AS.address}>`
        : l,
  );
  await s.receive(invite, CALLER, '');
  await throughAs(s, lastSent(s, AS, 'INVITE'), `${callId}-inv`, `sip:1002@${SERVER.address}`);
  const toCallee = forwardedTo(s, CALLEE);
  expect(toCallee).toBeDefined();
  await s.receive(answerLines(toCallee, '180 Ringing'), CALLEE);
  await responseThroughAs(s, lastSent<SipResponse>(s, AS, '180'));
  await s.receive([...answerLines(toCallee, '200 OK'), LATE_OFFER.type], CALLEE, LATE_OFFER.body);
  await responseThroughAs(s, lastSent<SipResponse>(s, AS, '200'));
  const ok = lastSent<SipResponse>(s, CALLER, '200');
  expect(ok).toBeDefined();
  return ok;
}

/** The caller's ACK (or BYE) through both passes: IMS Lab, the AS, IMS Lab, the callee. */
async function fromCaller(s: Stack, ok: SipResponse, method: string, seq: number): Promise<number> {
  const start = s.sent.length;
  await s.receive(callerRequest(ok, method, seq), CALLER);
  const atAs = s.sentTo(AS, start).find((m) => kinds([m])[0] === method) as SipRequest;
  expect(atAs, `${method} to the AS`).toBeDefined();
  await throughAs(s, atAs, `${method}-${seq}`);
  expect(kinds(s.sentTo(CALLEE, start))).toContain(method);
  return start;
}

describe('a call whose INVITE spirals through an AS back to us', () => {
  it('is not hung up 64*T1 after the answer when the caller ACKed (both passes saw the ACK)', async () => {
    const s = stack({ relayForeign: true });
    const ok = await spiralledCall(s, 'spiral-ack');
    const start = await fromCaller(s, ok, 'ACK', 1);
    s.advance(40_000);
    expect(kinds(s.sentTo(CALLEE, start))).toEqual(['ACK']); // no BYE of ours
    expect(kinds(s.sentTo(AS, start))).toEqual(['ACK']);
    expect(kinds(s.sentTo(CALLER, start))).toEqual([]);
    expect(s.callEvents.filter((e) => e.type === 'ended')).toEqual([]);
    // The caller's BYE at 40 s reaches the callee and ends the one call.
    await fromCaller(s, ok, 'BYE', 2);
    const ended = s.callEvents.filter((e) => e.type === 'ended');
    expect(ended.map((e) => [e.call.endReason, e.call.hangupBy])).toEqual([['Normal', 'caller']]);
  });

  it('is one call: one started, one live, one record, the callee the user who answered', async () => {
    const s = stack({ relayForeign: true });
    const ok = await spiralledCall(s, 'spiral-one');
    await fromCaller(s, ok, 'ACK', 1);
    expect(s.calls.list().map((c) => c.id)).toEqual(['spiral-one']);
    expect(s.callEvents.filter((e) => e.type === 'started')).toHaveLength(1);
    expect(s.callEvents.filter((e) => e.type === 'answered')).toHaveLength(1);
    const live = s.calls.get('spiral-one')!;
    expect(live.caller.address).toBe(CALLER.address); // the caller, not the AS's hop back to us
    expect(live.callee.address).toBe(CALLEE.address);
    expect(live.callee.number).toBe('1002');
    expect(live.requestUri).toBe(`sip:fwd@${AS.address}`);
    expect(live.retargetedTo).toBe(`sip:1002@${SERVER.address}`);
    await fromCaller(s, ok, 'BYE', 2);
    const ended = s.callEvents.filter((e) => e.type === 'ended');
    expect(ended).toHaveLength(1);
    expect(s.calls.size).toBe(0);
    const row = callRecord(ended[0]!.call);
    expect([row.callee_number, row.callee_ip, row.caller_ip]).toEqual([
      '1002',
      CALLEE.address,
      CALLER.address,
    ]);
    expect(row.extra_info).toBe(
      `Retargeted to sip:1002@${SERVER.address} (the INVITE came back through IMS Lab)`,
    );
  });

  it("RMV CALL sends each party a BYE along its own side's route set", async () => {
    const s = stack({ relayForeign: true });
    const ok = await spiralledCall(s, 'spiral-rmv');
    await fromCaller(s, ok, 'ACK', 1);
    const start = s.sent.length;
    expect(s.calls.end('spiral-rmv')).toBe(true);
    // Both parties are next to us (the AS sits between our two passes): each BYE goes straight to it.
    const toCallee = lastSent(s, CALLEE, 'BYE', start);
    const toCaller = lastSent(s, CALLER, 'BYE', start);
    expect(toCallee.uri).toBe(`sip:1002@${CALLEE.address}:${CALLEE.port}`);
    expect(toCaller.uri).toBe(`sip:1001@${CALLER.address}:${CALLER.port}`);
    expect(toCallee.routes).toEqual([]);
    expect(toCaller.routes).toEqual([]);
    expect(s.sentTo(AS, start)).toEqual([]);
    expect(s.calls.size).toBe(0);
    expect(s.callEvents.filter((e) => e.type === 'ended')).toHaveLength(1);
  });

  it('RMV CALL: a callee reached through the AS again (its Path) gets its BYE along the Route to it', async () => {
    const s = stack({ relayForeign: true });
    const contact = `sip:1002@${CALLEE.address}:${CALLEE.port}`;
    await s.receive(
      [
        `REGISTER sip:${SERVER.address}:${SERVER.port} SIP/2.0`,
        `Via: SIP/2.0/UDP ${AS.address}:${AS.port};branch=z9hG4bK-as-reg`,
        `Via: SIP/2.0/UDP ${CALLEE.address}:${CALLEE.port};branch=z9hG4bK-ue-reg;rport`,
        'Max-Forwards: 69',
        `From: <sip:1002@${SERVER.address}>;tag=r`,
        `To: <sip:1002@${SERVER.address}>`,
        'Call-ID: reg-behind-as',
        'CSeq: 1 REGISTER',
        'Supported: path',
        `Path: ${AS_ROUTE}`,
        `Contact: <${contact}>`,
        'Expires: 3600',
      ],
      AS,
    );
    const invite = inviteLines('spiral-path').map((l) =>
      l.startsWith('INVITE ') ? `INVITE sip:fwd@${AS.address} SIP/2.0` : l,
    );
    await s.receive(invite, CALLER);
    await throughAs(s, lastSent(s, AS, 'INVITE'), 'path-inv', `sip:1002@${SERVER.address}`);
    // The second pass goes to the AS along the Path; the AS Record-Routes again and reaches the phone.
    const second = lastSent(s, AS, 'INVITE');
    expect(second.uri).toBe(contact);
    const atCallee = parseMessage(second.toBuffer()) as SipRequest;
    atCallee.removeFirstValue('route');
    atCallee.prependHeader('Record-Route', AS_ROUTE);
    atCallee.prependHeader('Via', `SIP/2.0/UDP ${AS.address}:${AS.port};branch=z9hG4bK-as-to-ue`);
    const ok = parseMessage(sipOf(answerLines(atCallee, '200 OK'))) as SipResponse;
    ok.removeFirstValue('via');
    await s.receiveBytes(ok.toBuffer(), AS);
    await responseThroughAs(s, lastSent<SipResponse>(s, AS, '200'));
    expect(lastSent<SipResponse>(s, CALLER, '200')).toBeDefined();

    const start = s.sent.length;
    expect(s.calls.end('spiral-path')).toBe(true);
    const toCallee = lastSent(s, AS, 'BYE', start);
    expect(toCallee.uri).toBe(contact);
    expect(toCallee.routes.map((r) => r.raw)).toEqual([AS_ROUTE]); // the AS's entry on the callee's side
    const toCaller = lastSent(s, CALLER, 'BYE', start);
    expect(toCaller.routes).toEqual([]);
    // One BYE each way, and nothing left up (the second pass was a call RMV CALL never ended).
    expect(kinds(s.sent.slice(start).map((x) => x.message))).toEqual(['BYE', 'BYE']);
    expect(s.calls.list()).toEqual([]);
  });
});
