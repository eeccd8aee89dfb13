// Main panel: names the selected view. Each view replaces its placeholder when its issue lands.
import { useShellStore } from '../store/shell';
import { viewById } from '../views/catalog';

export function ViewPanel() {
  const view = viewById(useShellStore((s) => s.view));
  const transport = useShellStore((s) => s.transport);
  return (
    <main className="panel" aria-labelledby="panel-title">
      <div className="panel-head">
        <h2 id="panel-title">{view.label}</h2>
        <span className="panel-code">{view.code}</span>
      </div>
      <p className="panel-selected" data-testid="selected-view">
        Selected view: {view.label}
      </p>
      <p className="panel-summary">{view.summary}</p>
      <div className="placeholder">
        <span className="placeholder-label">NOT WIRED YET</span>
        <span>
          This view connects to the appliance over the <code>{transport}</code> transport in a later issue.
        </span>
      </div>
    </main>
  );
}
