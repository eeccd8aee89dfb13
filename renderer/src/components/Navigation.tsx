// Left navigation: one button per view; the selected one is marked aria-current.
import { useShell, useT } from '../store/shell';
import { VIEWS } from '../views/registry';

export function Navigation() {
  const t = useT();
  const selected = useShell((s) => s.view);
  const selectView = useShell((s) => s.selectView);
  return (
    <nav className="nav" aria-label="Views">
      <ul>
        {VIEWS.map((view) => (
          <li key={view.id}>
            <button
              type="button"
              className="nav-item"
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
