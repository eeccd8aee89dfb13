import { describe, expect, it } from 'vitest';
import { revealBy } from './row-detail';

describe('revealBy: a row opened with its content under it is scrolled into view', () => {
  const list = { head: 28, view: 500 };
  it('leaves it where it is when the row and its content are in view', () => {
    expect(revealBy({ ...list, rowTop: 100, detailBottom: 400 })).toBe(0);
  });
  it('scrolls up as far as the content reaches below the list', () => {
    expect(revealBy({ ...list, rowTop: 400, detailBottom: 620 })).toBe(120);
  });
  it('never scrolls the row under the header, though its content is taller than the list', () => {
    expect(revealBy({ ...list, rowTop: 300, detailBottom: 1000 })).toBe(272);
  });
  it('brings back a row under the header', () => {
    expect(revealBy({ ...list, rowTop: 10, detailBottom: 200 })).toBe(-18);
  });
});
