// A hold (re-INVITE a=sendonly, RFC 3264 §8.4) in the middle of a DTMF event: the event is ended (RFC 4733
// §2.5.1.4: its end packet, three times, with the E bit) before the sending stops, and the next digits go
// after the resume, none skipped; digits the media's end leaves no room for are named in the summary.
// Before, the event never got its E bit (the far end heard the tone until its own timeout) and the digit
// due during the hold was lost without a word. A real RTP session on a fake clock, a loopback receiver.
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { MediaClock } from '../../../core/media/media-clock';
import { RtpPortPool } from '../../../core/media/port-pool';
import { parseRtp } from '../../../core/media/rtp-packet';
import { RtpSession } from '../../../core/media/rtp-session';

const EVENTS = '0123456789*#ABCD';
let rx: Socket | undefined;
let session: RtpSession | undefined;
afterEach(() => {
  session?.close();
  rx?.close();
  session = rx = undefined;
});

interface Sent {
  pt: number;
  marker: boolean;
  timestamp: number;
  digit?: string;
  end?: boolean;
  duration?: number;
}

/** A session sending `digits` to a loopback receiver, its clock at `now` moved by `advance`. */
async function dialing(digits: string, durationMs: number) {
  let now = 0;
  const clock = new MediaClock(() => now);
  const pool = new RtpPortPool(45200, 45299);
  rx = createSocket('udp4');
  await new Promise<void>((r) => rx!.bind(0, '127.0.0.1', () => r()));
  const got: Sent[] = [];
  rx.on('message', (b: Buffer) => {
    const p = parseRtp(b)!;
    const e = p.payloadType === 101 ? p.payload : undefined;
    got.push({
      pt: p.payloadType,
      marker: p.marker,
      timestamp: p.timestamp,
      ...(e === undefined
        ? {}
        : { digit: EVENTS[e[0]!], end: (e[1]! & 0x80) !== 0, duration: e.readUInt16BE(2) }),
    });
  });
  const s = new RtpSession(await pool.open('127.0.0.1'), pool, clock, { cname: 't', record: false });
  session = s;
  s.start({
    remote: { address: '127.0.0.1', port: rx.address().port },
    payloadType: 0,
    law: 'PCMU',
    audio: Buffer.alloc(1600, 0xff),
    durationMs,
    dtmf: { digits, payloadType: 101 },
  });
  clock.stop(); // the test drives the clock by hand
  const sentBefore = (): number => s.summary().sent.packets;
  return {
    s,
    got,
    /** Moves the clock by `ms`, lets the session send what is due and waits for it to arrive. */
    advance: async (ms: number): Promise<void> => {
      now += ms;
      clock.tick();
      clock.stop();
      const want = sentBefore();
      for (let i = 0; i < 150 && got.length < want; i++) await new Promise((r) => setTimeout(r, 10));
    },
    arrived: async (): Promise<void> => {
      const want = sentBefore();
      for (let i = 0; i < 150 && got.length < want; i++) await new Promise((r) => setTimeout(r, 10));
    },
  };
}

const starts = (got: Sent[]): string[] => got.filter((p) => p.pt === 101 && p.marker).map((p) => p.digit!);

describe('DTMF across a hold', () => {
  it('ends the event under way before holding, and sends the next digits after the resume', async () => {
    const d = await dialing('1234', 3000);
    // Packets 0..52: 1 s of audio, then three packets of the event for 1 (durations 160, 320, 480).
    await d.advance(52 * 20);
    expect(d.got.filter((p) => p.pt === 101).map((p) => p.duration)).toEqual([160, 320, 480]);
    d.s.hold(true);
    await d.arrived();
    const one = d.got.filter((p) => p.digit === '1');
    expect(one.map((p) => [p.end, p.duration])).toEqual([
      [false, 160],
      [false, 320],
      [false, 480],
      [true, 480],
      [true, 480],
      [true, 480],
    ]);
    expect(new Set(one.map((p) => p.timestamp)).size).toBe(1); // one event, one timestamp
    const before = d.got.length;
    await d.advance(300); // held: nothing goes
    expect(d.got.length).toBe(before);
    d.s.hold(false);
    await d.advance(1600);
    expect(starts(d.got)).toEqual(['1', '2', '3', '4']);
    for (const digit of '234') {
      const ev = d.got.filter((p) => p.digit === digit);
      expect(ev.map((p) => p.end)).toEqual([false, false, false, false, true, true, true]);
    }
    expect(d.s.summary().sent.dtmfNotSent).toBeUndefined();
  });

  it('names the digits the media ended before', async () => {
    // 1.8 s of media: 1234 would end at 1.74 s; a 300 ms hold pushes 4 past the end.
    const d = await dialing('1234', 1800);
    await d.advance(52 * 20);
    d.s.hold(true);
    await d.advance(300);
    d.s.hold(false);
    await d.advance(1000);
    expect(starts(d.got)).toEqual(['1', '2', '3']);
    expect(d.s.summary().sent.dtmfNotSent).toBe('4');
  });

  it('marks the first audio packet after the resume, as the first of the call (RFC 3551 §4.1)', async () => {
    // Before, only the call's first packet had the marker: a talkspurt after the hold's silence had none.
    const d = await dialing('1', 3000);
    await d.advance(200); // packets 0..10
    d.s.hold(true);
    await d.advance(300);
    d.s.hold(false);
    await d.advance(40);
    const audio = d.got.filter((p) => p.pt === 0);
    expect(audio.map((p) => p.marker)).toEqual([true, ...Array(10).fill(false), true, false]);
    expect(audio[11]!.timestamp - audio[10]!.timestamp).toBe(16 * 160); // the clock went on meanwhile
  });
});
