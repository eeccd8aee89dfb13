// RECORD=YES keeps the call's timeline (RFC 3550 §5.1: a payload's place is its RTP timestamp): a lost
// packet or an RFC 4733 event is silence, a late packet goes back to its place, so the WAV lines up with
// the call. Before, the payloads that came were put end to end in arrival order.
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeG711, encodeG711 } from '../../../core/media/g711';
import { MediaClock } from '../../../core/media/media-clock';
import { RtpPortPool } from '../../../core/media/port-pool';
import { rtpPacket } from '../../../core/media/rtp-packet';
import { RtpSession } from '../../../core/media/rtp-session';
import { decodeWav } from '../../../core/media/wav';
import { tempDir } from '../../support/temp-dir';

let tx: Socket | undefined;
let session: RtpSession | undefined;
afterEach(() => {
  session?.close();
  tx?.close();
  session = tx = undefined;
});

const dir = tempDir('recording-');

/** The session's recording, its file written and closed: the samples a WAV reader finds in it. */
async function recorded(s: RtpSession, name: string): Promise<Int16Array> {
  const file = await s.recording!.finish(join(dir, name));
  return decodeWav(readFileSync(file!), file!).samples;
}

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
    const rec = await recorded(session, 'timeline.wav');
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
    const rec = await recorded(session, 'dynamic.wav');
    expect(rec.length).toBe(2 * 160);
    expect(rec[80]).toBe(decodeG711(tone(3000), 'PCMU')[80]);
  });

  it('is on disk while the call is up, a readable WAV, and a packet later than what was written goes to its place', async () => {
    // Before, the whole recording stayed in memory until the call ended (a kill -9 lost it; a long call
    // grew the heap without bound) and was written at once then.
    const pool = new RtpPortPool(42000, 42999);
    session = new RtpSession(await pool.open('127.0.0.1'), pool, new MediaClock(), {
      cname: 't',
      record: true,
    });
    const file = join(dir, 'C0001', 'streamed.wav');
    session.recording!.writeTo(file);
    tx = createSocket('udp4');
    const send = (seq: number): Promise<void> =>
      new Promise((r) =>
        tx!.send(
          rtpPacket(
            { marker: false, payloadType: 0, sequence: seq, timestamp: seq * 160, ssrc: 9 },
            tone(100 * (seq % 50) + 100),
          ),
          session!.port,
          '127.0.0.1',
          () => r(),
        ),
      );
    // 1.6 s of audio but packet 7, which comes later.
    for (let seq = 0; seq < 80; seq++) if (seq !== 7) await send(seq);
    /** The data size the file's header says (0 while there is none). */
    const dataSize = (): number => {
      try {
        return readFileSync(file).readUInt32LE(40);
      } catch {
        return 0;
      }
    };
    for (let i = 0; i < 300 && dataSize() < 8000 * 2; i++) await new Promise((r) => setTimeout(r, 10));
    // What a kill -9 now would leave: a WAV whose header's sizes are those of the file.
    const bytes = readFileSync(file);
    expect(bytes.length).toBeGreaterThanOrEqual(44 + 8000 * 2);
    expect(bytes.readUInt32LE(4)).toBe(bytes.length - 8);
    expect(bytes.readUInt32LE(40)).toBe(bytes.length - 44);
    const partial = decodeWav(bytes, file).samples;
    const heard = (seq: number): number => decodeG711(tone(100 * (seq % 50) + 100), 'PCMU')[80]!;
    expect(partial[3 * 160 + 80]).toBe(heard(3));
    expect(partial[7 * 160 + 80]).toBe(0); // not come yet: silence
    await send(7); // later than the written second: it goes back to its place in the file
    for (let i = 0; i < 100 && session.summary().received.received < 80; i++)
      await new Promise((r) => setTimeout(r, 10));
    const rec = await recorded(session, 'streamed.wav');
    expect(rec.length).toBe(80 * 160);
    expect([3, 7, 60, 79].map((seq) => rec[seq * 160 + 80])).toEqual([3, 7, 60, 79].map(heard));
  });
});
