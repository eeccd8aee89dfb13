// The call rate a campaign achieved, as a SIPp user reads one: calls placed a second while it placed
// them, from its first INVITE to its last ((placed - 1) / span). Placed over the campaign's whole time
// counted its calls' talk and ringing: 10 calls placed at 50/s and talking 12 s read 0.71/s.

export interface PlacingTimes {
  figures: { placed: number };
  startedAt: number;
  endedAt?: number;
  /** When its first and its latest call were placed (absent in a summary kept by an older IMS Lab). */
  firstPlacedAt?: number;
  lastPlacedAt?: number;
}

/** Calls a second, two decimals; null when it cannot be told (fewer than two calls placed). */
export function callRateAchieved(c: PlacingTimes, now: number): number | null {
  const round = (v: number): number => Math.round(v * 100) / 100;
  const placed = c.figures.placed;
  if (c.firstPlacedAt !== undefined && c.lastPlacedAt !== undefined) {
    const span = (c.lastPlacedAt - c.firstPlacedAt) / 1000;
    return placed < 2 || span <= 0 ? null : round((placed - 1) / span);
  }
  // An older summary: only its whole time is known.
  const elapsed = ((c.endedAt ?? now) - c.startedAt) / 1000;
  return elapsed > 0 ? round(placed / elapsed) : null;
}
