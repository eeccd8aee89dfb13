// Left navigation: one button per view; the selected one is marked aria-current. When the console opens
// (after the login, or a reload) with the focus nowhere, it goes to the selected view's button: a
// keyboard user starts in the navigation, not at the top of the page.
import { useEffect, useRef } from 'react';
import { useShell, useT } from '../store/shell';
import { VIEWS } from '../views/registry';

export function Navigation() {
  const t = useT();
  const selected = useShell((s) => s.view);
  const selectView = useShell((s) => s.selectView);
  const current = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const focused = document.activeElement;
    if (focused === null || focused === document.body) current.current?.focus();
  }, []);
  return (
    <nav className="nav" aria-label="Views">
      <ul>
        {VIEWS.map((view) => (
          <li key={view.id}>
            <button
              type="button"
              className="nav-item"
              ref={view.id === selected ? current : undefined}
              aria-current={view.id === selected ? 'page' : undefined}
              onClick={() => selectView(view.id)}
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
