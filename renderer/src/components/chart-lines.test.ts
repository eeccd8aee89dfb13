import { describe, expect, it } from 'vitest';
import { linePattern } from './chart-lines';

describe('linePattern', () => {
  it('gives the lines of a chart of up to three a pattern each, solid first', () => {
    const three = [0, 1, 2].map(linePattern);
    expect(three[0]).toEqual({ dash: undefined, legend: 'solid' });
    expect(new Set(three.map((p) => p.legend)).size).toBe(3);
    expect(new Set(three.map((p) => JSON.stringify(p.dash ?? null))).size).toBe(3);
  });

  it('draws the legend as the line: solid without a dash, dashed with long dashes, dotted with short', () => {
    for (const i of [0, 1, 2, 3, 4]) {
      const { dash, legend } = linePattern(i);
      if (legend === 'solid') expect(dash).toBeUndefined();
      else expect(dash![0]! > dash![1]!).toBe(legend === 'dashed');
    }
  });
});
