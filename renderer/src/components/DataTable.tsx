// A data table that stays smooth at 10,000+ rows: a real <table> (column headers for screen readers and
// tests) whose body renders only the rows in view (@tanstack/react-virtual), with spacer rows above and
// below keeping the scroll height true. Rows that open something are reached with Tab, opened with Enter
// or Space, and the arrow keys move between them, as well as clicked.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, type KeyboardEvent, type ReactNode } from 'react';

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
  return typeof content === 'string' && content !== '' ? content : undefined;
}

const ROW_HEIGHT = 28;

/** Enter or Space opens the focused row; Up and Down move to the row before or after it. */
function rowKeys(e: KeyboardEvent<HTMLTableRowElement>, open: () => void): void {
  if (e.target !== e.currentTarget) return; // a control inside the row has its own keys
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    open();
    return;
  }
  const next =
    e.key === 'ArrowDown'
      ? e.currentTarget.nextElementSibling
      : e.key === 'ArrowUp'
        ? e.currentTarget.previousElementSibling
        : null;
  if (next instanceof HTMLTableRowElement && next.tabIndex === 0) {
    e.preventDefault();
    next.focus();
  }
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
  minWidth,
  empty,
}: {
  label: string;
  columns: Column<R>[];
  rows: readonly R[];
  rowKey: (row: R) => string;
  onRowClick?: (row: R) => void;
  rowClass?: (row: R) => string;
  selectedKey?: string | null;
  height?: string;
  /** Below this width the table scrolls sideways instead of squeezing its columns (default 720px). */
  minWidth?: string;
  /** Shown in the body when there are no rows (the empty state). */
  empty?: ReactNode;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is used as documented
  const v = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = v.getVirtualItems();
  const top = items.length > 0 ? items[0]!.start : 0;
  const bottom = items.length > 0 ? v.getTotalSize() - items[items.length - 1]!.end : 0;
  return (
    <div className="table-scroll" ref={scroller} style={height ? { height } : undefined}>
      <table
        className="data-table"
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
              <th key={c.key} scope="col" className={c.pinned ? 'col-pinned' : undefined}>
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
          {top > 0 && (
            <tr aria-hidden="true" style={{ height: top }}>
              <td colSpan={columns.length} />
            </tr>
          )}
          {items.map((item) => {
            const row = rows[item.index]!;
            const key = rowKey(row);
            return (
              <tr
                key={key}
                aria-rowindex={item.index + 2}
                className={`${rowClass?.(row) ?? ''}${selectedKey === key ? ' row-selected' : ''}${onRowClick ? ' row-click' : ''}`}
                style={{ height: ROW_HEIGHT }}
                onClick={onRowClick ? () => onRowClick(row) : undefined}
                tabIndex={onRowClick ? 0 : undefined}
                onKeyDown={onRowClick ? (e) => rowKeys(e, () => onRowClick(row)) : undefined}
              >
                {columns.map((c) => {
                  const content = c.cell(row);
                  const className = [c.className, c.pinned ? 'col-pinned' : ''].filter(Boolean).join(' ');
                  return (
                    <td key={c.key} className={className || undefined} title={cellTitle(content)}>
                      {content}
                    </td>
                  );
                })}
              </tr>
            );
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
