// The "Not connected: the data shown is from HH:MM:SS" stamp: the last word heard from the appliance on
// the server's clock, not the moment the console noticed (10 s later for a hung server or a cut link) on
// the browser's.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { serverNow, setServerClock } from '../components/local-time';
import { useShell } from './shell';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-12-07T07:32:30Z'));
});
afterEach(() => {
  setServerClock(Date.now()); // offset 0 again
  vi.useRealTimers();
});

describe('the stale stamp (lostAt)', () => {
  it('is when the appliance last said anything, on the server clock, not when stalled was declared', () => {
    // The server's clock runs an hour behind this browser's.
    setServerClock(Date.now() - 3_600_000);
    const s = useShell.getState();
    s.setConnection('connected');
    const lastWord = serverNow() - 10_000; // heard 07:32:20 browser = 06:32:20 server
    s.setConnection('stalled', lastWord);
    expect(new Date(useShell.getState().lostAt!).toISOString()).toBe('2026-12-07T06:32:20.000Z');
    // Stalled, then the socket closes: still the same moment.
    vi.advanceTimersByTime(5000);
    useShell.getState().setConnection('reconnecting', serverNow());
    expect(new Date(useShell.getState().lostAt!).toISOString()).toBe('2026-12-07T06:32:20.000Z');
    useShell.getState().setConnection('connected');
    expect(useShell.getState().lostAt).toBeNull();
  });

  it('is now on the server clock when nothing was heard to stamp it', () => {
    setServerClock(Date.now() - 3_600_000);
    useShell.getState().setConnection('connected');
    useShell.getState().setConnection('offline');
    expect(new Date(useShell.getState().lostAt!).toISOString()).toBe('2026-12-07T06:32:30.000Z');
  });
});
