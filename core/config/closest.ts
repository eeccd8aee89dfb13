// "Did you mean ...?": the candidate nearest to a mistyped command, parameter or value, by edit distance
// (Damerau-Levenshtein, optimal string alignment: a swapped pair of letters, DPS for DSP, costs 1).

export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The most edits a typo is taken to be. */
const MAX_EDITS = 2;

/**
 * The candidate closest to `input` (case-insensitive), if it is close enough to be a typo: at most 2
 * edits, and fewer than half the input's length. Ties go to the earlier candidate. A candidate whose
 * length differs by more than 2 is more than 2 edits away and is not measured: the table costs the two
 * lengths' product, and a 200,000-character word held the event loop (SIP with it) for 23 s.
 */
export function closest(input: string, candidates: Iterable<string>): string | undefined {
  const wanted = input.toUpperCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (Math.abs(c.length - wanted.length) > MAX_EDITS) continue;
    const distance = editDistance(wanted, c.toUpperCase());
    if (distance < bestDistance) {
      best = c;
      bestDistance = distance;
    }
  }
  if (best === undefined || bestDistance === 0) return best;
  return bestDistance <= MAX_EDITS && bestDistance * 2 < wanted.length ? best : undefined;
}
