// DTMF only as the events the answer's telephone-event lists (RFC 4733 §2.4.1: `a=fmtp:101 0-11` names the
// events the far end takes; §7.1.1): a digit outside the list is not sent, and the call's Note and the log
// name it. Before, A (12) and D (15) went to a far end that had listed 0-11, with an empty Note.
import { describe, expect, it } from 'vitest';
import { unlistedDtmf } from '../../../core/dialer/dialer-call';
import { zhDialerReason } from '../../../core/dialer/reason-zh';
import { parseRtp } from '../../../core/media/rtp-packet';
import { callOneCallee, testSocket, until } from './one-callee';

describe("DTMF and the answer's telephone-event list", () => {
  it('sends the listed digits only and names the others in the Note', async () => {
    const rtp = await testSocket();
    const events: number[] = [];
    let packets = 0;
    rtp.on('message', (b: Buffer) => {
      packets++;
      const p = parseRtp(b)!;
      if (p.payloadType === 101 && p.marker) events.push(p.payload[0]!);
    });
    const sdp =
      'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n' +
      `m=audio ${rtp.address().port} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n` +
      'a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-11\r\n';
    const c = await callOneCallee(sdp, { durationMs: 1800, dtmf: '1aD#', rtpPorts: [45300, 45399] });
    const result = c.call.run();
    await until(() => c.call.state === 'answered');
    c.tick(2000);
    const r = await result;
    await until(() => packets >= r.rtpSent);
    expect(events).toEqual([1, 11]);
    // This callee sends no RTP: the one-way audio note follows.
    const [note] = r.note!.split('; ');
    expect(note).toBe("DTMF AD not sent: the answer's telephone-event lists events 0-11 only");
    expect(note).toBe(unlistedDtmf('AD', '0-11'));
    expect(zhDialerReason(note!)).toBe('未发送 DTMF AD: 应答的 telephone-event 只列出事件 0-11');
  });
});
