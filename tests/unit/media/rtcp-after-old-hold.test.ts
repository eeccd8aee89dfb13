// RTCP after an old-style hold (c=0.0.0.0, RFC 3264 §8.4): the re-INVITE names no address, so the
// session's RTCP (its reports and the BYE at the end) goes on to the far end's last usable address; an
// answer that never named one gets no RTCP at all. Before, the retarget took 0.0.0.0 as the far end's
// address, and the BYE went there (Linux delivers a datagram for 0.0.0.0 to this very host). A real RTP
// session on a fake media clock; its RTCP socket's sends are watched where they go.
import { afterEach, describe, expect, it } from 'vitest';
import { MediaClock } from '../../../core/media/media-clock';
import { RtpPortPool } from '../../../core/media/port-pool';
import { RtpSession } from '../../../core/media/rtp-session';

let session: RtpSession | undefined;
afterEach(() => {
  session?.close();
  session = undefined;
});

/** A session whose RTCP sends are listed (address:port), on the given port range. */
async function watched(from: number) {
  const pool = new RtpPortPool(from, from + 9);
  const sockets = await pool.open('127.0.0.1');
  const rtcpTo: string[] = [];
  const send = sockets.rtcp.send.bind(sockets.rtcp) as (...a: unknown[]) => void;
  sockets.rtcp.send = ((...a: unknown[]) => {
    rtcpTo.push(`${String(a[2])}:${String(a[1])}`);
    send(...a);
  }) as typeof sockets.rtcp.send;
  const clock = new MediaClock(() => 0);
  const s = new RtpSession(sockets, pool, clock, { cname: 't', record: false, after: () => () => undefined });
  session = s;
  return { s, pool, rtcpTo, clock };
}

const PCMU = { payloadType: 0, law: 'PCMU' as const };

describe('RTCP and an old-style hold (c=0.0.0.0)', () => {
  it('the BYE after a c=0.0.0.0 hold goes to the last usable address', async () => {
    const { s, rtcpTo, clock } = await watched(47150);
    s.start({
      ...PCMU,
      remote: { address: '127.0.0.2', port: 40000 },
      audio: Buffer.alloc(160),
      durationMs: 60_000,
    });
    clock.stop();
    // The far end's hold: the same port, no address (RFC 2543), nothing sent meanwhile.
    s.retarget({ ...PCMU, remote: { address: '0.0.0.0', port: 40000 } }, () => Buffer.alloc(160));
    s.hold(true);
    s.close();
    expect(rtcpTo).toEqual(['127.0.0.2:40001']);
  });

  it('an answer with c=0.0.0.0 from the start gets no RTCP, and the ports are given back', async () => {
    const { s, pool, rtcpTo, clock } = await watched(47160);
    s.start({
      ...PCMU,
      remote: { address: '0.0.0.0', port: 40000 },
      audio: Buffer.alloc(160),
      durationMs: 60_000,
    });
    clock.stop();
    s.hold(true);
    s.close();
    expect(rtcpTo).toEqual([]);
    expect(pool.inUse).toBe(0);
  });
});
