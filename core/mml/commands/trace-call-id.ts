// The dialogs a CALLID= of DSP TRACE or EXP TRACE names (README: a part of a Call-ID, in any case, as
// DSP CDR takes it): the Call-ID itself when messages of it are held (in memory or trace.db), else every
// dialog held whose Call-ID contains it. "" names the messages without a Call-ID.
import type { SipTrace } from '../../trace/index';

/** Part matches listed at most (an operator narrows the part rather than read thousands). */
const MAX_NAMED = 1000;

export function dialogsNamed(trace: SipTrace, callId: string): string[] {
  if (trace.messages(callId).length > 0) return [callId];
  if (callId === '') return []; // a part of every Call-ID: it names none
  return trace.dialogs({ callId }, MAX_NAMED).dialogs.map((d) => d.callId);
}
