// Auto dialer commands (reference §1.2 外呼管理, §1.3, §6): STR/STP DIALSVC, DSP DIALSVC, DSP DIALSVC CFG,
// STR CALL [SINGLE|BATCH] and STP CALL (which the README lists and the original lacked). They are
// declared with the original's parameters, so HELP, completion and parameter checks are complete, but
// the dialer (core/dialer/) is not part of this build yet: every one answers OPERATION_FAILED and says
// so. Nothing is pretended: no call is placed, no status is made up.
import { MmlError, RETCODE } from '../command';
import type { MmlCommand, MmlHandler, MmlParam } from '../command';

export const DIALER_UNAVAILABLE = 'the auto dialer is not available in this build yet';

const unavailable =
  (what: string): MmlHandler =>
  () => {
    throw new MmlError(RETCODE.OPERATION_FAILED, `${what}: ${DIALER_UNAVAILABLE}`);
  };

const CALLEE: MmlParam = {
  name: 'CALLEE',
  type: 'string',
  min: 1,
  max: 64,
  help: 'The number to call, e.g. 1009',
};
const NUMBERS: MmlParam = {
  name: 'NUMBERS',
  type: 'string',
  min: 1,
  help: 'The numbers to call: a comma list and/or ranges, e.g. 1001,1003-1005',
};
const MEDIA_FILE: MmlParam = {
  name: 'MEDIA_FILE',
  type: 'string',
  min: 1,
  help: 'The WAV file played once answered (default: the dialer configuration’s, media/default.wav)',
};
const DURATION: MmlParam = {
  name: 'DURATION',
  type: 'number',
  min: 0,
  max: 86_400,
  default: '0',
  help: 'Seconds of media before hanging up, decimals allowed (2.5), as the original took them; 0: the whole file',
};

function dialer(c: Omit<MmlCommand, 'group' | 'handler'>): MmlCommand {
  return { ...c, group: 'Dialer', handler: unavailable(`${c.verb} ${c.object}`) };
}

export function dialerCommands(): MmlCommand[] {
  return [
    dialer({
      verb: 'STR',
      object: 'DIALSVC',
      help: 'Starts the auto dialer: registers its account with this server',
      params: [],
    }),
    dialer({
      verb: 'STP',
      object: 'DIALSVC',
      help: 'Stops the auto dialer: ends its calls and unregisters its account',
      params: [],
    }),
    dialer({
      verb: 'DSP',
      object: 'DIALSVC',
      help: 'Shows the auto dialer: running, registered, uptime, calls placed, answered and failed',
      params: [],
    }),
    dialer({
      verb: 'DSP',
      object: 'DIALSVC CFG',
      help: 'Shows the auto dialer configuration: server, account, local address and port, media',
      params: [],
    }),
    dialer({
      verb: 'STR',
      object: 'CALL SINGLE',
      help: 'Places one call from the auto dialer and plays a WAV file once answered',
      params: [{ ...CALLEE, required: true }, MEDIA_FILE, DURATION],
    }),
    dialer({
      verb: 'STR',
      object: 'CALL BATCH',
      help: 'Places calls to a list of numbers from the auto dialer, playing a WAV file on each',
      params: [{ ...NUMBERS, required: true }, MEDIA_FILE, DURATION],
    }),
    dialer({
      verb: 'STR',
      object: 'CALL',
      help: 'Places one call (CALLEE) or a batch (NUMBERS), as STR CALL SINGLE / STR CALL BATCH',
      params: [CALLEE, NUMBERS, MEDIA_FILE, DURATION],
      atLeastOne: ['CALLEE', 'NUMBERS'],
    }),
    dialer({
      verb: 'STP',
      object: 'CALL',
      help: 'Stops the auto dialer’s calls in progress and the rest of a batch',
      words: { ALL: {} },
      params: [],
    }),
  ];
}
