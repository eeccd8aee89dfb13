// Call commands (reference §1.2 呼叫管理): DSP CALL, DSP CALL STAT, RMV CALL, CLR CALL over the proxy's
// call tracker. Unlike the original: only real calls are listed (no "ghost" dialogs of failed INVITEs),
// and ending a call really ends it: BYE both
// ways when answered, CANCEL towards the callee when not (the original only forgot the dialog, §1.2 #21).
import type { Call, CallState } from '../../calls/call';
import { OPERATOR_CLEAR_ALL_REASON } from '../../calls/call';
import { MmlError, ok, RETCODE } from '../command';
import type { MmlArgs, MmlCalls, MmlCommand, MmlContext, MmlParam, MmlTable } from '../command';
import { localDate } from '../params';
import { callSummaryTable } from './cdr';
import { limitParam, nextPageStatement, OFFSET_PARAM, rowsToShow } from './common';
import { addressPort } from '../../address-port';

const LIVE_STATES = ['CALLING', 'RINGING', 'ANSWERED'] as const;

const CALLID: MmlParam = {
  name: 'CALLID',
  type: 'string',
  min: 1,
  help: 'The call: its ID as DSP CALL shows it, or its Call-ID (or a part of it, in any case)',
};

function callsOf(ctx: MmlContext): MmlCalls {
  if (ctx.calls === undefined) {
    throw new MmlError(RETCODE.OPERATION_FAILED, 'Live calls are not available: no call tracker is running');
  }
  return ctx.calls;
}

const address = (host: string, port: number): string => (host === '' ? '' : addressPort(host, port));

/**
 * Whole seconds talked so far (answered calls), else undefined: to now on the call's own clock, the one
 * its answer was taken on (steady since its start), when the tracker gives it.
 */
const talkSeconds = (c: Call, now: number, calls: MmlCalls): number | undefined =>
  c.answeredAt === undefined
    ? undefined
    : Math.max(0, Math.floor(((calls.nowIn?.(c.id) ?? now) - c.answeredAt) / 1000));

const sameParty = (p: Call['caller'], wanted: string): boolean =>
  p.number === wanted || p.uri.toLowerCase() === wanted.toLowerCase();

/**
 * The calls a CALLID names: the one with that id, else those with that Call-ID, else, as the original
 * matched (reference §1.2 #9, #21), those whose Call-ID or id contains it, in any case (its users copy
 * the start of a Call-ID that DSP CALL cut short).
 */
function callsNamed(calls: MmlCalls, callId: string): Call[] {
  const exact = calls.get(callId);
  if (exact !== undefined) return [exact];
  const all = calls.list();
  const same = all.filter((c) => c.callId === callId);
  if (same.length > 0) return same;
  const part = callId.toLowerCase();
  return all.filter((c) => c.callId.toLowerCase().includes(part) || c.id.toLowerCase().includes(part));
}

function matching(calls: MmlCalls, args: MmlArgs): Call[] {
  const callId = args.optStr('CALLID');
  const caller = args.optStr('CALLER');
  const callee = args.optStr('CALLEE');
  const state = args.optStr('STATE')?.toLowerCase() as CallState | undefined;
  return (callId === undefined ? calls.list() : callsNamed(calls, callId))
    .filter((c) => caller === undefined || sameParty(c.caller, caller))
    .filter((c) => callee === undefined || sameParty(c.callee, callee))
    .filter((c) => state === undefined || c.state === state)
    .sort((a, b) => a.startedAt - b.startedAt || a.id.localeCompare(b.id));
}

function callTable(calls: Call[], total: number, now: number, tracker: MmlCalls): MmlTable {
  return {
    title: 'Live calls',
    columns: [
      { name: 'ID', type: 'string' },
      { name: 'Caller', type: 'string' },
      { name: 'Caller address', type: 'string' },
      { name: 'Callee', type: 'string' },
      { name: 'Callee address', type: 'string' },
      { name: 'State', type: 'string' },
      { name: 'Start', type: 'time' },
      { name: 'Answer', type: 'time' },
      { name: 'Duration (s)', type: 'integer' },
      { name: 'Codecs', type: 'string' },
    ],
    rows: calls.map((c) => [
      c.id,
      c.caller.uri,
      address(c.caller.address, c.caller.port),
      c.callee.uri,
      address(c.callee.address, c.callee.port),
      c.state.toUpperCase(),
      c.startedAt,
      c.answeredAt,
      talkSeconds(c, now, tracker),
      c.media.codecs.join(', '),
    ]),
    total,
  };
}

/** One call in full (DSP CALL CALLID=...), printed as name = value lines. */
function detailTable(c: Call, now: number, tracker: MmlCalls): MmlTable {
  return {
    title: 'Call',
    columns: [
      { name: 'ID', type: 'string' },
      { name: 'Call-ID', type: 'string' },
      { name: 'State', type: 'string' },
      { name: 'Caller', type: 'string' },
      { name: 'Caller number', type: 'string' },
      { name: 'Caller address', type: 'string' },
      { name: 'Caller user agent', type: 'string' },
      { name: 'Caller contact', type: 'string' },
      { name: 'Callee', type: 'string' },
      { name: 'Callee number', type: 'string' },
      { name: 'Callee address', type: 'string' },
      { name: 'Callee user agent', type: 'string' },
      { name: 'Callee contact', type: 'string' },
      { name: 'Request-URI', type: 'string' },
      { name: 'Media', type: 'string' },
      { name: 'Codecs', type: 'string' },
      { name: 'Direction', type: 'string' },
      { name: 'On hold by', type: 'string' },
      { name: 'Start', type: 'time' },
      { name: 'Ringing', type: 'time' },
      { name: 'Answer', type: 'time' },
      { name: 'Post-dial delay (ms)', type: 'integer' },
      { name: 'Setup (ms)', type: 'integer' },
      { name: 'Duration (s)', type: 'integer' },
      { name: 'Last CSeq', type: 'string' },
    ],
    rows: [
      [
        c.id,
        c.callId,
        c.state.toUpperCase(),
        c.caller.uri,
        c.caller.number,
        address(c.caller.address, c.caller.port),
        c.caller.userAgent,
        c.caller.contact,
        c.callee.uri,
        c.callee.number,
        address(c.callee.address, c.callee.port),
        c.callee.userAgent,
        c.callee.contact,
        c.requestUri,
        c.media.kinds.join(', ').toUpperCase(),
        c.media.codecs.join(', '),
        c.media.direction,
        c.heldBy ?? '',
        c.startedAt,
        c.ringingAt,
        c.answeredAt,
        c.ringingAt === undefined ? undefined : c.ringingAt - c.startedAt,
        c.answeredAt === undefined ? undefined : c.answeredAt - c.startedAt,
        talkSeconds(c, now, tracker),
        c.cseq,
      ],
    ],
  };
}

const dspCall: MmlCommand = {
  verb: 'DSP',
  object: 'CALL',
  group: 'Call',
  help: 'Lists the live calls (all, or by Call-ID, caller, callee or state; ALL: every one, unless LIMIT is given); one call in full with CALLID',
  words: { ACTIVE: {}, ALL: {} },
  params: [
    CALLID,
    { name: 'CALLER', type: 'string', min: 1, help: 'Only calls from this number or URI, e.g. 1001' },
    { name: 'CALLEE', type: 'string', min: 1, help: 'Only calls to this number or URI, e.g. 1002' },
    { name: 'STATE', type: 'enum', values: LIVE_STATES, help: 'Only calls in this state' },
    limitParam(100, 10_000),
    OFFSET_PARAM,
  ],
  handler: (args, ctx) => {
    const now = ctx.now();
    const tracker = callsOf(ctx);
    const found = matching(tracker, args);
    const callId = args.optStr('CALLID');
    if (callId !== undefined && found.length === 0) {
      throw new MmlError(RETCODE.NOT_FOUND, `No live call ${callId}`);
    }
    if (callId !== undefined && found.length === 1)
      return ok(undefined, [detailTable(found[0]!, now, tracker)]);
    const offset = args.int('OFFSET');
    const page = found.slice(offset, offset + rowsToShow(args));
    const message =
      page.length < found.length
        ? `Calls ${page.length === 0 ? 0 : offset + 1}-${offset + page.length} of ${found.length}`
        : found.length === 0
          ? 'No live call'
          : undefined;
    const result = ok(message, [callTable(page, found.length, now, tracker)]);
    const following = offset + page.length;
    return page.length > 0 && following < found.length
      ? {
          ...result,
          next: nextPageStatement('DSP CALL', args, ['CALLID', 'CALLER', 'CALLEE', 'STATE'], {
            LIMIT: args.int('LIMIT'),
            OFFSET: following,
          }),
        }
      : result;
  },
};

const dspCallStat: MmlCommand = {
  verb: 'DSP',
  object: 'CALL STAT',
  group: 'Call',
  help: "Counts the live calls by state and sums up today's calls from the CDR",
  params: [],
  handler: async (_args, ctx) => {
    const calls = callsOf(ctx).list();
    const count = (s: CallState): number => calls.filter((c) => c.state === s).length;
    const tables: MmlTable[] = [
      {
        title: 'Live calls',
        columns: [
          { name: 'Calling', type: 'integer' },
          { name: 'Ringing', type: 'integer' },
          { name: 'Answered', type: 'integer' },
          { name: 'Total', type: 'integer' },
        ],
        rows: [[count('calling'), count('ringing'), count('answered'), calls.length]],
      },
    ];
    if (ctx.cdr === undefined) {
      return ok("Today's call statistics are not available: no CDR store", tables);
    }
    tables.push(callSummaryTable('Calls today (CDR)', await ctx.cdr.stats(localDate(ctx.now())), false));
    return ok(undefined, tables);
  },
};

/** How an end went: BYE both ways for an answered call, CANCEL for one still ringing. */
const how = (c: Call): string =>
  c.state === 'answered' ? 'BYE sent to both parties' : 'not answered yet: INVITE cancelled';

const rmvCall: MmlCommand = {
  verb: 'RMV',
  object: 'CALL',
  group: 'Call',
  help: 'Ends a live call: BYE to both parties when answered, CANCEL when not (its CDR says "Ended by operator")',
  destructive: true,
  params: [{ ...CALLID, required: true }],
  handler: (args, ctx) => {
    const calls = callsOf(ctx);
    const callId = args.str('CALLID');
    const found = callsNamed(calls, callId);
    if (found.length === 0) throw new MmlError(RETCODE.NOT_FOUND, `No live call ${callId}`);
    if (found.length > 1) {
      throw new MmlError(
        RETCODE.PARAMETER_ERROR,
        `Parameter CALLID: ${callId} names ${found.length} calls (${found.map((c) => c.id).join(', ')}); give one ID`,
      );
    }
    const call = found[0]!;
    if (!calls.end(call.id, 'operator')) {
      throw new MmlError(RETCODE.NOT_FOUND, `Call ${call.id} has just ended by itself`);
    }
    return ok(`Call ${call.id} (${call.caller.uri} → ${call.callee.uri}) ended: ${how(call)}`);
  },
};

const clrCall: MmlCommand = {
  verb: 'CLR',
  object: 'CALL',
  group: 'Call',
  help: 'Ends every live call: BYE to both parties of answered calls, CANCEL for the others',
  destructive: true,
  words: { ALL: {} },
  params: [],
  handler: (_args, ctx) => {
    const calls = callsOf(ctx);
    let answered = 0;
    let unanswered = 0;
    for (const call of calls.list()) {
      if (!calls.end(call.id, 'operator', OPERATOR_CLEAR_ALL_REASON)) continue;
      if (call.state === 'answered') answered++;
      else unanswered++;
    }
    const total = answered + unanswered;
    return ok(
      total === 0
        ? 'No live call to end'
        : `Ended ${total} call(s): ${answered} answered (BYE sent to both parties), ${unanswered} not answered (cancelled)`,
    );
  },
};

export function callCommands(): MmlCommand[] {
  return [dspCall, dspCallStat, rmvCall, clrCall];
}
