// Placeholder until the SIP trace capability fills this view (it adds a 'trace' topic to the contract).
import { Placeholder } from '../placeholder';

export default function TraceView() {
  return <Placeholder title="view.trace" code="TRC" text="placeholder.trace" />;
}
