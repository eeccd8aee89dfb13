// The call rate a campaign achieved: calls placed a second while placing, from the first INVITE to the
// last, as SIPp counts it. It was placed over the campaign's whole time (talk and ringing included): 10
// calls placed 20 ms apart (RATE=50) that then talked 12 s read 0.71/s (dialpass F9).
import { describe, expect, it } from 'vitest';
import { callRateAchieved } from '../../../core/dialer/call-rate';

describe('callRateAchieved', () => {
  it('is the placing rate, not placed over the whole campaign', () => {
    const t0 = 1_000_000;
    const c = {
      figures: { placed: 10 },
      startedAt: t0,
      endedAt: t0 + 14_010,
      firstPlacedAt: t0,
      lastPlacedAt: t0 + 180,
    };
    expect(callRateAchieved(c, t0 + 20_000)).toBe(50);
  });

  it('cannot be told from one call; an older summary keeps placed over its whole time', () => {
    expect(
      callRateAchieved(
        { figures: { placed: 1 }, startedAt: 0, endedAt: 3600, firstPlacedAt: 5, lastPlacedAt: 5 },
        9999,
      ),
    ).toBeNull();
    expect(callRateAchieved({ figures: { placed: 10 }, startedAt: 0, endedAt: 5000 }, 9999)).toBe(2);
  });
});
