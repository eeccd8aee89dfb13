// A list read while it changes (new CDR rows above, a log's oldest lines dropped as new ones come) keeps
// the rows in view where they are: one row that is in both the old and the new list is the anchor, and
// the scroll moves by as many rows as it moved. The anchor is the focused row (it is what the keyboard
// is on), else the row under the pointer (what a click would act on: a row's End call must not slide
// away under it), else the selected row while it is in view (a record open beside the list), else, when
// the reader has scrolled away from the top, the first row in view that is still there. At the top with
// nothing focused, pointed at or selected in view, nothing is anchored: new rows come in at the top.

/** Where a key is in `rows`, looked for outward from `near` (a row moves by a few places): -1 if gone. */
export function indexNear<R>(
  rows: readonly R[],
  rowKey: (row: R) => string,
  key: string,
  near: number,
): number {
  const n = rows.length;
  const from = Math.max(0, Math.min(n - 1, near));
  for (let d = 0; d < n; d++) {
    const down = from + d;
    const up = from - d;
    if (down >= n && up < 0) break;
    if (down < n && rowKey(rows[down]!) === key) return down;
    if (d > 0 && up >= 0 && rowKey(rows[up]!) === key) return up;
  }
  return -1;
}

export interface AnchorInput<R> {
  before: readonly R[];
  after: readonly R[];
  rowKey: (row: R) => string;
  /** The scroll position before the change, and the height rows are seen in (below the header). */
  top: number;
  view: number;
  rowHeight: number;
  /** The key of the row holding the focus, if the focus is in the list. */
  focused: string | null;
  /** The key of the row under the pointer, if any. */
  hovered?: string | null;
  selected: string | null;
}

/** The scroll position that keeps the rows in view in place after the change, or null to leave it. */
export function anchoredTop<R>(a: AnchorInput<R>): number | null {
  const { before, after, rowKey, top, rowHeight } = a;
  const first = Math.max(0, Math.floor(top / rowHeight));
  const last = Math.min(before.length - 1, Math.floor((top + Math.max(0, a.view - 1)) / rowHeight));
  const shift = (from: number, key: string): number | null => {
    const to = indexNear(after, rowKey, key, from);
    return to < 0 ? null : Math.max(0, top + (to - from) * rowHeight);
  };
  if (a.focused !== null) {
    const from = indexNear(before, rowKey, a.focused, first);
    const moved = from < 0 ? null : shift(from, a.focused);
    if (moved !== null) return moved;
  }
  for (const key of [a.hovered ?? null, a.selected]) {
    if (key === null) continue;
    for (let i = first; i <= last; i++) {
      if (rowKey(before[i]!) !== key) continue;
      const moved = shift(i, key);
      if (moved !== null) return moved;
      break;
    }
  }
  if (top > 0) {
    // The first whole row in view that is still there (the one under the header may be cut).
    for (let i = Math.ceil(top / rowHeight); i <= last; i++) {
      const moved = shift(i, rowKey(before[i]!));
      if (moved !== null) return moved;
    }
  }
  return null;
}
