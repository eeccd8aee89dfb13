import { describe, expect, it } from 'vitest';
import { HEAD_LINES, resultFileName, shownLines, TAIL_LINES } from './long-entry';

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i}`);

describe('a long terminal result', () => {
  it('is shown whole up to its first lines and the last few', () => {
    const short = lines(HEAD_LINES + TAIL_LINES);
    expect(shownLines(short)).toEqual({ head: short, hidden: 0, tail: [] });
  });

  it('shows its first lines and its last (the count, END), saying how many are left out', () => {
    const all = lines(98_012);
    const s = shownLines(all);
    expect(s.head).toHaveLength(HEAD_LINES);
    expect(s.head[0]).toBe('line 0');
    expect(s.tail).toEqual(all.slice(-TAIL_LINES));
    expect(s.hidden).toBe(98_012 - HEAD_LINES - TAIL_LINES);
    // Asked for more: more of the head, until it is whole.
    expect(shownLines(all, 96_000).hidden).toBe(98_012 - 96_000 - TAIL_LINES);
    expect(shownLines(all, 98_012 - TAIL_LINES)).toEqual({ head: all, hidden: 0, tail: [] });
  });

  it('downloads under a name of its command and time', () => {
    const at = new Date(2026, 11, 7, 5, 3, 12);
    expect(resultFileName('DSP USER ALL', at)).toBe('mml_DSP_USER_ALL_20261207T050312.txt');
    expect(resultFileName('DSP CDR:DATE="2026-12-07";\nDSP REG', at)).toBe(
      'mml_DSP_CDR_DATE_2026_12_07_20261207T050312.txt',
    );
  });
});
