// What the Calls view's State cell says: the state in the reader's words; a call that ended with a
// failure status adds its code (a tester sees "failed (488)" without opening the CDR), its tooltip the
// status text and why it ended.
import type { CallData } from '../../../../core/control/contract';
import type { useT } from '../../store/shell';

export interface StateLabel {
  text: string;
  title: string;
}

export function stateLabel(call: CallData, ended: boolean, t: ReturnType<typeof useT>): StateLabel {
  const state =
    call.state === 'answered' && call.heldBy !== undefined
      ? t(`calls.heldBy.${call.heldBy}`)
      : t(`calls.state.${call.state}`);
  if (!ended || call.statusCode < 300) {
    return { text: state, title: call.endReason === '' ? state : `${state}: ${call.endReason}` };
  }
  const status = `${call.statusCode} ${call.statusText}`.trim();
  const why = call.endReason !== '' && call.endReason !== call.statusText ? ` (${call.endReason})` : '';
  return {
    text: t('calls.stateWithCode', { state, code: call.statusCode }),
    title: `${state}: ${status}${why}`,
  };
}
