import { describe, expect, it } from 'vitest';
import { valueWithUnit } from './value-unit';

describe('a measured value as the console writes it', () => {
  it("one rounding and the unit, in a chart's Now and its legend alike (the legend read 203.223 beside 203 MB)", () => {
    expect(valueWithUnit(203.223, { digits: 0, unit: 'MB' })).toBe('203 MB');
    expect(valueWithUnit(1.956, { digits: 1, unit: '%' })).toBe('2.0 %');
    expect(valueWithUnit(366.081, { digits: 1, unit: 'KB/s' })).toBe('366.1 KB/s');
  });

  it('no value is a dash, without a unit', () => {
    expect(valueWithUnit(null, { digits: 1, unit: 'ms' })).toBe('—');
    expect(valueWithUnit(undefined, { digits: 1, unit: 'ms' })).toBe('—');
    expect(valueWithUnit(Number.NaN, { digits: 1, unit: 'ms' })).toBe('—');
  });
});
