// How a chart's lines are told apart other than by colour (WCAG 1.4.1): Received and Sent, green and red,
// were 1.2:1 apart to a deuteranope. Each line of a chart has its own dash pattern, by its place in the
// chart, drawn the same in its legend's marker (a CSS border style).

/** A line's pattern: uPlot's canvas dash (none: solid) and its legend marker's border style. */
export interface LinePattern {
  dash: number[] | undefined;
  legend: 'solid' | 'dashed' | 'dotted';
}

const PATTERNS: readonly LinePattern[] = [
  { dash: undefined, legend: 'solid' },
  { dash: [8, 4], legend: 'dashed' },
  { dash: [2, 3], legend: 'dotted' },
];

/** The pattern of a chart's line `index` (0: the first); past three they repeat. */
export function linePattern(index: number): LinePattern {
  return PATTERNS[index % PATTERNS.length]!;
}
