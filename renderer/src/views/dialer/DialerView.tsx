// Placeholder until the auto dialer capability fills this view (its topic 'dialer' and snapshot exist).
import { Placeholder } from '../placeholder';

export default function DialerView() {
  return <Placeholder title="view.dialer" code="DIA" text="placeholder.dialer" />;
}
