// §16.6 step 6: the next hop is a strict router (RFC 2543) when the first Route has no lr: it gets its own
// URI as the Request-URI and the Request-URI goes last in Route, for requests and for the ACK of a 2xx.
import { describe, expect, it } from 'vitest';
import type { SipRequest } from '../../../../core/sip/message/index';
import { inviteLines } from './call-steps';
import { SERVER, markOf, stack } from './stack';

const ELSEWHERE = { transport: 'UDP' as const, address: '198.51.100.7', port: 5060 };
const FOREIGN_CALLER = { transport: 'UDP' as const, address: '203.0.113.9', port: 5060 };
/** A dialog's route set: our Record-Route (with its mark, dialog-token.ts), then a strict router's. */
const route = (callId: string): string =>
  `<sip:${SERVER.address}:${SERVER.port};lr;dlg=${markOf(callId, undefined, '<sip:bob@198.51.100.9>')}>, <sip:p2@198.51.100.7:5060>, <sip:p3@198.51.100.8;lr>`;

function inDialog(callId: string, method: string): string[] {
  const lines = inviteLines(callId, method);
  lines[0] = `${method} sip:bob@198.51.100.9:5062 SIP/2.0`;
  lines[4] = 'To: <sip:bob@198.51.100.9>;tag=b';
  return [...lines, `Route: ${route(callId)}`];
}

describe('§16.6 step 6: a next hop that is a strict router (no lr)', () => {
  it('gets its own URI as the Request-URI, and the Request-URI last in Route', async () => {
    const s = stack({ relayForeign: false });
    const start = s.sent.length;
    await s.receive(inDialog('strict', 'BYE'), FOREIGN_CALLER);
    const [bye] = s.sentTo(ELSEWHERE, start) as SipRequest[];
    expect(bye!.uri).toBe('sip:p2@198.51.100.7:5060');
    expect(bye!.routes.map((r) => r.raw)).toEqual([
      '<sip:p3@198.51.100.8;lr>',
      '<sip:bob@198.51.100.9:5062>',
    ]);
  });

  it('the same for the ACK of a 2xx, forwarded without a transaction', async () => {
    const s = stack({ relayForeign: false });
    const start = s.sent.length;
    await s.receive(inDialog('strict-ack', 'ACK'), FOREIGN_CALLER);
    const [ack] = s.sentTo(ELSEWHERE, start) as SipRequest[];
    expect(ack!.uri).toBe('sip:p2@198.51.100.7:5060');
    expect(ack!.routes.map((r) => r.raw)).toEqual([
      '<sip:p3@198.51.100.8;lr>',
      '<sip:bob@198.51.100.9:5062>',
    ]);
  });
});
