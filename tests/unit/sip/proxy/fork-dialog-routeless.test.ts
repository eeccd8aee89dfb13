// Two 200s from a parallel fork (RFC 3261 §13.2.2.4: the caller ACKs each, and BYEs the one it does
// not keep), the phones on the server's own host and neither copying Record-Route: the caller's ACK
// and BYE come with no Route, the Request-URI the answering phone's Contact (§12.2.1.1). Each goes to
// the phone of its dialog (Call-ID and both tags, §12). It was: both went to the phone that answered
// first, the Request-URI rewritten to its contact; the second never got its ACK nor its BYE.
import { describe, expect, it } from 'vitest';
import type { SipRequest } from '../../../../core/sip/message/index';
import type { Peer } from '../../../../core/sip/transport/peer';
import { CALLER, answerLines, forwardedTo, inviteLines, register } from './call-steps';
import { SERVER, kinds, stack } from './stack';

const FIRST: Peer = { transport: 'UDP', address: SERVER.address, port: 5080 };
const SECOND: Peer = { transport: 'UDP', address: SERVER.address, port: 5082 };
const contactOf = (phone: Peer): string => `sip:1002@${phone.address}:${phone.port}`;

/** A phone's 200 to the INVITE it got, without the Record-Route (a tester's UAS that forgot it). */
function okWithoutRecordRoute(invite: SipRequest, phone: Peer, tag: string): string[] {
  return answerLines(invite, '200 OK', tag)
    .filter((l) => !l.startsWith('Record-Route:'))
    .map((l) => (l.startsWith('Contact:') ? `Contact: <${contactOf(phone)}>` : l));
}

/** The caller's request in the dialog with `phone` (To tag `tag`), sent as SIPp's uac does: no Route. */
function inDialog(method: string, seq: number, phone: Peer, tag: string): string[] {
  return [
    `${method} ${contactOf(phone)} SIP/2.0`,
    `Via: SIP/2.0/UDP ${CALLER.address}:${CALLER.port};branch=z9hG4bK-${method}-${tag};rport`,
    'Max-Forwards: 70',
    `From: <sip:1001@${SERVER.address}>;tag=caller`,
    `To: <sip:1002@${SERVER.address}>;tag=${tag}`,
    'Call-ID: fork-glare',
    `CSeq: ${seq} ${method}`,
  ];
}

describe('two 200s of a parallel fork, in-dialog requests without the route set', () => {
  it("the second phone's ACK and BYE reach it, the Request-URI as sent; the first phone's ACK reaches it", async () => {
    const s = stack();
    await register(s, FIRST, '1002', 'first');
    await register(s, SECOND, '1002', 'second');
    await s.receive(inviteLines('fork-glare'), CALLER);
    await s.receive(okWithoutRecordRoute(forwardedTo(s, FIRST), FIRST, 'a'), FIRST);
    await s.receive(okWithoutRecordRoute(forwardedTo(s, SECOND), SECOND, 'b'), SECOND);
    const before = s.sent.length;
    await s.receive(inDialog('ACK', 1, FIRST, 'a'), CALLER);
    await s.receive(inDialog('ACK', 1, SECOND, 'b'), CALLER);
    await s.receive(inDialog('BYE', 2, SECOND, 'b'), CALLER);
    expect(kinds(s.sentTo(FIRST, before))).toEqual(['ACK']);
    const toSecond = s.sentTo(SECOND, before) as SipRequest[];
    expect(kinds(toSecond)).toEqual(['ACK', 'BYE']);
    expect(toSecond.map((r) => r.uri)).toEqual([contactOf(SECOND), contactOf(SECOND)]);
    expect(toSecond.map((r) => r.to.tag)).toEqual(['b', 'b']);
  });
});
