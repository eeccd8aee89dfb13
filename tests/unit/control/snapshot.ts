// A control-contract snapshot as the console asks for it; throws with the session's error when refused.
import type { ControlSession } from '../../../core/control/control';
import type { ControlResponse, SnapshotResults } from '../../../core/control/contract';

export async function snapshot<N extends keyof SnapshotResults>(
  s: ControlSession,
  name: N,
  query?: object,
): Promise<SnapshotResults[N]> {
  const r = (await s.handle({ op: 'snapshot', name, ...(query ? { query } : {}) })) as ControlResponse<
    SnapshotResults[N]
  >;
  if (!r.ok) throw new Error(r.error);
  return r.result;
}
