// Answers the dialer cannot stream to end the call at once (ACK, then BYE), their reason in the result.
// G.711 at another rate or with two channels (PCMA/8000/2, PCMU/16000) is not the 8 kHz mono format the
// dialer sends (RFC 3551 §4.1, §4.5.14): before, 160-byte mono packets went out under it, Note empty.
// An answer with more m= lines than the offer's one (RFC 3264 §6: they match by position) is refused: before,
// the dialer streamed to its second one, the offered stream rejected by the first (port 0).
// The BYE's Reason is SIP;cause=488 (Not Acceptable Here): it said cause=200, which reads as success.
import { describe, expect, it } from 'vitest';
import { M_LINES_MISMATCH } from '../../../core/dialer/media-answer';
import { zhDialerReason } from '../../../core/dialer/reason-zh';
import { callOneCallee, until } from './one-callee';

const HEAD = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n';

async function answered(sdp: string, ports: [number, number]) {
  // 20 ms of media: a call that streams anyway ends at once, Normal, on the next tick.
  const c = await callOneCallee(sdp, { durationMs: 20, rtpPorts: ports });
  const result = c.call.run();
  await until(() => c.call.state !== 'dialing');
  c.tick(100);
  const r = await result;
  await until(() => c.got.some((m) => m.method === 'BYE'));
  return { r, bye: c.got.find((m) => m.method === 'BYE'), close: c.close };
}

describe('an answer the dialer cannot stream to', () => {
  it('PCMA/8000/2 or PCMU/16000 is no usable codec', async () => {
    for (const [i, map] of ['97 PCMA/8000/2', '0 PCMU/16000'].entries()) {
      const pt = map.split(' ')[0]!;
      const { r, bye, close } = await answered(`${HEAD}m=audio 21070 RTP/AVP ${pt}\r\na=rtpmap:${map}\r\n`, [
        45400 + i * 10,
        45409 + i * 10,
      ]);
      expect(r).toMatchObject({
        answered: true,
        reason: 'the answer accepts neither PCMU nor PCMA',
        rtpSent: 0,
      });
      // RFC 3326: the BYE says why in words that do not read as success (cause=200 did).
      expect(bye!.headerText('reason')).toBe('SIP;cause=488;text="the answer accepts neither PCMU nor PCMA"');
      await close();
    }
  });

  it('an answer with more m= lines than the offer is refused, not streamed to its second stream', async () => {
    const { r, bye } = await answered(
      `${HEAD}m=audio 0 RTP/AVP 0\r\nm=audio 21070 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n`,
      [45430, 45439],
    );
    expect(r).toMatchObject({ answered: true, reason: M_LINES_MISMATCH, rtpSent: 0 });
    expect(r.reason).toBe("the answer's m= lines do not match the offer's");
    expect(zhDialerReason(r.reason)).toBe('应答的 m= 行与提议的不对应');
    expect(bye!.headerText('reason')).toBe(
      `SIP;cause=488;text="the answer's m= lines do not match the offer's"`,
    );
  });

  it('an IPv6 answer to the IPv4 dialer: the call goes on, its Note says why no RTP went', async () => {
    // Before, the call read as a normal answered call with 0 RTP sent and an empty Note.
    const c = await callOneCallee(
      'v=0\r\no=- 1 1 IN IP6 ::1\r\ns=-\r\nc=IN IP6 ::1\r\nt=0 0\r\nm=audio 21070 RTP/AVP 0\r\n',
      { durationMs: 100, rtpPorts: [45440, 45449] },
    );
    const result = c.call.run();
    await until(() => c.call.state === 'answered');
    c.tick(200);
    const r = await result;
    expect(r).toMatchObject({ answered: true, reason: 'Normal', rtpSent: 0 });
    expect(r.note).toBe(
      "no RTP received from the far end (one-way audio); no RTP sent: the answer's address ::1 is IPv6, the dialer's IPv4",
    );
    expect(zhDialerReason(r.note!)).toBe(
      '未收到对端的 RTP（单向通话）；未发送 RTP: 应答的地址 ::1 为 IPv6，外呼端为 IPv4',
    );
  });
});
