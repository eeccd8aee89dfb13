// A released RTP port pair rests before another call takes it: with the range full, the next call took
// the pair just given back and counted the old call's late echo (a far end sends on for 100-200 ms after
// the BYE) as its own, received above sent.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { REUSE_DELAY_MS, RtpPortPool } from '../../../core/media/port-pool';

afterEach(() => {
  vi.useRealTimers();
});

describe('RTP port pair reuse', () => {
  it('a pair given back is not handed out again for REUSE_DELAY_MS; then it is, and waiters hear of it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const base = 44000 + 4 * Math.floor(Math.random() * 1000);
    const pool = new RtpPortPool(base, base + 3); // two pairs
    let told = 0;
    pool.onRelease(() => told++);
    const a = await pool.open('127.0.0.1');
    const b = await pool.open('127.0.0.1');
    pool.release(a);
    expect([pool.inUse, pool.free, told]).toEqual([1, 0, 0]);
    await expect(pool.open('127.0.0.1')).rejects.toThrow(/no free RTP port pair/);
    vi.advanceTimersByTime(REUSE_DELAY_MS);
    expect([pool.free, told]).toEqual([1, 1]);
    const c = await pool.open('127.0.0.1');
    expect(c.port).toBe(a.port);
    pool.release(b);
    pool.release(c);
    vi.advanceTimersByTime(REUSE_DELAY_MS);
    expect(pool.free).toBe(2);
  });
});
