// Top bar: product name, version, and which transport this renderer is talking over.
import { UNKNOWN_VERSION } from '../api/transport';
import { useShellStore } from '../store/shell';

export function Header() {
  const version = useShellStore((s) => s.version);
  const transport = useShellStore((s) => s.transport);
  return (
    <header className="header">
      <h1 className="header-title">IMS Lab</h1>
      <span className="header-version" data-testid="version">
        {version === null ? '…' : version === UNKNOWN_VERSION ? 'version unknown' : `v${version}`}
      </span>
      <span className="header-spacer" />
      <span className={`transport transport-${transport}`} data-testid="transport">
        <span className="transport-dot" aria-hidden="true" />
        {transport}
      </span>
    </header>
  );
}
