// A data table that stays smooth at 10,000+ rows: a real <table> (column headers for screen readers and
// tests) whose body renders only the rows in view (@tanstack/react-virtual), with spacer rows above and
// below keeping the scroll height true.
//
// The keyboard reaches a table as one Tab stop, whatever its length (WCAG 2.1.1, 2.4.3): one row holds
// tabIndex 0 (the last one focused or clicked, else the first row in view), every other row -1, and the
// controls inside rows other than that one are taken out of the Tab order too (a row's Edit and Delete
// are reached by Tab from their row). Up and Down, Home and End, Page Up and Page Down move the focus,
// scrolling the list to it; Enter or Space opens a row that opens something, as a click does.
//
// Rows that come and go while the list is read (new rows above, the oldest dropped) leave the rows in
// view where they are (scroll-anchor.ts; the row under the pointer too), and the focused row stays rendered and focused, wherever the
// list takes it; a focused row that leaves the list is said to `onFocusedRowGone`.
//
// A row may open its content under itself (expanded.detail, the log's full text): the virtual list counts
// it in that row's height, and opening it scrolls the row and its content into view (row-detail.ts).
import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { peerText, peerTitle } from './peer-text';
import { revealDetail, useDetailHeight } from './row-detail';
import { RowToggle } from './RowToggle';
import { anchoredTop } from './scroll-anchor';

export interface Column<R> {
  key: string;
  header: string;
  cell: (row: R) => ReactNode;
  width?: string;
  className?: string;
  /**
   * Kept at the right edge while the table scrolls sideways (a row's action buttons): a narrow window
   * scrolls the other columns, never the button that acts on the row out of reach.
   */
  pinned?: boolean;
}

/** A cell's own text as its tooltip: a cell cut with an ellipsis can still be read whole. */
function cellTitle(content: ReactNode): string | undefined {
  return typeof content === 'string' && content !== '' ? peerTitle(content) : undefined;
}

/**
 * A column header cut with an ellipsis gets its whole text as a tooltip, set as the pointer comes (the
 * cut depends on the window's width); one shown whole has none (a screen reader would say it twice).
 */
function headerTitle(th: HTMLTableCellElement, header: string): void {
  if (th.scrollWidth > th.clientWidth) th.title = header;
  else th.removeAttribute('title');
}

const ROW_HEIGHT = 28;

/** How many renders a wrapping table keeps the row the keyboard went to in view while rows are measured. */
const REVEAL_RENDERS = 20;

/** The controls a row may hold (its actions): out of the Tab order except in the row holding the stop. */
// Not a row's disclosure button (RowToggle): the row itself is its keyboard way (Enter, Space), so the
// table stays one Tab stop.
const ROW_CONTROLS = 'a[href], button:not(.row-toggle), input, select, textarea';

/** The row a key moves the focus to from row `from` of `count`, or undefined for another key. */
export function rowTarget(key: string, from: number, count: number, pageRows: number): number | undefined {
  const to =
    key === 'ArrowDown'
      ? from + 1
      : key === 'ArrowUp'
        ? from - 1
        : key === 'Home'
          ? 0
          : key === 'End'
            ? count - 1
            : key === 'PageDown'
              ? from + pageRows
              : key === 'PageUp'
                ? from - pageRows
                : undefined;
  return to === undefined ? undefined : Math.max(0, Math.min(count - 1, to));
}

export function DataTable<R>({
  label,
  columns,
  rows,
  rowKey,
  onRowClick,
  rowClass,
  selectedKey,
  height,
  minHeight,
  minWidth,
  empty,
  stickToEnd = false,
  wrap = false,
  compact = false,
  onFocusedRowGone,
  expanded,
}: {
  label: string;
  columns: Column<R>[];
  rows: readonly R[];
  rowKey: (row: R) => string;
  onRowClick?: (row: R) => void;
  rowClass?: (row: R) => string;
  selectedKey?: string | null;
  height?: string;
  /**
   * The least height it keeps in a view taller than the window (which scrolls): otherwise it shrinks
   * to the default 60 px, its header and hardly a row.
   */
  minHeight?: string;
  /** Below this width the table scrolls sideways instead of squeezing its columns (default 720px). */
  minWidth?: string;
  /** Shown in the body when there are no rows (the empty state). */
  empty?: ReactNode;
  /**
   * Kept scrolled to its last row after every render (a log that follows its newest lines): also once
   * the virtual list has laid out its full height, which happens after the rows first arrive.
   */
  stickToEnd?: boolean;
  /** Cells wrap their text, each row as tall as it needs (measured); otherwise one line, cut. */
  wrap?: boolean;
  /**
   * Many short columns (the Dialer's figures): the headers wrap at their spaces onto a second line
   * instead of being cut ("RTP / recv"), and the cells have half the padding, so that the table fits a
   * 1,024 px window without scrolling sideways.
   */
  compact?: boolean;
  /**
   * The focused row left the rows (a newer page pushed it off): where the focus goes instead, said to
   * the reader; without it the focus goes to the row now at its place (focus-rescue.ts).
   */
  onFocusedRowGone?: (key: string) => void;
  /**
   * Rows that open their content (the log's full text): each row's first cell is a disclosure button
   * (RowToggle) saying whether it is the one open and what shows it (`controls`, its id). With `detail`,
   * that content is shown under its row, across the columns (in a table whose rows are one line).
   */
  expanded?: { key: string | null; controls: string; detail?: ReactNode };
}) {
  const scroller = useRef<HTMLDivElement>(null);
  // The key of the row that holds the table's Tab stop (null: the first row in view holds it).
  const [active, setActive] = useState<string | null>(null);
  // A row the keyboard moved to that is not rendered yet: focused once the list has scrolled to it.
  const pendingFocus = useRef<number | null>(null);
  // In a table whose rows wrap (each as tall as it needs), the row the keyboard moved to: its place was
  // estimated before the rows on the way were measured, so it is kept in view as they are, over the next
  // few renders (until the reader scrolls or clicks).
  const reveal = useRef<{ index: number; renders: number } | null>(null);
  // Where stickToEnd last left the scroll: a reader who has scrolled up from there is not pulled back.
  const stuckAt = useRef(0);
  // The row holding the focus (or a control in it): kept rendered as the rows change under it.
  const [focused, setFocused] = useState<string | null>(null);
  const focusedIndex = focused === null ? -1 : rows.findIndex((r) => rowKey(r) === focused);
  // The rows and scroll position last seen, to keep the rows in view in place when the rows change.
  const seen = useRef<{ rows: readonly R[]; top: number } | null>(null);
  // The row under the pointer: it holds still as rows come and go, so a click lands on what was aimed at.
  const hovered = useRef<string | null>(null);
  // The open row's content under it: its row's index, and its height, which the virtual list adds to it.
  const detailKey = expanded?.detail !== undefined ? expanded.key : null;
  const detailIndex = detailKey === null ? -1 : rows.findIndex((r) => rowKey(r) === detailKey);
  const detail = useDetailHeight(detailKey);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is used as documented
  const v = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: (index) => (index === detailIndex ? ROW_HEIGHT + detail.height : ROW_HEIGHT),
    overscan: 12,
    // Rows that have just changed keep the focused row rendered where it went, until the scroll is
    // anchored (then it is in view again, or it has left the rows).
    rangeExtractor: (range: Range) => {
      const indexes = defaultRangeExtractor(range);
      const changed = seen.current !== null && seen.current.rows !== rows;
      if (!changed || focusedIndex < 0 || indexes.includes(focusedIndex)) return indexes;
      return [...indexes, focusedIndex].sort((a, b) => a - b);
    },
  });
  const items = v.getVirtualItems();
  const bottom = items.length > 0 ? v.getTotalSize() - items[items.length - 1]!.end : 0;
  const keys = items.map((item) => rowKey(rows[item.index]!));
  const offset = v.scrollOffset ?? 0;
  const stop =
    active !== null && keys.includes(active)
      ? active
      : keys[
          Math.max(
            0,
            items.findIndex((item) => item.start >= offset),
          )
        ];

  const rowElement = (index: number): HTMLTableRowElement | null =>
    scroller.current?.querySelector<HTMLTableRowElement>(`tbody tr[aria-rowindex="${index + 2}"]`) ?? null;

  /** Scrolls row `index` whole into view (below the sticky header) and focuses it, now or once rendered. */
  const focusRow = (index: number) => {
    const el = scroller.current;
    if (el === null) return;
    const head = el.querySelector('thead')?.getBoundingClientRect().height ?? ROW_HEIGHT;
    const measured = v.measurementsCache[index];
    const rowTop = head + (measured?.start ?? index * ROW_HEIGHT);
    const size = measured?.size ?? ROW_HEIGHT;
    if (rowTop < el.scrollTop + head) el.scrollTop = rowTop - head;
    else if (rowTop + size > el.scrollTop + el.clientHeight) el.scrollTop = rowTop + size - el.clientHeight;
    setActive(rowKey(rows[index]!));
    if (wrap) reveal.current = { index, renders: REVEAL_RENDERS };
    const tr = rowElement(index);
    if (tr !== null) tr.focus({ preventScroll: true });
    else pendingFocus.current = index;
  };

  /** Scrolls the row the keyboard went to (in a table whose rows wrap) whole into view, as measured now. */
  const keepInView = (el: HTMLDivElement, target: { index: number; renders: number }) => {
    const tr = rowElement(target.index);
    target.renders -= 1;
    if (target.renders <= 0 || tr === null || document.activeElement !== tr) {
      if (tr !== null || target.renders <= 0) reveal.current = null;
      return;
    }
    const head = el.querySelector('thead')?.getBoundingClientRect().height ?? ROW_HEIGHT;
    const box = tr.getBoundingClientRect();
    const view = el.getBoundingClientRect();
    const top = box.top - view.top - head;
    const bottom = box.bottom - view.top - el.clientHeight;
    if (top < 0) el.scrollTop += top;
    else if (bottom > 0) el.scrollTop += Math.min(bottom, top);
  };

  const onRowKey = (e: KeyboardEvent<HTMLTableRowElement>, index: number, row: R) => {
    if (e.target !== e.currentTarget) return; // a control inside the row has its own keys
    if (e.key === 'Enter' || e.key === ' ') {
      if (onRowClick === undefined) return;
      e.preventDefault();
      onRowClick(row);
      return;
    }
    const el = scroller.current;
    const pageRows = el ? Math.max(1, Math.floor(el.clientHeight / ROW_HEIGHT) - 2) : 10;
    const to = rowTarget(e.key, index, rows.length, pageRows);
    if (to === undefined) return;
    e.preventDefault();
    focusRow(to);
  };

  // The open row's place or its content's height changed: the list's heights are counted again.
  useLayoutEffect(() => {
    v.measure();
  }, [v, detailIndex, detail.height]);
  // A row just opened: it and its content are scrolled into view (WCAG 2.4.11), the row first.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el !== null && detailKey !== null && detail.height > 0) revealDetail(el, detail.element.current);
  }, [detailKey, detail.height > 0]); // eslint-disable-line react-hooks/exhaustive-deps -- on opening only

  // The scroll position as the reader moves it, for the anchoring below.
  useEffect(() => {
    const el = scroller.current;
    if (el === null) return;
    const onScroll = () => {
      if (seen.current !== null) seen.current.top = el.scrollTop;
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, []);

  // When the rows change: the rows in view stay in place (not while the table follows its end), and a
  // focused row that has gone is said (the focus went with it).
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el === null) return;
    const before = seen.current;
    if (before !== null && before.rows !== rows) {
      if (!wrap && !stickToEnd) {
        const head = el.querySelector('thead')?.getBoundingClientRect().height ?? ROW_HEIGHT;
        const target = anchoredTop({
          before: before.rows,
          after: rows,
          rowKey,
          top: before.top,
          view: el.clientHeight - head,
          rowHeight: ROW_HEIGHT,
          focused: focusedIndex >= 0 && el.contains(document.activeElement) ? focused : null,
          hovered: hovered.current,
          selected: selectedKey ?? null,
        });
        if (target !== null && Math.abs(target - el.scrollTop) >= 1) {
          el.scrollTop = target;
          // The virtualizer hears of it from the scroll event; a render before that one renders the
          // rows at the new position already (the focused row among them).
          v.scrollOffset = el.scrollTop;
        }
      }
      const lost = document.activeElement === null || document.activeElement === document.body;
      if (focused !== null && focusedIndex < 0 && lost) onFocusedRowGone?.(focused);
    }
    seen.current = { rows, top: el.scrollTop };
  });

  // After every render: the row the keyboard went to gets the focus once it is rendered; the controls of
  // the rows without the Tab stop leave the Tab order (those of the row with it come back); and a table
  // that sticks to its end is scrolled there (its full height is known only once the list has laid out).
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el === null) return;
    if (pendingFocus.current !== null) {
      const tr = rowElement(pendingFocus.current);
      if (tr !== null) {
        pendingFocus.current = null;
        tr.focus({ preventScroll: true });
      }
    }
    for (const tr of el.querySelectorAll<HTMLTableRowElement>('tbody tr[aria-rowindex]')) {
      for (const control of tr.querySelectorAll<HTMLElement>(ROW_CONTROLS)) {
        if (tr.tabIndex === 0) control.removeAttribute('tabindex');
        else control.tabIndex = -1;
      }
    }
    if (reveal.current !== null) keepInView(el, reveal.current);
    if (stickToEnd) {
      const fromEnd = el.scrollHeight - el.scrollTop - el.clientHeight;
      if (fromEnd < 32 || el.scrollTop >= stuckAt.current - 1) {
        if (fromEnd > 1) el.scrollTop = el.scrollHeight;
        stuckAt.current = el.scrollTop;
      }
    }
  });

  return (
    <div
      className="table-scroll"
      ref={scroller}
      style={height || minHeight ? { height, minHeight } : undefined}
      onWheel={() => (reveal.current = null)}
      onPointerDown={() => (reveal.current = null)}
    >
      <table
        className={['data-table', wrap ? 'data-table-wrap' : '', compact ? 'data-table-compact' : '']
          .filter(Boolean)
          .join(' ')}
        aria-label={label}
        aria-rowcount={rows.length + 1}
        style={minWidth ? { minWidth } : undefined}
      >
        <colgroup>
          {columns.map((c) => (
            <col key={c.key} style={c.width ? { width: c.width } : undefined} />
          ))}
        </colgroup>
        <thead>
          <tr>
            {columns.map((c) => (
              <th
                key={c.key}
                scope="col"
                // The column's class too: a number column's header stands right, over its numbers.
                className={[c.className, c.pinned ? 'col-pinned' : ''].filter(Boolean).join(' ') || undefined}
                onPointerEnter={(e) => headerTitle(e.currentTarget, c.header)}
              >
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && empty !== undefined && (
            <tr>
              <td colSpan={columns.length} className="empty-cell">
                {/* Centred in the visible part of a wide table, not in its whole width. */}
                <div className="empty-msg">{empty}</div>
              </td>
            </tr>
          )}
          {items.length > 0 && items[0]!.start > 0 && (
            <tr aria-hidden="true" style={{ height: items[0]!.start }}>
              <td colSpan={columns.length} />
            </tr>
          )}
          {items.flatMap((item, i) => {
            const row = rows[item.index]!;
            const key = keys[i]!;
            // The space of the rows not rendered between the rows in view and the focused row kept
            // rendered away from them.
            const gap = i === 0 ? 0 : item.start - items[i - 1]!.end;
            return [
              ...(gap > 0
                ? [
                    <tr key={`gap-${key}`} aria-hidden="true" style={{ height: gap }}>
                      <td colSpan={columns.length} />
                    </tr>,
                  ]
                : []),
              <tr
                key={key}
                ref={wrap ? v.measureElement : undefined}
                data-index={item.index}
                aria-rowindex={item.index + 2}
                className={`${rowClass?.(row) ?? ''}${selectedKey === key ? ' row-selected' : ''}${onRowClick ? ' row-click' : ''}`}
                style={{ height: ROW_HEIGHT }}
                onClick={onRowClick ? () => onRowClick(row) : undefined}
                tabIndex={key === stop ? 0 : -1}
                onFocus={() => {
                  if (active !== key) setActive(key);
                  if (focused !== key) setFocused(key);
                }}
                onBlur={(e) => {
                  if (!e.currentTarget.contains(e.relatedTarget)) setFocused(null);
                }}
                onPointerEnter={() => {
                  hovered.current = key;
                }}
                onPointerLeave={() => {
                  if (hovered.current === key) hovered.current = null;
                }}
                onKeyDown={(e) => onRowKey(e, item.index, row)}
              >
                {columns.map((c, ci) => {
                  const content = c.cell(row);
                  const className = [c.className, c.pinned ? 'col-pinned' : ''].filter(Boolean).join(' ');
                  // A text cell may be a peer's (a display name, a User-Agent): its bidi overrides shown.
                  const shown = typeof content === 'string' ? peerText(content) : content;
                  return (
                    <td key={c.key} className={className || undefined} title={cellTitle(content)}>
                      {expanded && ci === 0 ? (
                        <RowToggle open={key === expanded.key} controls={expanded.controls}>
                          {shown}
                        </RowToggle>
                      ) : (
                        shown
                      )}
                    </td>
                  );
                })}
              </tr>,
              ...(key === detailKey
                ? [
                    <tr key={`detail-${key}`} className="row-detail" ref={detail.ref}>
                      <td colSpan={columns.length}>{expanded?.detail}</td>
                    </tr>,
                  ]
                : []),
            ];
          })}
          {bottom > 0 && (
            <tr aria-hidden="true" style={{ height: bottom }}>
              <td colSpan={columns.length} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
