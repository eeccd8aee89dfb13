// A dialer call to a phone behind a NAT: its SDP names its private address, its RTP comes from the NAT's.
// Symmetric RTP (RFC 4961 §4, latching, RFC 7362 §4): from the far end's first packet, ours go where
// its come from. Before, every packet went to the private address and the kernel refused each one, yet
// all were counted sent (the run looked perfect: 150 sent, 0 lost, the phone heard nothing).
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { MediaClock } from '../../../core/media/media-clock';
import { RtpPortPool } from '../../../core/media/port-pool';
import { rtpPacket } from '../../../core/media/rtp-packet';
import { RtpSession } from '../../../core/media/rtp-session';

const PLAN = { payloadType: 0, law: 'PCMU' as const, audio: Buffer.alloc(1600, 0xff), durationMs: 60_000 };
const sockets: Socket[] = [];
const sessions: RtpSession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.close();
  for (const s of sockets.splice(0)) s.close();
});

async function farEnd(): Promise<{ socket: Socket; got: Buffer[]; port: number }> {
  const socket = createSocket('udp4');
  sockets.push(socket);
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  const got: Buffer[] = [];
  socket.on('message', (b) => got.push(b));
  return { socket, got, port: socket.address().port };
}

async function session(pool: RtpPortPool): Promise<RtpSession> {
  const s = new RtpSession(await pool.open('127.0.0.1'), pool, new MediaClock(), {
    cname: 't',
    record: false,
  });
  sessions.push(s);
  return s;
}

const sendRtp = (from: Socket, to: number): Promise<void> =>
  new Promise((r) =>
    from.send(
      rtpPacket(
        { marker: true, payloadType: 0, sequence: 1, timestamp: 160, ssrc: 9 },
        Buffer.alloc(160, 0xff),
      ),
      to,
      '127.0.0.1',
      () => r(),
    ),
  );

/** Until `done` holds (20 ms steps, at most 2 s: the session's own 20 ms clock is real). */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !done(); i++) await new Promise((r) => setTimeout(r, 20));
}

describe('symmetric RTP (RFC 4961)', () => {
  it('counts no packet the kernel refused, then sends where the far end’s RTP comes from', async () => {
    const pool = new RtpPortPool(44000, 44099);
    const s = await session(pool);
    // A private address this socket (on loopback) cannot reach: every send is refused.
    s.start({ ...PLAN, remote: { address: '192.0.2.77', port: 40000 } });
    await until(() => (s.summary().sent.refused ?? 0) >= 3);
    expect(s.summary().sent).toMatchObject({ packets: 0, octets: 0, refusedWhy: 'EINVAL' });

    const phone = await farEnd();
    await sendRtp(phone.socket, s.port);
    await until(() => phone.got.length >= 3);
    expect(phone.got.length).toBeGreaterThanOrEqual(3);
    const m = s.summary();
    expect(m.sent.packets).toBeGreaterThanOrEqual(3);
    expect(m.latched).toEqual({ sdp: '192.0.2.77:40000', to: `127.0.0.1:${phone.port}` });
  });

  it('keeps sending to the SDP’s address when the far end sends from another port of it', async () => {
    const pool = new RtpPortPool(44100, 44199);
    const s = await session(pool);
    const listener = await farEnd();
    const sender = await farEnd(); // same address, another port: a device that sends from elsewhere
    s.start({ ...PLAN, remote: { address: '127.0.0.1', port: listener.port } });
    await sendRtp(sender.socket, s.port);
    await until(() => listener.got.length >= 3);
    expect(listener.got.length).toBeGreaterThanOrEqual(3);
    expect(sender.got).toEqual([]);
    expect(s.summary().latched).toBeUndefined();
  });
});
