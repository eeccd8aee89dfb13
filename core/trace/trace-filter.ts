// The trace's filters (DSP TRACE, the Trace view): Call-ID (or a part of it), user (Request-URI, From or
// To user), method, response class seen, final answer's class, address (with or without a port), time
// range, kind and a text (the Call-ID's or any message's: trace-text.ts). A dialog matches when some
// message of it does.
import { canonicalIp } from '../sip/transport/ip-text';
import { hasAddress, hasClass, hasEndpoint, hasMethod, hasUser, type TraceDialog } from './trace-dialog';
import type { TraceKind } from './trace-message';
import { hasTextMessage } from './trace-text';
import { userKey } from './user-key';

export interface TraceFilter {
  /** The Call-ID, or a part of it (any case). */
  callId?: string;
  /** Request-URI, From or To user part (case-insensitive, escaped or not: RFC 3261 §19.1.4). */
  user?: string;
  /** A request method seen in it (upper-case). */
  method?: string;
  /** A response class seen in it: 1 for 1xx ... 6 for 6xx. */
  statusClass?: number;
  /**
   * The class of its final answer (the final status of its first request, a call's INVITE): 4 finds the
   * calls that failed with a 4xx, where statusClass 4 finds every call with a 407 challenge on its way.
   */
  finalClass?: number;
  /** An IP address it came from or went to. */
  address?: string;
  /** With `address`: at this port (endpointFilter reads both from "10.0.0.5:5062" or "[::1]:5062"). */
  port?: number;
  /** Microseconds since the epoch: only dialogs with messages at or after / at or before. */
  fromUs?: number;
  toUs?: number;
  kind?: TraceKind;
  /**
   * A text its Call-ID or one of its messages holds, in any case: a number, a Call-ID, a User-Agent, a
   * Reason (what an operator looking for one call types).
   */
  text?: string;
}

/**
 * The address filter as typed, an address or address:port (the form the ladder shows), split in two, the
 * address in the form the trace holds (ip-text.ts; once a query, not for each message): "0:0:0:0:0:0:0:1",
 * "[0::1]:5060", "2001:DB8::1" and "::ffff:127.0.0.1" found nothing, the trace comparing text.
 */
export function endpointFilter(f: TraceFilter): TraceFilter {
  const a = f.address?.trim();
  if (a === undefined) return f;
  const m = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(a) ?? /^([^:]+):(\d{1,5})$/.exec(a);
  if (m === null) return { ...f, address: canonicalIp(a) };
  return { ...f, address: canonicalIp(m[1]!), ...(m[2] === undefined ? {} : { port: Number(m[2]) }) };
}

/** Does the Call-ID contain the part, in any case? */
export function hasPart(callId: string, part: string): boolean {
  return callId.includes(part) || callId.toLowerCase().includes(part.toLowerCase());
}

export function matches(d: TraceDialog, f: TraceFilter): boolean {
  if (f.callId !== undefined && !hasPart(d.callId, f.callId)) return false;
  if (f.method !== undefined && !hasMethod(d, f.method.toUpperCase())) return false;
  if (f.statusClass !== undefined && !hasClass(d, f.statusClass)) return false;
  if (f.finalClass !== undefined && Math.floor(d.finalStatus / 100) !== f.finalClass) return false;
  if (f.address !== undefined) {
    const seen = f.port === undefined ? hasAddress(d, f.address) : hasEndpoint(d, f.address, f.port);
    if (!seen) return false;
  }
  if (f.fromUs !== undefined && d.lastUs < f.fromUs) return false;
  if (f.toUs !== undefined && d.startUs > f.toUs) return false;
  if (f.kind !== undefined && d.kind !== f.kind) return false;
  if (f.user !== undefined && !hasUser(d, userKey(f.user))) return false;
  // Last: it may read every message of the dialog.
  if (f.text !== undefined && !hasPart(d.callId, f.text) && !hasTextMessage(d, f.text)) return false;
  return true;
}
