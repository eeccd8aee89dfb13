// Sizes and durations in log lines.
import { describe, expect, it } from 'vitest';
import { elapsedText, sizeText } from '../../../core/observe/amounts';

describe('amounts', () => {
  it('says a size in the largest unit it reaches, a decimal below 10', () => {
    expect([0, 1023, 1024, 1536, 20 * 1024, 700 * 1024 * 1024, 3 * 1024 ** 3].map(sizeText)).toEqual([
      '0 B',
      '1023 B',
      '1.0 KB',
      '1.5 KB',
      '20 KB',
      '700 MB',
      '3.0 GB',
    ]);
  });

  it('says a time in ms below a second, else in seconds', () => {
    expect([0.4, 999.4, 1000, 24_050].map(elapsedText)).toEqual(['0 ms', '999 ms', '1.0 s', '24.1 s']);
  });
});
