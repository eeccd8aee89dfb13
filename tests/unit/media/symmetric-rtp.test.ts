// A dialer call to a phone behind a NAT: its SDP names its private address, its RTP comes from the NAT's.
// Symmetric RTP (RFC 4961 §4, latching, RFC 7362 §4): from the far end's first packet, ours go where
// its come from. Before, every packet went to the private address and the kernel refused each one, yet
// all were counted sent (the run looked perfect: 150 sent, 0 lost, the phone heard nothing).
// Latching only while the SDP's address has sent nothing (RFC 7362 §4.2): before, five packets from any
// host one second into a call, its far end sending from its SDP's address, took the rest of the call's
// RTP ("RTP bleed"), and were counted as the far end's.
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

async function farEnd(host = '127.0.0.1'): Promise<{ socket: Socket; got: Buffer[]; port: number }> {
  const socket = createSocket('udp4');
  sockets.push(socket);
  await new Promise<void>((r) => socket.bind(0, host, () => r()));
  const got: Buffer[] = [];
  socket.on('message', (b) => got.push(b));
  return { socket, got, port: socket.address().port };
}

async function session(pool: RtpPortPool, clock = new MediaClock()): Promise<RtpSession> {
  const s = new RtpSession(await pool.open('127.0.0.1'), pool, clock, {
    cname: 't',
    record: false,
  });
  sessions.push(s);
  return s;
}

const sendRtp = (from: Socket, to: number, ssrc = 9, sequence = 1): Promise<void> =>
  new Promise((r) =>
    from.send(
      rtpPacket(
        { marker: sequence === 1, payloadType: 0, sequence, timestamp: 160 * sequence, ssrc },
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

  it('does not move when another host sends into a call whose far end sends from its SDP’s address', async () => {
    let now = 0;
    const clock = new MediaClock(() => now);
    const pool = new RtpPortPool(44200, 44299);
    const s = await session(pool, clock);
    const phone = await farEnd();
    const intruder = await farEnd('127.0.0.3');
    s.start({ ...PLAN, remote: { address: '127.0.0.1', port: phone.port } });
    clock.stop(); // the test drives the clock by hand
    const tick = (ms: number): void => {
      now += ms;
      clock.tick();
      clock.stop();
    };
    tick(0);
    for (let seq = 1; seq <= 3; seq++) await sendRtp(phone.socket, s.port, 9, seq);
    await until(() => s.summary().received.received >= 3);
    // One second in, five packets of another SSRC from another host.
    tick(1000);
    for (let seq = 1; seq <= 5; seq++) await sendRtp(intruder.socket, s.port, 0x44444444, seq);
    await until(() => s.summary().elsewhere?.packets === 5);
    tick(100);
    await until(() => phone.got.length >= 56);
    expect(phone.got.length).toBe(56); // packet 0 at 0 ms, 1..50 at 1000 ms, 51..55 at 1100 ms
    expect(intruder.got).toEqual([]);
    const m = s.summary();
    expect(m.latched).toBeUndefined();
    expect(m.received.received).toBe(3);
    expect(m.elsewhere).toEqual({ packets: 5, from: `127.0.0.3:${intruder.port}` });
  });

  it('once latched, neither moves again nor counts a third source; the SDP’s address sending ends the latch', async () => {
    let now = 0;
    const clock = new MediaClock(() => now);
    const pool = new RtpPortPool(44300, 44399);
    const s = await session(pool, clock);
    const phone = await farEnd(); // says it is at 127.0.0.1 but sends first from 127.0.0.4
    const nat = await farEnd('127.0.0.4');
    const other = await farEnd('127.0.0.5');
    s.start({ ...PLAN, remote: { address: '127.0.0.1', port: phone.port } });
    clock.stop();
    await sendRtp(nat.socket, s.port, 9, 1);
    await until(() => s.summary().latched !== undefined);
    await sendRtp(other.socket, s.port, 10, 1);
    await until(() => s.summary().elsewhere !== undefined);
    now += 20;
    clock.tick();
    clock.stop();
    await until(() => nat.got.length >= 2);
    expect(nat.got.length).toBe(2);
    expect(other.got).toEqual([]);
    expect(s.summary().received.received).toBe(1);
    // The far end's own address sends after all: the latch was not the far end's NAT.
    await sendRtp(phone.socket, s.port, 11, 1);
    await until(() => s.summary().latched === undefined);
    now += 20;
    clock.tick();
    clock.stop();
    await until(() => phone.got.length >= 1);
    expect(phone.got.length).toBe(1);
    expect(nat.got.length).toBe(2);
  });
});
