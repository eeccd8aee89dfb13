// The trace's configuration from the TRACE.* settings (core/config/settings.ts); a HEP collector that is
// not host:port stops start-up (or a SET CFG / SET TRACE) with a SettingError naming the key.
import { SettingError, type Settings } from '../config/settings';
import { ringLimitMB } from '../config/ring-heap';
import { parseCollector } from './hep';
import type { TraceConfig } from './sip-trace';

export function traceConfig(s: Settings): TraceConfig {
  const hep = s.str('TRACE.HEP_COLLECTOR');
  try {
    if (hep.trim() !== '') parseCollector(hep);
  } catch (err) {
    throw new SettingError('TRACE.HEP_COLLECTOR', (err as Error).message);
  }
  return {
    ringMessages: s.int('TRACE.RING_MESSAGES'),
    // A value set is checked against the heap (ring-heap.ts); the default 64 MB, under a heap smaller than
    // 256 MB (node --max-old-space-size=64), is held to the quarter of it the ring may take.
    ringMB: Math.min(s.int('TRACE.RING_MB'), ringLimitMB(s.heapSizeLimit)),
    persist: s.bool('TRACE.PERSIST'),
    retentionDays: s.int('TRACE.RETENTION_DAYS'),
    dbMB: s.int('TRACE.DB_MB'),
    hepCollector: hep,
    hepCaptureId: s.int('TRACE.HEP_CAPTURE_ID'),
    hepAuthKey: s.str('TRACE.HEP_AUTH_KEY'),
  };
}
