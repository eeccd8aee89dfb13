import { describe, expect, it } from 'vitest';
import { anchoredTop, indexNear } from './scroll-anchor';

const H = 28;
const key = (r: number) => String(r);
/** Rows numbered from `from` to `to`, newest first as the CDR lists them when `down`. */
const range = (from: number, to: number, down = false): number[] => {
  const out: number[] = [];
  for (let r = from; r <= to; r++) out.push(r);
  return down ? out.reverse() : out;
};

describe('indexNear', () => {
  it('finds a key either side of where it was, or says it is gone', () => {
    const rows = range(0, 99);
    expect(indexNear(rows, key, '40', 10)).toBe(40);
    expect(indexNear(rows, key, '3', 90)).toBe(3);
    expect(indexNear(rows, key, '100', 50)).toBe(-1);
    expect(indexNear([], key, '1', 0)).toBe(-1);
  });
});

describe('anchoredTop', () => {
  // A log of 500 lines kept, read from line 200 (scrollTop 200 rows down); 100 newer lines come and the
  // 100 oldest go: the same lines stay in view, 100 rows further up.
  it('keeps a log read scrolled up in place as its oldest lines are dropped', () => {
    const before = range(0, 499);
    const after = range(100, 599);
    const top = 200 * H;
    expect(
      anchoredTop({
        before,
        after,
        rowKey: key,
        top,
        view: 600,
        rowHeight: H,
        focused: null,
        selected: null,
      }),
    ).toBe(100 * H);
  });

  it('at the top with nothing focused or selected in view, leaves new rows to come in at the top', () => {
    const before = range(0, 199, true);
    const after = range(60, 259, true);
    expect(
      anchoredTop({
        before,
        after,
        rowKey: key,
        top: 0,
        view: 600,
        rowHeight: H,
        focused: null,
        selected: null,
      }),
    ).toBeNull();
  });

  it('at the top, follows the selected record in view, or the focused row, as newer rows come above', () => {
    const before = range(0, 199, true); // 199 first
    const after = range(60, 259, true); // 60 newer above it
    const args = { before, after, rowKey: key, top: 0, view: 600, rowHeight: H };
    expect(anchoredTop({ ...args, focused: null, selected: '196' })).toBe(60 * H);
    expect(anchoredTop({ ...args, focused: '190', selected: null })).toBe(60 * H);
    // A selected record out of view is not followed: the reader went back to the top to watch.
    expect(anchoredTop({ ...args, focused: null, selected: '20' })).toBeNull();
  });

  it('a focused row that has gone anchors nothing; the first row in view that is left does', () => {
    const before = range(0, 199, true);
    const after = range(200, 399, true); // a whole page newer: nothing left
    const args = { before, after, rowKey: key, top: 0, view: 600, rowHeight: H };
    expect(anchoredTop({ ...args, focused: '199', selected: '199' })).toBeNull();
    // Scrolled to row 10 of a log whose rows 10 and 11 went (filtered): row 12 stays where it was, two
    // rows below the top, so the scroll goes up by the two rows gone.
    const log = range(0, 99);
    const filtered = log.filter((r) => r !== 10 && r !== 11);
    expect(
      anchoredTop({
        before: log,
        after: filtered,
        rowKey: key,
        top: 10 * H,
        view: 300,
        rowHeight: H,
        focused: null,
        selected: null,
      }),
    ).toBe(8 * H);
  });
});

describe('anchoredTop under the pointer', () => {
  it('holds the row under the pointer still as newer rows come above it (its End call stays under it)', () => {
    const before = range(0, 99, true);
    const after = range(14, 113, true); // 14 calls newer
    const args = {
      before,
      after,
      rowKey: key,
      top: 0,
      view: 600,
      rowHeight: H,
      focused: null,
      selected: null,
    };
    expect(anchoredTop({ ...args, hovered: '91' })).toBe(14 * H);
    expect(anchoredTop({ ...args, hovered: null })).toBeNull();
  });
});
