// A MESSAGE sent inside a dialog (RFC 3428 §4 allows it: a text chat during a call) is a MESSAGE row
// as one outside is: the original wrote a row for every MESSAGE it forwarded (original-server.md §2.4
// step 12), and README lists "MESSAGEs relayed" among what is logged. It left no row and no log line.
import { describe, expect, it } from 'vitest';
import { messageRecord } from '../../../../core/cdr/from-events';
import type { SipRequest, SipResponse } from '../../../../core/sip/message/index';
import { CALLEE, CALLER, answerLines, forwardedTo, inviteLines, register } from './call-steps';
import { SERVER, stack } from './stack';

describe('a MESSAGE inside a call', () => {
  it('is relayed along the route and recorded with its answer, as one outside a dialog', async () => {
    const s = stack({ authMethods: ['MESSAGE'] }, { ackWaitMs: 3_600_000 });
    await register(s, CALLEE);
    await s.receive(inviteLines('chat-call'), CALLER);
    const invite = forwardedTo(s, CALLEE);
    await s.receive(answerLines(invite, '200 OK'), CALLEE);
    const ok = s.sentTo(CALLER).at(-1) as SipResponse;

    const before = s.sent.length;
    await s.receive(
      [
        `MESSAGE sip:1001@${CALLER.address}:${CALLER.port} SIP/2.0`,
        `Via: SIP/2.0/UDP ${CALLEE.address}:${CALLEE.port};branch=z9hG4bK-chat-1;rport`,
        ...invite.recordRoutes.map((r) => `Route: ${r.raw}`),
        'Max-Forwards: 70',
        `From: ${ok.header('to')}`,
        `To: ${ok.header('from')}`,
        'Call-ID: chat-call',
        'CSeq: 7 MESSAGE',
        'Content-Type: text/plain',
      ],
      CALLEE,
      'in-dialog msg',
    );
    const relayed = s.sentTo(CALLER, before).find((m) => 'method' in m && m.method === 'MESSAGE');
    expect(relayed, 'relayed to the caller, not challenged').toBeDefined();
    expect(s.messages).toEqual([]); // no answer yet
    const m = relayed as SipRequest;
    await s.receive(
      [
        'SIP/2.0 200 OK',
        ...m.headerValues('via').map((v) => `Via: ${v}`),
        `From: ${m.header('from')}`,
        `To: ${m.header('to')}`,
        'Call-ID: chat-call',
        'CSeq: 7 MESSAGE',
      ],
      CALLER,
    );
    expect(s.messages).toHaveLength(1);
    const row = messageRecord(s.messages[0]!);
    expect(row).toMatchObject({
      record_type: 'MESSAGE',
      call_state: 'COMPLETED',
      call_id: 'chat-call-7 MESSAGE',
      status_code: 200,
      message_body: 'in-dialog msg',
      caller_number: '1002',
      callee_number: '1001',
      caller_ip: CALLEE.address,
      callee_ip: CALLER.address,
    });
    expect(row.from_uri).toBe(`sip:1002@${SERVER.address}`);
    // The call is still up, and its CSeq moved on as for any request in it.
    expect(s.calls.list()[0]!.state).toBe('answered');
  });
});
