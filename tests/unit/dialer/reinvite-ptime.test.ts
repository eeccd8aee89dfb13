// A re-INVITE's a=ptime (RFC 3264 §8: a new offer/answer replaces the session's description, its a=ptime
// the interval its author now wants to receive, §6.1) sets the length of the dialer's packets from the
// next packet on, as the first answer's does: 20 ms packets, then after a re-INVITE asking for 40 ms,
// 320-sample packets every 40 ms, their timestamps going on without a gap or an overlap, the rest of
// DURATION in 40 ms packets, and RFC 4733 events at 40 ms (§2.5.1.2, durations growing by 320). Before,
// the re-INVITE's a=ptime was ignored: 20 ms packets to the end. A real user agent on loopback (the far
// end's re-INVITE, the dialer's 200); the media on a fake clock.
import { describe, expect, it } from 'vitest';
import { parseRtp, type ParsedRtp } from '../../../core/media/rtp-packet';
import { callOneCallee, reInvite, testSocket, until } from './one-callee';

const sdp = (port: number, attributes: string) =>
  'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n' +
  `m=audio ${port} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n${attributes}`;

describe("a re-INVITE's a=ptime", () => {
  it('changes the packets from 20 to 40 ms from the next packet on, DTMF events too', async () => {
    const rx = await testSocket();
    const got: ParsedRtp[] = [];
    rx.on('message', (b: Buffer) => got.push(parseRtp(b)!));
    const c = await callOneCallee(sdp(rx.address().port, ''), {
      durationMs: 2000,
      dtmf: '5',
      rtpPorts: [47180, 47189],
    });
    const result = c.call.run();
    await until(() => c.call.state === 'answered');
    c.tick(200); // packets 0..10 at 0, 20, ... 200 ms: 20 ms each (no a=ptime)
    await until(() => got.length >= 11);
    expect(got.map((p) => p.payload.length)).toEqual(Array(11).fill(160));
    const answer = await reInvite(c, 1, sdp(rx.address().port, 'a=ptime:40\r\n'));
    expect(answer.split('\r\n')[0]).toMatch(/^SIP\/2\.0 200 /);
    // From 220 ms on, one packet every 40 ms: 220, 260, ... 580 by 600 ms (20 ms packets would be 20).
    c.tick(400);
    await until(() => got.length >= 21);
    expect(got.length).toBe(21);
    expect(got.slice(11).map((p) => p.payload.length)).toEqual(Array(10).fill(320));
    c.tick(2000);
    const r = await result;
    // 220 ms in 20 ms packets, the 1,780 ms left in 40 ms packets (44.5, rounded: 45).
    expect(r).toMatchObject({ answered: true, rtpSent: 11 + 45 });
    await until(() => got.length >= r.rtpSent);
    const sorted = [...got].sort(
      (a, b) => ((a.sequence - got[0]!.sequence) & 0xffff) - ((b.sequence - got[0]!.sequence) & 0xffff),
    );
    const ts0 = sorted[0]!.timestamp;
    const audio = sorted.filter((p) => p.payloadType === 0);
    // Each audio packet's timestamp is where the packets before it (audio or event) left off.
    let at = 0;
    for (const p of sorted) {
      if (p.payloadType === 0) expect((p.timestamp - ts0) >>> 0).toBe(at);
      at += p.payloadType === 0 ? p.payload.length : 320;
    }
    expect(audio.slice(11).every((p) => p.payload.length === 320)).toBe(true);
    // The digit at the first packet at or after 1 s (sample 8,000): 1,760 + 20 × 320 = 8,160; a 100 ms
    // tone in 40 ms packets is 3 (durations 320, 640, 960), the end sent three times.
    const events = sorted.filter((p) => p.payloadType === 101);
    expect(events.map((p) => p.payload.readUInt16BE(2))).toEqual([320, 640, 960, 960, 960]);
    expect(new Set(events.map((p) => (p.timestamp - ts0) >>> 0))).toEqual(new Set([8160]));
  });
});
