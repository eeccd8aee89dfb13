// The trace's filters (DSP TRACE, the Trace view): Call-ID, user (Request-URI, From or To user), method,
// response class, address, time range and kind. A dialog matches when some message of it does.
import { hasAddress, hasClass, hasMethod, hasUser, type TraceDialog } from './trace-dialog';
import type { TraceKind } from './trace-message';

export interface TraceFilter {
  callId?: string;
  /** Request-URI, From or To user part (case-insensitive). */
  user?: string;
  /** A request method seen in it (upper-case). */
  method?: string;
  /** A response class seen in it: 1 for 1xx ... 6 for 6xx. */
  statusClass?: number;
  /** An IP address it came from or went to. */
  address?: string;
  /** Microseconds since the epoch: only dialogs with messages at or after / at or before. */
  fromUs?: number;
  toUs?: number;
  kind?: TraceKind;
}

export function matches(d: TraceDialog, f: TraceFilter): boolean {
  if (f.callId !== undefined && d.callId !== f.callId) return false;
  if (f.method !== undefined && !hasMethod(d, f.method.toUpperCase())) return false;
  if (f.statusClass !== undefined && !hasClass(d, f.statusClass)) return false;
  if (f.address !== undefined && !hasAddress(d, f.address)) return false;
  if (f.fromUs !== undefined && d.lastUs < f.fromUs) return false;
  if (f.toUs !== undefined && d.startUs > f.toUs) return false;
  if (f.kind !== undefined && d.kind !== f.kind) return false;
  if (f.user !== undefined && !hasUser(d, f.user.toLowerCase())) return false;
  return true;
}
