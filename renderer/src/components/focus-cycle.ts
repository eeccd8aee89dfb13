// Tab and Shift+Tab cycle inside a modal dialog (WAI-ARIA APG, Dialog (Modal) pattern: "Tab: moves focus
// to the next tabbable element inside the dialog; if focus is on the last one, moves it to the first").
// The native <dialog> makes the page behind it inert, but Tab past its last control goes out to the
// browser's own interface before it comes back; this keeps it in the dialog. One handler for every
// dialog (common.tsx's Dialog).
import type { KeyboardEvent } from 'react';

const TABBABLE = 'a[href], button, input, select, textarea, summary, [tabindex]';

/** Where Tab (or Shift+Tab, `back`) from `current` goes instead of leaving `list`; undefined: as usual. */
export function wrapTarget<T>(list: readonly T[], current: T | null, back: boolean): T | undefined {
  if (list.length === 0) return undefined;
  const first = list[0]!;
  const last = list[list.length - 1]!;
  if (back) return current === first || current === null || !list.includes(current) ? last : undefined;
  return current === last ? first : undefined;
}

/** The controls in `root` that Tab stops at, in order (no positive tabindex in the console). */
function tabbables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(TABBABLE)].filter(
    (el) =>
      el.tabIndex >= 0 &&
      !(el as HTMLButtonElement).disabled &&
      el.getClientRects().length > 0 &&
      // A radio group is one stop: its checked radio.
      !(el instanceof HTMLInputElement && el.type === 'radio' && !el.checked),
  );
}

/** A dialog's keydown: Tab from its last control to its first, Shift+Tab from its first to its last. */
export function cycleFocus(e: KeyboardEvent<HTMLElement>): void {
  if (e.key !== 'Tab' || e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
  const active = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const to = wrapTarget(tabbables(e.currentTarget), active, e.shiftKey);
  if (to === undefined) return;
  e.preventDefault();
  to.focus();
}
