import { describe, expect, it } from 'vitest';
import { yAxisWidth } from './chart-axis';

describe('yAxisWidth', () => {
  it('grows with the longest tick label', () => {
    expect(yAxisWidth(['0', '5,000', '10,000', '15,000'])).toBe(65);
    expect(yAxisWidth(['0', '50', '100'])).toBe(43);
    expect(yAxisWidth(['1,500,000'])).toBeGreaterThan(yAxisWidth(['15,000']));
  });

  it('keeps a minimum before uPlot has labels', () => {
    expect(yAxisWidth(null)).toBe(40);
    expect(yAxisWidth([])).toBe(40);
  });
});
