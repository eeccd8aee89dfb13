// A malformed peer's 200 whose Contact is the dialer's own address (its INVITE's headers pasted back):
// the dialer sent the ACK and BYE to itself and answered its own BYE 481. RFC 3261 §12.1.2: the remote
// target is the peer's; now nothing goes there, the call fails, its reason naming the bad Contact.
import { describe, expect, it, vi } from 'vitest';
import { zhDialerReason } from '../../../core/dialer/reason-zh';
import { callOneCallee, until } from './one-callee';

const SDP =
  'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 21070 RTP/AVP 0\r\n';

describe("a 2xx whose Contact is the dialer's own address", () => {
  it('is not sent ACK or BYE: the call fails naming the Contact, in 中文 too', async () => {
    let ours = '';
    const c = await callOneCallee(SDP, {
      durationMs: 20,
      rtpPorts: [45140, 45149],
      contact: (port) => (ours = `sip:0000@127.0.0.1:${port}`),
    });
    const sent = vi.spyOn(c.ua, 'sendRaw');
    const result = c.call.run();
    await until(() => c.call.state !== 'dialing');
    c.tick(100); // were it answered, its 20 ms prompt ends here (BYE)
    const r = await result;
    await until(() => c.got.length > 0);
    expect(r).toMatchObject({ status: 200, answered: false, end: 'failed' });
    expect(r.reason).toBe(`the 2xx's Contact ${ours} is the dialer's own address: no ACK or BYE sent to it`);
    expect(sent.mock.calls.map((call) => call[2])).toEqual([]);
    expect(c.got.map((m) => m.method)).toEqual(['INVITE']);
    expect(zhDialerReason(r.reason)).toBe(`2xx 的 Contact ${ours} 是外呼自身的地址: 未向其发送 ACK 或 BYE`);
  });
});
