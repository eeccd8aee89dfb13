// RFC 4733 DTMF: per digit, five 20 ms event packets with growing duration (the first marked), the end
// packet three times with the E bit, then a pause; the event codes of §3.2 (0-9, *=10, #=11, A-D=12-15).
import { describe, expect, it } from 'vitest';
import { dtmfSlots, isDtmfDigits } from '../../../core/media/dtmf';

describe('DTMF events', () => {
  it('lays out one digit as RFC 4733 packets', () => {
    const slots = dtmfSlots('#');
    const events = slots.filter((s) => s.payload !== undefined);
    expect(events).toHaveLength(7);
    expect(events.map((s) => s.payload![0])).toEqual(Array(7).fill(11));
    expect(events.map((s) => s.start)).toEqual([true, false, false, false, false, false, false]);
    expect(events.map((s) => s.payload!.readUInt16BE(2))).toEqual([160, 320, 480, 640, 800, 800, 800]);
    expect(events.map((s) => (s.payload![1]! & 0x80) !== 0)).toEqual([
      false,
      false,
      false,
      false,
      true,
      true,
      true,
    ]);
    expect(events.every((s) => (s.payload![1]! & 0x3f) === 10)).toBe(true); // volume -10 dBm0
    // One timestamp per event, the end's two repeats included: the sender stamps slot n with n - offset
    // (the repeats carried the start + 160 and + 320 samples).
    expect(events.map((s) => s.offset)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(new Set(slots.slice(0, 7).map((s, n) => n - s.offset))).toEqual(new Set([0]));
    expect(slots.slice(7).every((s) => s.payload === undefined)).toBe(true); // the pause
  });

  it('codes digits, * and # and A-D; refuses anything else', () => {
    expect(
      dtmfSlots('19*A')
        .filter((s) => s.start)
        .map((s) => s.payload![0]),
    ).toEqual([1, 9, 10, 12]);
    expect(isDtmfDigits('123#*abcd')).toBe(true);
    expect(isDtmfDigits('12x')).toBe(false);
    expect(isDtmfDigits('')).toBe(false);
  });
});
