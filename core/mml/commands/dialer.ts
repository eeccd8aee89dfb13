// Auto dialer commands (reference §1.2 外呼管理, §1.3, §6): STR/STP DIALSVC, DSP DIALSVC, DSP DIALSVC CFG,
// STR CALL [SINGLE|BATCH] and STP CALL (which the README listed and the original lacked). A campaign
// runs in the background: STR CALL answers at once with its id; DSP DIALSVC shows its progress and
// statistics. New parameters beside the original's: FILE (a CSV of numbers), CONCURRENCY, RATE, DTMF,
// RECORD. DURATION is seconds and may have decimals (the original's float).
import { CAMPAIGN_ID_MAX_LENGTH } from '../../cdr/campaign-id';
import { definition } from '../../config/settings';
import { PACKET_MS } from '../../media/packet-schedule';
import { DialerError, DtmfFitError, type Dialer } from '../../dialer/dialer';
import type { CampaignSnapshot } from '../../dialer/campaign';
import { callRateAchieved } from '../../dialer/call-rate';
import { portCapNote } from '../../dialer/port-cap';
import { NumberListError, parseNumbers, readNumbersFile } from '../../dialer/numbers';
import { isDtmfDigits } from '../../media/dtmf';
import { PromptError } from '../../media/wav';
import { MmlError, ok, RETCODE } from '../command';
import type { MmlArgs, MmlCommand, MmlContext, MmlHandler, MmlParam, MmlTable } from '../command';
import { dataFile, fileErrorText, NUMBERS_FILE_HINT } from './common';
import { duration } from './system';
import { addressPort } from '../../address-port';

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
  // A list pasted into the console's Batch form: 300 numbers were refused at the 1,024 characters of a
  // text parameter; 10,000 of up to 19 characters fit (a FILE= takes more), within a script's 256 KB.
  max: 200_000,
  help: 'The numbers to call: a comma list and/or ranges (up to 100,000 numbers), e.g. 1001,1003-1005',
};
const FILE: MmlParam = {
  name: 'FILE',
  type: 'string',
  min: 1,
  help: 'A CSV file of numbers (first column; ranges allowed), relative to the data folder',
};
const MEDIA_FILE: MmlParam = {
  name: 'MEDIA_FILE',
  type: 'string',
  min: 1,
  help: 'The WAV file played once answered (default: DIALER.MEDIA_FILE, media/default.wav)',
};
const DURATION: MmlParam = {
  name: 'DURATION',
  type: 'number',
  min: 0,
  max: 86_400, // a day
  default: '0',
  help: 'Seconds of media before hanging up, decimals allowed (2.5), as the original took them; 0: the whole file',
};
const CONCURRENCY: MmlParam = {
  name: 'CONCURRENCY',
  type: 'integer',
  min: 1,
  max: 5000,
  help: 'Calls at the same time (default: DIALER.CONCURRENCY)',
};
const RATE: MmlParam = {
  name: 'RATE',
  type: 'integer',
  min: 1,
  max: 1000,
  help: 'New calls per second (default: DIALER.RATE)',
};
const DTMF: MmlParam = {
  name: 'DTMF',
  type: 'string',
  min: 1,
  max: 64,
  help: 'Digits sent as RFC 4733 events 1 s after the answer, e.g. 123#',
};
const RECORD: MmlParam = {
  name: 'RECORD',
  type: 'boolean',
  default: 'NO',
  help: 'YES: record what the far end sends, one WAV per call under recordings/',
};
const CAMPAIGN: MmlParam = {
  name: 'CAMPAIGN',
  type: 'string',
  min: 1,
  max: CAMPAIGN_ID_MAX_LENGTH,
  help: 'A campaign id, e.g. C0001 (default: all)',
};

function dialerOf(ctx: MmlContext): Dialer {
  if (ctx.dialer === undefined)
    throw new MmlError(
      RETCODE.OPERATION_FAILED,
      'The auto dialer is not available here: the SIP server is not running',
    );
  return ctx.dialer;
}

/**
 * DURATION: seconds, decimals allowed (the parameter's type checks 0..86400), 0 or one RTP packet at
 * least: a shorter call would send nothing and never end.
 */
export function durationSeconds(args: MmlArgs): number {
  const seconds = args.num('DURATION');
  const packet = PACKET_MS / 1000;
  if (seconds > 0 && seconds < packet)
    throw new MmlError(
      RETCODE.PARAMETER_ERROR,
      `Parameter DURATION: ${seconds} s is shorter than one ${PACKET_MS} ms packet; give at least ${packet}, or 0 to play the prompt once`,
    );
  return seconds;
}

function failed(err: unknown): never {
  if (err instanceof MmlError) throw err;
  if (err instanceof PromptError) {
    // As IMP USER's FILE: outside the data folder 3, not there 7, not a WAV file 8.
    const retcode = err.outside
      ? RETCODE.PARAMETER_ERROR
      : err.missing
        ? RETCODE.OPERATION_FAILED
        : RETCODE.INVALID_DATA;
    throw new MmlError(retcode, `Parameter MEDIA_FILE: ${err.message}`);
  }
  if (err instanceof DtmfFitError)
    throw new MmlError(RETCODE.PARAMETER_ERROR, `Parameter DTMF: ${err.message}`);
  if (err instanceof DialerError) throw new MmlError(RETCODE.OPERATION_FAILED, err.message);
  throw err;
}

const strDialsvc: MmlHandler = async (_args, ctx) => {
  const d = dialerOf(ctx);
  try {
    await d.start();
  } catch (err) {
    failed(err);
  }
  const s = d.snapshot();
  // A user added by this start is said (it appeared in the users' list unexplained).
  const created = d.accountCreated
    ? `; user ${s.account} was created for it (DIALER.USERNAME, DIALER.PASSWORD)`
    : '';
  return ok(
    `Auto dialer started: ${s.account} registered from ${s.local === undefined ? '' : addressPort(s.local.address, s.local.port)}${created}` +
      ownAccountNote(d, ctx),
    [serviceTable(d)],
  );
};

/**
 * The dialer's own account (created by a STR DIALSVC): its password, which nothing else tells (DSP CFG
 * masks the value), when it is still the well-known default (the original's 0000), and how to change
 * it; it is INACTIVE while the dialer is stopped (Dialer.disableOwnAccount). A user of the operator's
 * own is not the dialer's to describe.
 */
function ownAccountNote(d: Dialer, ctx: MmlContext): string {
  if (d.account !== 'created' && d.account !== 'own') return '';
  const def = definition('DIALER.PASSWORD')!.default;
  const password =
    ctx.settings.get('DIALER.PASSWORD') === def
      ? `DIALER.PASSWORD, still its default ${String(def)}`
      : 'DIALER.PASSWORD';
  return (
    `; its password is ${password} (SET CFG KEY=DIALER.PASSWORD VALUE=..., then STP DIALSVC and STR ` +
    `DIALSVC, changes it); the account is INACTIVE while the dialer is stopped`
  );
}

const stpDialsvc: MmlHandler = async (_args, ctx, inv) => {
  const d = dialerOf(ctx);
  if (d.state === 'stopped') throw new MmlError(RETCODE.OPERATION_FAILED, 'The auto dialer is not started');
  // The Note of each campaign it stops says who did (DSP HISTORY names the same user).
  await d.stop(undefined, { who: inv.who, command: 'STP DIALSVC' });
  return ok('Auto dialer stopped: calls ended, account unregistered');
};

function serviceTable(d: Dialer): MmlTable {
  const s = d.snapshot();
  return {
    title: 'Auto dialer',
    columns: [
      { name: 'State', type: 'string' },
      { name: 'Registered', type: 'boolean' },
      { name: 'Account', type: 'string' },
      { name: 'Local address', type: 'string' },
      { name: 'Started', type: 'time' },
      { name: 'Uptime', type: 'string' },
      { name: 'Calls placed', type: 'integer' },
      { name: 'Answered', type: 'integer' },
      { name: 'Failed', type: 'integer' },
      { name: 'Cancelled by operator (not in ASR)', type: 'integer' },
      { name: 'Calls in progress', type: 'integer' },
      { name: 'RTP port pairs in use', type: 'integer' },
    ],
    rows: [
      [
        s.state,
        s.registered,
        s.account,
        // Stopped: none of these, '-' as every empty cell (an empty string printed blank beside them).
        s.local === undefined ? null : addressPort(s.local.address, s.local.port),
        s.startedAt ?? null,
        s.uptimeSeconds === undefined ? null : duration(s.uptimeSeconds),
        s.totals.placed,
        s.totals.answered,
        s.totals.failed,
        s.totals.cancelled,
        s.campaigns.reduce((n, c) => n + c.inProgress, 0),
        s.rtpPortsInUse,
      ],
    ],
  };
}

function campaignsTable(campaigns: CampaignSnapshot[]): MmlTable {
  return {
    title: 'Campaigns',
    columns: [
      { name: 'Campaign', type: 'string' },
      { name: 'State', type: 'string' },
      { name: 'Placed', type: 'integer' },
      { name: 'Total', type: 'integer' },
      { name: 'In progress', type: 'integer' },
      { name: 'Answered', type: 'integer' },
      { name: 'Failed', type: 'integer' },
      { name: 'Failed by code', type: 'string' },
      { name: 'ASR (%)', type: 'number' },
      { name: 'Cancelled by operator (not in ASR)', type: 'integer' },
      { name: 'ACD (s)', type: 'number' },
      { name: 'PDD p50 (ms)', type: 'integer' },
      { name: 'PDD p95 (ms)', type: 'integer' },
      { name: 'RTP sent', type: 'integer' },
      { name: 'RTP received', type: 'integer' },
      { name: 'RTP lost', type: 'integer' },
      { name: 'Jitter mean (ms)', type: 'number' },
      { name: 'Jitter max (ms)', type: 'number' },
      { name: 'Note', type: 'string' },
    ],
    rows: campaigns.map((c) => {
      const f = c.figures;
      return [
        c.id,
        c.state,
        f.placed,
        c.total,
        c.inProgress,
        f.answered,
        f.failed,
        Object.entries(f.byCode)
          .map(([code, n]) => `${code}:${n}`)
          .join(' '),
        f.asr,
        f.cancelled,
        f.acdSeconds,
        f.pddP50Ms,
        f.pddP95Ms,
        f.rtpSent,
        f.rtpReceived,
        f.rtpLost,
        f.jitterMeanMs,
        f.jitterMaxMs,
        c.note ?? '',
      ];
    }),
  };
}

/**
 * When a campaign ran, how fast it placed its calls and with which settings (as SIPp's final screen
 * says: total time and call rate): whether RATE or CONCURRENCY (or the RTP port pairs) held it back.
 */
function timesTable(c: CampaignSnapshot, now: number): MmlTable {
  const elapsedS = Math.max(0, ((c.endedAt ?? now) - c.startedAt) / 1000);
  return {
    title: `Campaign ${c.id}: times and settings`,
    columns: [
      { name: 'Started', type: 'time' },
      { name: 'Ended', type: 'time' },
      { name: 'Elapsed (s)', type: 'number' },
      { name: 'Call rate achieved (calls/s)', type: 'number' },
      { name: 'Rate (calls/s)', type: 'integer' },
      { name: 'Concurrency', type: 'integer' },
      { name: 'Duration (s)', type: 'number' },
      { name: 'Media file', type: 'string' },
      { name: 'DTMF', type: 'string' },
      { name: 'Record', type: 'boolean' },
    ],
    rows: [
      [
        c.startedAt,
        c.endedAt ?? null,
        Math.round(elapsedS * 100) / 100,
        callRateAchieved(c, now),
        c.rate,
        c.concurrency,
        c.durationMs / 1000,
        c.mediaFile,
        c.dtmf ?? '',
        c.record ?? false,
      ],
    ],
  };
}

/** The campaign's calls now in progress (ringing or talking), with their media so far. */
function liveTable(c: CampaignSnapshot): MmlTable {
  return {
    title: `Calls of ${c.id} in progress`,
    columns: [
      { name: 'Number', type: 'string' },
      { name: 'State', type: 'string' },
      { name: 'Started', type: 'time' },
      { name: 'Answered', type: 'time' },
      { name: 'RTP sent', type: 'integer' },
      { name: 'RTP received', type: 'integer' },
      { name: 'Call-ID', type: 'string' },
    ],
    rows: c.live.map((l) => [
      l.number,
      l.state,
      l.startedAt,
      l.answeredAt ?? null,
      l.rtpSent,
      l.rtpReceived,
      l.callId,
    ]),
  };
}

function resultsTable(c: CampaignSnapshot): MmlTable {
  return {
    title: `Calls of ${c.id} (most recent)`,
    columns: [
      { name: 'Number', type: 'string' },
      { name: 'Status', type: 'integer' },
      { name: 'Reason', type: 'string' },
      { name: 'Note', type: 'string' },
      { name: 'Answered', type: 'boolean' },
      { name: 'Ended by', type: 'string' },
      { name: 'PDD (ms)', type: 'integer' },
      { name: 'Talk (s)', type: 'number' },
      { name: 'RTP sent', type: 'integer' },
      { name: 'RTP received', type: 'integer' },
      { name: 'RTP lost', type: 'integer' },
      { name: 'Jitter (ms)', type: 'number' },
      { name: 'Call-ID', type: 'string' },
    ],
    rows: c.recent.map((r) => [
      r.number,
      r.status,
      r.reason,
      r.note ?? '',
      r.answered,
      r.end,
      r.pddMs,
      Math.round(r.talkMs / 10) / 100,
      r.rtpSent,
      r.rtpReceived,
      r.rtpLost,
      Math.round(r.jitterMs * 1000) / 1000,
      r.callId,
    ]),
  };
}

const dspDialsvc: MmlHandler = (args, ctx) => {
  const d = dialerOf(ctx);
  const id = args.optStr('CAMPAIGN')?.toUpperCase();
  if (id !== undefined) {
    const c = d.campaign(id);
    if (c === undefined) throw new MmlError(RETCODE.NOT_FOUND, `No campaign ${id}`);
    return ok(undefined, [campaignsTable([c]), liveTable(c), resultsTable(c), timesTable(c, ctx.now())]);
  }
  // Newest first, as the Dialer view's Campaigns table: the campaign just placed is the first row, not
  // the last of up to 100.
  const newestFirst = [...d.snapshot().campaigns].reverse();
  return ok(undefined, [serviceTable(d), campaignsTable(newestFirst)]);
};

const dspDialsvcCfg: MmlHandler = (_args, ctx) => {
  const st = ctx.settings;
  const d = ctx.dialer;
  const snap = d?.snapshot();
  const server = snap?.server;
  // While it runs, the account and SIP address in effect; the settings changed since wait for the
  // next STR DIALSVC (their own column).
  const local = snap?.local;
  return ok(undefined, [
    {
      title: 'Auto dialer configuration',
      columns: [
        { name: 'Server', type: 'string' },
        { name: 'Account', type: 'string' },
        { name: 'Local IP', type: 'string' },
        { name: 'Local port', type: 'integer' },
        { name: 'RTP ports', type: 'string' },
        { name: 'Media file', type: 'string' },
        { name: 'Concurrency', type: 'integer' },
        { name: 'Rate (calls/s)', type: 'integer' },
        { name: 'Ring timeout (s)', type: 'integer' },
        { name: 'Register expires (s)', type: 'integer' },
        { name: 'Pending (next STR DIALSVC)', type: 'string' },
      ],
      rows: [
        [
          server === undefined ? 'this server' : addressPort(server.address, server.port),
          snap?.account ?? st.str('DIALER.USERNAME'),
          local !== undefined
            ? local.address
            : st.str('DIALER.LOCAL_IP') === ''
              ? "the server's address"
              : st.str('DIALER.LOCAL_IP'),
          local?.port ?? st.int('DIALER.LOCAL_PORT'),
          `${st.int('DIALER.RTP_PORT_MIN')}-${st.int('DIALER.RTP_PORT_MAX')}`,
          st.str('DIALER.MEDIA_FILE'),
          st.int('DIALER.CONCURRENCY'),
          st.int('DIALER.RATE'),
          st.int('DIALER.RING_TIMEOUT'),
          st.int('DIALER.REG_LIFETIME'),
          d?.pendingSettings().join(' ') ?? '',
        ],
      ],
    },
  ]);
};

/** The numbers to call, and how many were left out as repeats (said in STR CALL's answer). */
function numbersOf(args: MmlArgs, ctx: MmlContext): { numbers: string[]; repeats: number } {
  const out: string[] = [];
  const tally = { repeats: 0 };
  // A bad number is named under the parameter it came in (CALLEE or NUMBERS).
  for (const param of ['CALLEE', 'NUMBERS']) {
    const value = args.optStr(param);
    if (value === undefined) continue;
    try {
      out.push(...parseNumbers(value, tally));
    } catch (err) {
      if (!(err instanceof NumberListError)) throw err;
      throw new MmlError(RETCODE.PARAMETER_ERROR, `Parameter ${param}: ${err.message}`);
    }
  }
  const file = args.optStr('FILE');
  if (file !== undefined) {
    const path = dataFile(ctx.dataDir, file, 'FILE', NUMBERS_FILE_HINT);
    try {
      const numbers = readNumbersFile(path, tally);
      // A file without a number is the file's fault, said of it (not of a list the operator typed).
      if (numbers.length === 0)
        throw new MmlError(RETCODE.INVALID_DATA, `Parameter FILE: ${path} holds no number to call`);
      out.push(...numbers);
    } catch (err) {
      // As IMP USER and MEDIA_FILE: a file that cannot be read is 7, one whose content is wrong 8.
      // Said as IMP USER says it ("Cannot read FILE <path>: no such file"), not Node's "ENOENT".
      if (err instanceof NumberListError && err.readError !== undefined) {
        throw new MmlError(
          RETCODE.OPERATION_FAILED,
          `Cannot read FILE ${path}: ${fileErrorText(err.readError)}`,
        );
      }
      if (err instanceof NumberListError) {
        const retcode = err.unreadable ? RETCODE.OPERATION_FAILED : RETCODE.INVALID_DATA;
        throw new MmlError(retcode, `Parameter FILE: ${err.message}`);
      }
      throw err;
    }
  }
  const unique = [...new Set(out)];
  if (unique.length === 0)
    throw new MmlError(RETCODE.PARAMETER_ERROR, 'The list of numbers to call is empty');
  if (unique.length > 100_000)
    throw new MmlError(RETCODE.PARAMETER_ERROR, `${unique.length} numbers: at most 100000 in one campaign`);
  return { numbers: unique, repeats: tally.repeats + out.length - unique.length };
}

/**
 * What STR CALL's answer says it calls: the number, or how many, and the repeats left out of the list
 * (2002,2003,2002 calls 2002 once: a tester repeating a number to load one callee is told so).
 */
function callingText(numbers: readonly string[], repeats: number): string {
  const what = numbers.length === 1 ? `Calling ${numbers[0]}` : `Calling ${numbers.length} numbers`;
  return repeats === 0 ? what : `${what} (${repeats} repeat${repeats === 1 ? '' : 's'} left out)`;
}

/** CALLEE is one number (a list given to STR CALL SINGLE placed a call to each). */
function oneCallee(args: MmlArgs): void {
  const callee = args.optStr('CALLEE');
  if (callee === undefined) return;
  let n: string[];
  try {
    n = parseNumbers(callee);
  } catch {
    return; // numbersOf names what is wrong with it
  }
  if (n.length > 1)
    throw new MmlError(
      RETCODE.PARAMETER_ERROR,
      `Parameter CALLEE: one number only, got ${n.length}; give a list as STR CALL BATCH NUMBERS=${callee}`,
    );
}

const strCall: MmlHandler = async (args, ctx) => {
  const durationS = durationSeconds(args); // a parameter first, as its type's checks
  oneCallee(args);
  const d = dialerOf(ctx);
  const dtmf = args.optStr('DTMF');
  if (dtmf !== undefined && !isDtmfDigits(dtmf))
    throw new MmlError(
      RETCODE.PARAMETER_ERROR,
      `Parameter DTMF: expected digits 0-9, *, #, A-D, got ${JSON.stringify(dtmf)}`,
    );
  const { numbers, repeats } = numbersOf(args, ctx);
  let c: CampaignSnapshot;
  try {
    c = await d.startCampaign({
      numbers,
      mediaFile: args.optStr('MEDIA_FILE'),
      durationSeconds: durationS,
      concurrency: args.optInt('CONCURRENCY'),
      rate: args.optInt('RATE'),
      dtmf,
      record: args.optBool('RECORD') ?? false,
    });
  } catch (err) {
    failed(err);
  }
  const what = callingText(numbers, repeats);
  // Each call holds an RTP port pair: more at once than the range gives is not what runs.
  const pairs = d.rtpPortPairs;
  const notes: string[] = [];
  const capped = portCapNote(c.concurrency, numbers.length, pairs);
  if (capped !== undefined) notes.push(capped);
  // The proxy ends every answered call at CALL.MAX_DURATION, the dialer's too (0: never).
  const maxS = ctx.settings.int('CALL.MAX_DURATION');
  if (maxS > 0 && durationS > maxS)
    notes.push(
      `DURATION=${durationS}, but CALL.MAX_DURATION=${maxS}: IMS Lab ends each answered call after ${maxS} s`,
    );
  const note = notes.map((n) => `\nNote: ${n}`).join('');
  return ok(`${what} in the background: campaign ${c.id} (DSP DIALSVC CAMPAIGN=${c.id} follows it)${note}`, [
    {
      title: 'Campaign',
      columns: [
        { name: 'Campaign', type: 'string' },
        { name: 'Numbers', type: 'integer' },
        { name: 'Media file', type: 'string' },
        { name: 'Duration (s)', type: 'number' },
        { name: 'Concurrency', type: 'integer' },
        { name: 'Rate (calls/s)', type: 'integer' },
      ],
      rows: [[c.id, c.total, c.mediaFile, durationS, c.concurrency, c.rate]],
    },
  ]);
};

const stpCall: MmlHandler = async (args, ctx, inv) => {
  const d = dialerOf(ctx);
  const id = args.optStr('CAMPAIGN')?.toUpperCase();
  if (id !== undefined && d.campaign(id) === undefined)
    throw new MmlError(RETCODE.NOT_FOUND, `No campaign ${id}`);
  const n = await d.stopCampaigns(id, undefined, { who: inv.who, command: 'STP CALL' });
  return ok(n === 0 ? 'No campaign was running' : `Stopped ${n} campaign${n === 1 ? '' : 's'}: calls ended`);
};

const CALL_OPTIONS = [MEDIA_FILE, DURATION, DTMF, RECORD];
const CAMPAIGN_OPTIONS = [CONCURRENCY, RATE];

function dialer(c: Omit<MmlCommand, 'group'>): MmlCommand {
  return { ...c, group: 'Dialer' };
}

export function dialerCommands(): MmlCommand[] {
  return [
    dialer({
      verb: 'STR',
      object: 'DIALSVC',
      help: 'Starts the auto dialer: registers its account with this server',
      params: [],
      handler: strDialsvc,
    }),
    dialer({
      verb: 'STP',
      object: 'DIALSVC',
      help: 'Stops the auto dialer: ends its calls and unregisters its account',
      params: [],
      handler: stpDialsvc,
    }),
    dialer({
      verb: 'DSP',
      object: 'DIALSVC',
      help: 'Shows the auto dialer: state, registration, campaigns with ASR, ACD, PDD, RTP figures',
      params: [CAMPAIGN],
      handler: dspDialsvc,
    }),
    dialer({
      verb: 'DSP',
      object: 'DIALSVC CFG',
      help: 'Shows the auto dialer configuration: server, account, local address and port, media',
      params: [],
      handler: dspDialsvcCfg,
    }),
    dialer({
      verb: 'STR',
      object: 'CALL SINGLE',
      help: 'Places one call from the auto dialer and plays a WAV file once answered',
      params: [{ ...CALLEE, required: true }, ...CALL_OPTIONS],
      handler: strCall,
    }),
    dialer({
      verb: 'STR',
      object: 'CALL BATCH',
      help: 'Places calls to a list of numbers from the auto dialer, playing a WAV file on each',
      params: [NUMBERS, FILE, ...CALL_OPTIONS, ...CAMPAIGN_OPTIONS],
      atLeastOne: ['NUMBERS', 'FILE'],
      handler: strCall,
    }),
    dialer({
      verb: 'STR',
      object: 'CALL',
      help: 'Places one call (CALLEE) or a batch (NUMBERS, FILE), as STR CALL SINGLE / STR CALL BATCH',
      params: [CALLEE, NUMBERS, FILE, ...CALL_OPTIONS, ...CAMPAIGN_OPTIONS],
      atLeastOne: ['CALLEE', 'NUMBERS', 'FILE'],
      handler: strCall,
    }),
    dialer({
      verb: 'STP',
      object: 'CALL',
      help: 'Stops the auto dialer’s campaigns: ends their calls in progress (BYE / CANCEL) and places no more',
      words: { ALL: {} },
      params: [CAMPAIGN],
      handler: stpCall,
    }),
  ];
}
