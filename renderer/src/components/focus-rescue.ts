// WCAG 2.4.3 (focus order): an action that removes or disables the control it was started from drops
// the focus to <body>: a user deleted (its row goes, its Delete button with it), a call ended (End call
// goes), Stop service (disabled once stopped). The keyboard then starts again at the top of the page and
// a screen reader says nothing. One listener on the document hands the focus on instead, to what now
// stands where the control was: its row if the row stayed, the row now at its index, the nearest
// enabled control beside a disabled one, else the view's heading.

/** Where a control was: enough to find what stands in its place once it has gone. */
export interface Place {
  /** The table row holding it (or the row itself). */
  row: HTMLTableRowElement | null;
  /** That row's aria-rowindex (DataTable numbers its rows), 0 outside a table. */
  index: number;
  table: HTMLTableElement | null;
}

export function placeOf(el: Element | null): Place {
  const row = el?.closest<HTMLTableRowElement>('tr[aria-rowindex]') ?? null;
  return {
    row,
    index: row === null ? 0 : Number(row.getAttribute('aria-rowindex')),
    table: row?.closest('table') ?? null,
  };
}

/** Focuses the open view's heading (ViewFrame's, focusable from script); false when no view is open. */
export function focusViewHeading(): boolean {
  const heading = document.getElementById('panel-title');
  if (heading === null) return false;
  heading.focus();
  return true;
}

/**
 * Focuses what stands in the place of a control that has gone: its row if still there; else the row at
 * its index (the next one, when a row was deleted); else the last row when the table now ends before
 * that index; else the row holding the table's Tab stop (a row the virtual list dropped as it scrolled:
 * the stop is in view); else the view's heading.
 * Rows are focused without scrolling: what is focused is where the reader already looks.
 */
export function focusInPlace(place: Place): boolean {
  if (place.row?.isConnected === true) {
    place.row.focus({ preventScroll: true });
    return true;
  }
  if (place.table?.isConnected === true) {
    const rows = [...place.table.querySelectorAll<HTMLTableRowElement>('tbody tr[aria-rowindex]')];
    const pastTheEnd = place.index > Number(place.table.getAttribute('aria-rowcount'));
    const row =
      rows.find((r) => Number(r.getAttribute('aria-rowindex')) === place.index) ??
      (pastTheEnd ? rows.at(-1) : rows.find((r) => r.tabIndex === 0)) ??
      rows.at(-1);
    if (row !== undefined) {
      row.focus({ preventScroll: true });
      return true;
    }
  }
  return focusViewHeading();
}

const TABBABLE = 'a[href], button, input, select, textarea, [tabindex]';

function tabbable(el: Element): el is HTMLElement {
  return (
    el instanceof HTMLElement &&
    el.tabIndex >= 0 &&
    !(el as HTMLButtonElement).disabled &&
    el.getClientRects().length > 0
  );
}

/**
 * The control to go to from one just disabled: in its nearest container that holds another, the closest
 * one before it (Stop service → Start service, Next → Previous), else the closest after it (Start
 * service → Stop service).
 */
export function neighbourOf(el: HTMLElement): HTMLElement | null {
  for (let box = el.parentElement; box !== null && box.tagName !== 'MAIN'; box = box.parentElement) {
    const all = [...box.querySelectorAll(TABBABLE)];
    const at = all.indexOf(el);
    const before = all.slice(0, at).reverse().find(tabbable);
    const after = all.slice(at + 1).find(tabbable);
    const found = before ?? after;
    if (found !== undefined) return found;
  }
  return null;
}

const isDisabled = (el: Element): boolean => (el as HTMLButtonElement).disabled === true;

/**
 * Listens on `doc` for a focus lost to nothing (focusout with no element taking it) and, once the
 * change that caused it is done (a microtask: React's commit has finished), hands it on when the control
 * left the page or was disabled. A control the user left by clicking elsewhere is still there and
 * enabled: that focus stays where the user put it. Returns the listener's removal.
 */
export function keepFocus(doc: Document): () => void {
  const onFocusOut = (e: FocusEvent) => {
    if (e.relatedTarget !== null || !(e.target instanceof HTMLElement)) return;
    const el = e.target;
    // Chromium blurs a control being removed before it leaves the tree: where it was is read now.
    const place = placeOf(el);
    queueMicrotask(() => {
      const now = doc.activeElement;
      if (now !== null && now !== doc.body) return;
      if (el.isConnected && !isDisabled(el)) return;
      const next = el.isConnected ? neighbourOf(el) : null;
      if (next !== null) next.focus();
      else focusInPlace(place);
    });
  };
  doc.addEventListener('focusout', onFocusOut);
  return () => doc.removeEventListener('focusout', onFocusOut);
}
