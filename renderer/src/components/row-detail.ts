// A table row's content opened under it (DataTable's expanded.detail: the log's full text): its height,
// which the virtual list adds to its row's, and the scroll that shows the row and its content on opening.
import { useCallback, useRef, useState, type RefObject } from 'react';

/**
 * The height of the open row's content row (0 while none is open), followed as its width wraps it; kept
 * while the row is scrolled out of the rendered rows, so that the list's height stays true.
 */
export function useDetailHeight(key: string | null): {
  ref: (tr: HTMLTableRowElement | null) => void;
  element: RefObject<HTMLTableRowElement | null>;
  height: number;
} {
  const element = useRef<HTMLTableRowElement | null>(null);
  const watch = useRef<ResizeObserver | null>(null);
  const [height, setHeight] = useState(0);
  const ref = useCallback((tr: HTMLTableRowElement | null) => {
    watch.current?.disconnect();
    watch.current = null;
    element.current = tr;
    if (tr === null) return;
    const measure = () => setHeight(Math.round(tr.getBoundingClientRect().height));
    measure();
    watch.current = new ResizeObserver(measure);
    watch.current.observe(tr);
  }, []);
  return { ref, element, height: key === null ? 0 : height };
}

/**
 * How far to scroll a list (its `top` edge, `head` the sticky header's height, `view` its height) so that a
 * row and the content under it (from rowTop to detailBottom, in the list's coordinates) are in view: as
 * little as it takes, and never so far that the row itself goes under the header.
 */
export function revealBy(box: { rowTop: number; detailBottom: number; head: number; view: number }): number {
  const { rowTop, detailBottom, head, view } = box;
  if (rowTop < head) return rowTop - head;
  if (detailBottom > view) return Math.min(detailBottom - view, rowTop - head);
  return 0;
}

/** Scrolls `list` so that the content row `detail` and the row it opens from are in view. */
export function revealDetail(list: HTMLElement, detail: HTMLTableRowElement | null): void {
  const row = detail?.previousElementSibling;
  if (detail == null || row == null) return;
  const top = list.getBoundingClientRect().top + list.clientTop;
  const by = revealBy({
    rowTop: row.getBoundingClientRect().top - top,
    detailBottom: detail.getBoundingClientRect().bottom - top,
    head: list.querySelector('thead')?.getBoundingClientRect().height ?? 0,
    view: list.clientHeight,
  });
  if (by !== 0) list.scrollTop += by;
}
