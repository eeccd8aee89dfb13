// The trace settings the trace's unit tests start from (a ring of 1,000 messages and 16 MB, nothing stored,
// no HEP collector), each test naming only what it changes.
import type { TraceConfig } from '../../../core/trace/index';

export function traceConfig(changes: Partial<TraceConfig> = {}): TraceConfig {
  return {
    ringMessages: 1000,
    ringMB: 16,
    persist: false,
    retentionDays: 7,
    dbMB: 16,
    hepCollector: '',
    hepCaptureId: 2001,
    ...changes,
  };
}
