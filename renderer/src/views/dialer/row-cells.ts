// The Dialer table's SIP code, talk time and PDD of a call, in progress or finished. Whole seconds are
// cut, not rounded, as the Calls view's timer and DSP CDR's seconds are (one call read 00:04 in Calls,
// 00:05 here and 4.67 s in the CDR); the answer's code and the PDD show once known, while the call is
// up, as the campaign card already counts that PDD.
import { formatDuration } from '../../components/common';
import { ownClockNow } from '../../components/own-clock';
import type { FinishedCall, LiveCall } from './store';

export type DialerRow = { kind: 'live'; call: LiveCall } | { kind: 'done'; call: FinishedCall };

/** The SIP code: a finished call's status ("—" for none), a live one's answer once it came. */
export function codeText(r: DialerRow): string {
  if (r.kind === 'done') return String(r.call.status || '—');
  return r.call.status === undefined ? '' : String(r.call.status);
}

/** The talk time in whole seconds; blank before the answer. `now`: the server's clock, `steady`: this page's. */
export function talkText(r: DialerRow, steady: number, now: number): string {
  if (r.kind === 'done') return formatDuration(r.call.talkMs / 1000);
  return r.call.answeredAt === undefined
    ? ''
    : formatDuration((ownClockNow(r.call, steady, now) - r.call.answeredAt) / 1000);
}

/** The post-dial delay in ms: "—" for a finished call without one, blank for a live one until known. */
export function pddText(r: DialerRow): string {
  const v = r.call.pddMs;
  if (v === undefined || v === null) return r.kind === 'done' ? '—' : '';
  return v.toFixed(0);
}
