// RTCP reports at randomized intervals (RFC 3550 §6.3.1, §6.2): each wait before the next report is the
// nominal 5 s times a number drawn anew from [0.5, 1.5], so that sessions started together (a campaign's
// calls) do not report in step. Before, a fixed 5 s setInterval sent every call's report in lockstep.
// A real RTP session; the draws and the timer are the test's, the reports arrive at a loopback socket.
import type { Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { MediaClock } from '../../../core/media/media-clock';
import { RtpPortPool } from '../../../core/media/port-pool';
import { RtpSession } from '../../../core/media/rtp-session';
import { loopbackSocket } from '../../support/loopback-agent';

let rtcp: Socket | undefined;
let session: RtpSession | undefined;
afterEach(() => {
  session?.close();
  rtcp?.close();
  session = rtcp = undefined;
});

describe('RTCP report interval', () => {
  it('waits 5 s × [0.5, 1.5], drawn anew for each report, and none after the close', async () => {
    rtcp = await loopbackSocket();
    let reports = 0;
    rtcp.on('message', () => reports++);
    const draws = [0, 0.75, 0.5, 0.25];
    const waits: { ms: number; run: () => void; cancelled: boolean }[] = [];
    const pool = new RtpPortPool(47140, 47149);
    const clock = new MediaClock(() => 0);
    session = new RtpSession(await pool.open('127.0.0.1'), pool, clock, {
      cname: 't',
      record: false,
      random: () => draws.shift()!,
      after: (ms, run) => {
        const w = { ms, run, cancelled: false };
        waits.push(w);
        return () => (w.cancelled = true);
      },
    });
    session.start({
      remote: { address: '127.0.0.1', port: 9 },
      rtcp: { port: rtcp.address().port },
      payloadType: 0,
      law: 'PCMU',
      audio: Buffer.alloc(160, 0xff),
      durationMs: 60_000,
    });
    clock.stop();
    expect(waits.map((w) => w.ms)).toEqual([2500]);
    const fire = async (): Promise<void> => {
      const before = reports;
      waits.at(-1)!.run();
      for (let i = 0; i < 100 && reports === before; i++) await new Promise((r) => setTimeout(r, 10));
    };
    await fire();
    await fire();
    await fire();
    expect(reports).toBe(3);
    expect(waits.map((w) => w.ms)).toEqual([2500, 6250, 5000, 3750]);
    session.close(); // its BYE, then no more reports: the pending wait is cancelled
    expect(waits.at(-1)!.cancelled).toBe(true);
    waits.at(-1)!.run(); // a timer that fires anyway sends nothing
    for (let i = 0; i < 100 && reports < 4; i++) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 50));
    expect(reports).toBe(4); // the three reports and the BYE
    expect(waits).toHaveLength(4);
  });
});
