// RECORD=YES keeps the call's timeline (RFC 3550 §5.1: a payload's place is its RTP timestamp): a lost
// packet or an RFC 4733 event is silence, a late packet goes back to its place, so the WAV lines up with
// the call. Before, the payloads that came were put end to end in arrival order.
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeG711, encodeG711 } from '../../../core/media/g711';
import { MediaClock } from '../../../core/media/media-clock';
import { RtpPortPool } from '../../../core/media/port-pool';
import { rtpPacket } from '../../../core/media/rtp-packet';
import { RtpSession } from '../../../core/media/rtp-session';

let tx: Socket | undefined;
let session: RtpSession | undefined;
afterEach(() => {
  session?.close();
  tx?.close();
  session = tx = undefined;
});

/** 20 ms of PCMU whose every sample is `value` (a marker to find the packet in the recording). */
const tone = (value: number): Buffer => encodeG711(new Int16Array(160).fill(value), 'PCMU');

describe('the recording of what the far end sent', () => {
  it('puts each packet at its timestamp: a lost one and an event are silence, a late one goes back', async () => {
    const pool = new RtpPortPool(42000, 42999);
    session = new RtpSession(await pool.open('127.0.0.1'), pool, new MediaClock(), {
      cname: 't',
      record: true,
    });
    tx = createSocket('udp4');
    const send = (seq: number, payloadType: number, payload: Buffer): Promise<void> =>
      new Promise((r) =>
        tx!.send(
          rtpPacket(
            { marker: false, payloadType, sequence: seq, timestamp: 1000 + seq * 160, ssrc: 7 },
            payload,
          ),
          session!.port,
          '127.0.0.1',
          () => r(),
        ),
      );
    // Packets 0..5: 2 is lost, 4 is an RFC 4733 event (payload type 101), 3 comes after 5.
    await send(0, 0, tone(1000));
    await send(1, 0, tone(2000));
    await send(5, 0, tone(6000));
    await send(3, 0, tone(4000));
    await send(4, 101, Buffer.from([1, 0x0a, 0, 160]));
    await new Promise((r) => setTimeout(r, 100));
    const rec = session.summary().recording!;
    expect(rec.length).toBe(6 * 160);
    // Each packet's middle sample, against the tone as G.711 gives it back (µ-law rounds 4000 to 4092).
    const at = (packet: number): number => rec[packet * 160 + 80]!;
    const heard = (value: number): number => decodeG711(tone(value), 'PCMU')[80]!;
    expect([0, 1, 2, 3, 4, 5].map(at)).toEqual([heard(1000), heard(2000), 0, heard(4000), 0, heard(6000)]);
  });

  it('times and records G.711 on the dynamic payload type the answer mapped (a=rtpmap:98 PCMU/8000)', async () => {
    // Before, only the static 0 and 8 were audio: 98 was counted but never timed (jitter 0) nor recorded.
    let now = 0;
    const clock = new MediaClock(() => now);
    const pool = new RtpPortPool(42000, 42999);
    const rx = createSocket('udp4');
    await new Promise<void>((r) => rx.bind(0, '127.0.0.1', () => r()));
    session = new RtpSession(await pool.open('127.0.0.1'), pool, clock, { cname: 't', record: true });
    session.start({
      remote: { address: '127.0.0.1', port: rx.address().port },
      payloadType: 98,
      law: 'PCMU',
      audio: Buffer.alloc(1600, 0xff),
      durationMs: 60_000,
    });
    clock.stop(); // nothing is sent: the test is about what arrives
    rx.close();
    tx = createSocket('udp4');
    const send = async (seq: number): Promise<void> => {
      await new Promise<void>((r) =>
        tx!.send(
          rtpPacket(
            { marker: false, payloadType: 98, sequence: seq, timestamp: seq * 160, ssrc: 7 },
            tone(3000),
          ),
          session!.port,
          '127.0.0.1',
          () => r(),
        ),
      );
      for (let i = 0; i < 100 && session!.summary().received.received < seq; i++)
        await new Promise((r) => setTimeout(r, 10));
    };
    await send(1);
    now += 40; // 20 ms of audio arriving 40 ms later: RFC 3550 A.8's D is 20 ms, J = 20 / 16
    await send(2);
    const m = session.summary();
    expect(m.received.received).toBe(2);
    expect(m.received.jitterMs).toBeCloseTo(1.25, 5);
    expect(m.recording!.length).toBe(2 * 160);
    expect(m.recording![80]).toBe(decodeG711(tone(3000), 'PCMU')[80]);
  });
});
