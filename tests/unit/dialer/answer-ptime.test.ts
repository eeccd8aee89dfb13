// The answer's a=ptime (RFC 3264 §6.1: the packetization interval its author wants to receive; RFC 8866
// §6.4) sets the length of the dialer's G.711 packets: 30 ms packets of 240 samples, timestamps 240
// apart, DURATION in 30 ms packets, and RFC 4733 events at the same interval (§2.5.1.2), their durations
// growing by 240. A ptime G.711 is not sent with here (25 ms) keeps 20 ms packets, the Note saying so;
// a=maxptime caps the length. Before, every call sent 20 ms packets whatever the answer asked for.
import { describe, expect, it } from 'vitest';
import { packetTime } from '../../../core/dialer/media-answer';
import { zhDialerReason } from '../../../core/dialer/reason-zh';
import { parseRtp, type ParsedRtp } from '../../../core/media/rtp-packet';
import { parseSdp, SessionDescription } from '../../../core/sip/sdp/index';
import { callOneCallee, testSocket, until } from './one-callee';

const HEAD = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n';

/** A call answered with `attributes` on its m=audio (PCMU, telephone-event 101); the RTP that reached it. */
async function callWith(attributes: string, durationMs: number, ports: [number, number], dtmf?: string) {
  const rtp = await testSocket();
  const got: ParsedRtp[] = [];
  rtp.on('message', (b: Buffer) => got.push(parseRtp(b)!));
  const sdp =
    `${HEAD}m=audio ${rtp.address().port} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n` +
    `a=rtpmap:101 telephone-event/8000\r\n${attributes}`;
  const c = await callOneCallee(sdp, { durationMs, dtmf, rtpPorts: ports });
  const result = c.call.run();
  await until(() => c.call.state === 'answered');
  c.tick(durationMs + 200);
  const r = await result;
  await until(() => got.length >= r.rtpSent);
  got.sort(
    (a, b) =>
      ((a.sequence - got[0]!.sequence + 65536) % 65536) - ((b.sequence - got[0]!.sequence + 65536) % 65536),
  );
  return { r, got };
}

describe("the answer's a=ptime", () => {
  it('30 ms: 240-sample packets, timestamps 240 apart, DURATION in 30 ms packets, DTMF events at 30 ms', async () => {
    const { r, got } = await callWith('a=ptime:30\r\n', 1500, [47100, 47109], '5');
    expect(r.rtpSent).toBe(50); // 1.5 s / 30 ms
    expect(got).toHaveLength(50);
    const first = got[0]!;
    const audio = got.filter((p) => p.payloadType === 0);
    expect(audio.every((p) => p.payload.length === 240)).toBe(true);
    for (const p of audio) {
      const n = (p.sequence - first.sequence + 65536) % 65536;
      expect((p.timestamp - first.timestamp) >>> 0).toBe(n * 240);
    }
    // The digit 1 s in (packet 34, the first at or after 1000 ms): 3 packets of tone, the end three times.
    const events = got.filter((p) => p.payloadType === 101);
    expect(events.map((p) => p.payload.readUInt16BE(2))).toEqual([240, 480, 720, 720, 720]);
    expect(events.map((p) => (p.payload[1]! & 0x80) !== 0)).toEqual([false, false, true, true, true]);
    expect(new Set(events.map((p) => (p.timestamp - first.timestamp) >>> 0))).toEqual(new Set([34 * 240]));
    expect((events[0]!.sequence - first.sequence + 65536) % 65536).toBe(34);
    expect(r.note).toBe('no RTP received from the far end (one-way audio)');
  });

  it('25 ms: 20 ms packets are sent, and the Note says why', async () => {
    const { r, got } = await callWith('a=ptime:25\r\n', 200, [47110, 47119]);
    expect(r.rtpSent).toBe(10);
    expect(got.every((p) => p.payload.length === 160)).toBe(true);
    const note = r.note!.split('; ')[1];
    expect(note).toBe(
      "the answer's ptime 25 ms is not one the dialer sends G.711 with (10-60 ms in steps of 10): 20 ms packets sent",
    );
    expect(zhDialerReason(note!)).toBe(
      '应答的 ptime 25 ms 不是外呼端发送 G.711 所用的包长（10-60 ms，以 10 为步长）: 已按 20 ms 发包',
    );
  });

  it('is capped by a=maxptime, and is 20 ms when not given', () => {
    const of = (attributes: string) => {
      const sdp = parseSdp(`${HEAD}m=audio 9 RTP/AVP 0\r\n${attributes}`) as SessionDescription;
      return packetTime(sdp.media[0]!, sdp);
    };
    expect(of('')).toEqual({ ptimeMs: 20 });
    expect(of('a=ptime:10\r\n')).toEqual({ ptimeMs: 10 });
    expect(of('a=ptime:60\r\n')).toEqual({ ptimeMs: 60 });
    expect(of('a=ptime:40\r\na=maxptime:30\r\n')).toEqual({ ptimeMs: 30 });
    expect(of('a=maxptime:15\r\n')).toEqual({ ptimeMs: 10 });
    expect(of('a=ptime:80\r\n')).toEqual({ ptimeMs: 20, ptimeRefused: '80' });
    expect(of('a=ptime:0.5\r\n')).toEqual({ ptimeMs: 20, ptimeRefused: '0.5' });
  });
});
