// RTP ports another program holds (a SIPp or a phone on the same host, inside DIALER.RTP_PORT_MIN/MAX):
// the pool's free pairs counted them as free, so a campaign started calls for them that failed at once
// ("no free RTP port pair", status 0, in ASR). A pair found held is left out of `free` (and said once)
// until HELD_RETRY_MS has passed, then tried again, waiters told.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HELD_RETRY_MS, RtpPortPool } from '../../../core/media/port-pool';
import { useHeldPorts } from '../../support/held-ports';

const ports = useHeldPorts();

afterEach(() => {
  vi.useRealTimers();
});

describe('RTP ports held by another program', () => {
  it('leaves their pairs out of free, says so once a port, and tries them again later', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const base = 46000 + 6 * Math.floor(Math.random() * 1000);
    const pool = new RtpPortPool(base, base + 5); // three pairs
    await ports.hold(base); // the first pair's RTP port
    await ports.hold(base + 3); // the second pair's RTCP port
    const said: number[] = [];
    pool.onHeld = (port) => said.push(port);
    let told = 0;
    pool.onRelease(() => told++);
    expect([pool.capacity, pool.free]).toEqual([3, 3]);

    const a = await pool.open('127.0.0.1');
    expect(a.port).toBe(base + 4);
    expect(said).toEqual([base, base + 3]);
    expect([pool.capacity, pool.usable, pool.inUse, pool.free]).toEqual([3, 1, 1, 0]);
    await expect(pool.open('127.0.0.1')).rejects.toThrow(/2 held by another program/);
    expect(said).toHaveLength(2); // said once a port

    // The other program lets its ports go: after HELD_RETRY_MS they are tried again.
    ports.release();
    vi.advanceTimersByTime(HELD_RETRY_MS);
    expect([told, pool.usable, pool.free]).toEqual([1, 3, 2]);
    const b = await pool.open('127.0.0.1');
    expect(b.port).toBe(base);
    pool.release(a);
    pool.release(b);
  });
});
