// The first cell of a table row that opens its content under it (the log's full text): a disclosure
// button (WAI-ARIA APG Disclosure pattern) saying whether the row is open and what it shows. aria-expanded
// belongs on it, not on the row: ARIA 1.2 allows aria-expanded on a row of a treegrid only, not of a
// table (axe aria-conditional-attr). It acts through its row: its click is the row's (DataTable's
// onRowClick), so Enter or Space on the row and a click anywhere on it still open and close it. It is no
// Tab stop (the table stays one, its row): a screen reader's browse mode finds and presses it.
import type { ReactNode } from 'react';

export function RowToggle({
  open,
  controls,
  children,
}: {
  open: boolean;
  controls: string;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className="row-toggle"
      tabIndex={-1}
      aria-expanded={open}
      aria-controls={open ? controls : undefined}
    >
      {children}
    </button>
  );
}
