// Header text in UTF-8 (RFC 3261 §25.1: TEXT-UTF8 in display names, User-Agent and Server, a Reason's
// text) reads as the characters it is in what IMS Lab records and shows (the call's parties and end
// reason, hence the CDR; a binding's User-Agent, hence DSP REG and the log), while the messages it
// forwards keep the bytes as they came. The message layer holds bytes as latin1 chars: read raw, 张三
// became å¼ ä¸.
import { describe, expect, it } from 'vitest';
import type { SipResponse } from '../../../../core/sip/message/index';
import { answerLines, CALLEE, CALLER, forwardedTo, inviteLines, register } from './call-steps';
import { SERVER, stack } from './stack';

describe('UTF-8 header text', () => {
  it('reads as its characters in the call record and the binding; forwarded bytes stay as they came', async () => {
    const s = stack();
    await register(s, CALLEE, '1002', 'r', ['User-Agent: 软电话-α']);
    expect([...s.location.entries()].flatMap(([, bs]) => bs.map((b) => b.userAgent))).toEqual(['软电话-α']);

    const invite = inviteLines('utf8-call').map((l) =>
      l.startsWith('From:') ? `From: "张三, Zhang" <sip:1001@${SERVER.address}>;tag=caller` : l,
    );
    await s.receive([...invite, 'User-Agent: 话机 1'], CALLER);
    const forwarded = forwardedTo(s, CALLEE);
    expect(forwarded.toBuffer().toString('utf8')).toContain('From: "张三, Zhang" <sip:1001@');
    await s.receive([...answerLines(forwarded, '200 OK'), 'Server: 终端'], CALLEE);
    const ok = s.sentTo(CALLER).at(-1) as SipResponse;
    expect(ok.toBuffer().toString('utf8')).toContain('Server: 终端');
    await s.receive(
      [
        `BYE sip:1001@${CALLER.address}:${CALLER.port} SIP/2.0`,
        `Via: SIP/2.0/UDP ${CALLEE.address}:${CALLEE.port};branch=z9hG4bK-bye-u;rport`,
        ...forwarded.recordRoutes.map((r) => `Route: ${r.raw}`),
        'Max-Forwards: 70',
        `From: <sip:1002@${SERVER.address}>;tag=callee`,
        `To: "张三, Zhang" <sip:1001@${SERVER.address}>;tag=caller`,
        'Call-ID: utf8-call',
        'CSeq: 1 BYE',
        'Reason: Q.850;cause=16;text="正常挂机"',
      ],
      CALLEE,
    );
    const ended = s.callEvents.find((e) => e.type === 'ended')!.call;
    expect(ended.caller.header).toBe(`"张三, Zhang" <sip:1001@${SERVER.address}>;tag=caller`);
    expect([ended.caller.userAgent, ended.callee.userAgent, ended.endReason]).toEqual([
      '话机 1',
      '终端',
      '正常挂机 (Q.850 16)',
    ]);
  });

  it('reads as its characters in a MESSAGE record: the sender and both user agents', async () => {
    const s = stack();
    await register(s, CALLEE);
    const message = inviteLines('utf8-msg', 'MESSAGE')
      .filter((l) => !l.startsWith('Contact:'))
      .map((l) => (l.startsWith('From:') ? `From: "李四" <sip:1001@${SERVER.address}>;tag=caller` : l));
    await s.receive([...message, 'User-Agent: 话机 2', 'Content-Type: text/plain'], CALLER, '你好');
    const forwarded = s.sentTo(CALLEE).findLast((m) => m.toBuffer().toString().startsWith('MESSAGE'))!;
    await s.receive(
      [...answerLines(forwarded as never, '200 OK').filter((l) => !l.startsWith('Contact:')), 'Server: 终端'],
      CALLEE,
    );
    expect(s.messages.map((e) => [e.from.header, e.from.userAgent, e.to.userAgent])).toEqual([
      [`"李四" <sip:1001@${SERVER.address}>;tag=caller`, '话机 2', '终端'],
    ]);
  });
});
