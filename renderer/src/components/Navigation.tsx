// Left navigation: one button per view; the selected one is marked aria-current. When the console opens
// (after the login, or a reload) with the focus nowhere, it goes to the selected view's button: a
// keyboard user starts in the navigation, not at the top of the page.
// In a narrow window (under 600 px: 1,280 px at 400 % zoom is 320) the column would leave the view a
// strip (WCAG 1.4.10 Reflow): the list folds behind a "Views: <view>" button above the view, a
// disclosure (WAI-ARIA APG Disclosure pattern: aria-expanded, Enter/Space toggle, Escape closes and
// returns to the button); picking a view folds it again, the focus on the button. Wider, the button is
// not shown (styles.css) and the list is always open.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useShell, useT } from '../store/shell';
import { VIEWS, viewById } from '../views/registry';

/** Whether the element is laid out (the disclosure button is display:none in a wide window). */
const shown = (el: HTMLElement | null): el is HTMLElement => el !== null && el.getClientRects().length > 0;

export function Navigation() {
  const t = useT();
  const selected = useShell((s) => s.view);
  const selectView = useShell((s) => s.selectView);
  const current = useRef<HTMLButtonElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const focused = document.activeElement;
    if (focused === null || focused === document.body) {
      (shown(current.current) ? current.current : toggle.current)?.focus();
    }
  }, []);
  const fold = () => {
    setOpen(false);
    if (shown(toggle.current)) toggle.current.focus();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && open && shown(toggle.current)) {
      e.preventDefault();
      fold();
    }
  };
  return (
    <nav className="nav" aria-label="Views" onKeyDown={onKeyDown}>
      <button
        type="button"
        className="nav-toggle"
        ref={toggle}
        aria-expanded={open}
        aria-controls="nav-list"
        onClick={() => setOpen(!open)}
      >
        <span className="nav-toggle-mark" aria-hidden="true">
          {open ? '▴' : '▾'}
        </span>
        {t('nav.menu', { view: t(viewById(selected).label) })}
      </button>
      <ul id="nav-list" className={open ? 'nav-open' : undefined}>
        {VIEWS.map((view) => (
          <li key={view.id}>
            <button
              type="button"
              className="nav-item"
              ref={view.id === selected ? current : undefined}
              aria-current={view.id === selected ? 'page' : undefined}
              onClick={() => {
                selectView(view.id);
                if (open) fold();
              }}
            >
              <span className="nav-code" aria-hidden="true">
                {view.code}
              </span>
              {t(view.label)}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
