// Follows the perf topic into the shared perf store (Performance and Overview both call it).
import { followLive } from '../../api/live';
import type { ControlClient } from '../../api/client';
import { usePerf } from './store';

export function followPerf(client: ControlClient): () => void {
  const st = usePerf.getState();
  return followLive(client, {
    topic: 'perf',
    load: () => client.snapshot('perf'),
    reset: (snap) => st.reset(snap.samples),
    apply: st.apply,
    failed: (e) => st.fail(e.message),
  });
}
