// SIP trace commands (issue 14): DSP TRACE lists the dialogs held (Call-ID, first line, parties, message
// count, start, final status) matching filters, or with CALLID draws that dialog's ladder; EXP TRACE
// writes a dialog's messages as pcap or text under <data>/trace/exports/; SET TRACE changes the TRACE.*
// settings (persistence to trace.db, ring and retention limits, HEP collector) as SET CFG would;
// CLR TRACE forgets every message held and stored.
import { isIP } from 'node:net';
import { Settings } from '../../config/settings';
import { addressPort } from '../../address-port';
import { parseLocalTime } from '../../store/local-time';
import { traceConfig, type SipTrace, type TraceFilter, type TraceKind } from '../../trace/index';
import { endpointFilter } from '../../trace/trace-filter';
import { MmlError, ok, RETCODE } from '../command';
import type { MmlArgs, MmlCommand, MmlContext, MmlParam, MmlResult } from '../command';
import { limitParam } from './common';
import { changeSetting, unsavedNote } from './config';
import { dialogsNamed } from './trace-call-id';

function traceOf(ctx: MmlContext): SipTrace {
  if (ctx.trace === undefined)
    throw new MmlError(RETCODE.OPERATION_FAILED, 'The SIP trace is not available: no transport is traced');
  return ctx.trace;
}

// CALLID="" names the messages without a Call-ID (malformed ones).
const CALLID: MmlParam = {
  name: 'CALLID',
  type: 'string',
  min: 0,
  help: 'The Call-ID of a dialog, or a part of it in any case ("": messages without one)',
};
const KINDS = ['CALL', 'REGISTRATION', 'MESSAGE', 'SUBSCRIPTION', 'OTHER', 'MALFORMED'] as const;

function timeParam(name: string, args: MmlArgs): number | undefined {
  const text = args.optStr(name);
  if (text === undefined) return undefined;
  const t = parseLocalTime(text);
  if (t === undefined)
    throw new MmlError(
      RETCODE.PARAMETER_ERROR,
      `Parameter ${name}: expected a date-time like 2026-12-02T13:45:00, got ${text}`,
    );
  return t.getTime() * 1000;
}

/** STATUS= or FINAL=: a response class, 4XX (or 4, or 486 for its class). */
function classParam(name: string, args: MmlArgs): number | undefined {
  const text = args.optStr(name);
  if (text === undefined) return undefined;
  const m = /^([1-6])(?:XX|\d\d)?$/i.exec(text);
  if (m === null)
    throw new MmlError(
      RETCODE.PARAMETER_ERROR,
      `Parameter ${name}: expected a class like 4XX (1XX-6XX), got ${text}`,
    );
  return Number(m[1]);
}

/**
 * ADDRESS=: an IP address, or one with its port as the ladder's lanes show it (127.0.0.1:5060,
 * [::1]:5060), which the trace's filter reads (trace-filter.ts endpointFilter).
 */
function addressParam(args: MmlArgs): string | undefined {
  const text = args.optStr('ADDRESS')?.trim();
  if (text === undefined) return undefined;
  const { address = '', port } = endpointFilter({ address: text });
  if (isIP(address) === 0 || (port !== undefined && (port < 1 || port > 65_535)))
    throw new MmlError(
      RETCODE.PARAMETER_ERROR,
      `Parameter ADDRESS: expected an IPv4 or IPv6 address, or address:port, got "${text}"`,
    );
  return text;
}

function filterOf(args: MmlArgs): TraceFilter {
  const statusClass = classParam('STATUS', args);
  const finalClass = classParam('FINAL', args);
  const fromUs = timeParam('FROM', args);
  const toUs = timeParam('TO', args);
  // A window that ends before it starts holds nothing: said, not answered with an empty list.
  if (fromUs !== undefined && toUs !== undefined && toUs < fromUs)
    throw new MmlError(
      RETCODE.PARAMETER_ERROR,
      `Parameter TO: ${args.str('TO')} is before FROM ${args.str('FROM')}`,
    );
  return {
    callId: args.optStr('CALLID'),
    user: args.optStr('USER'),
    method: args.optStr('METHOD')?.toUpperCase(),
    statusClass,
    finalClass,
    address: addressParam(args),
    fromUs,
    toUs,
    kind: args.optStr('KIND')?.toLowerCase() as TraceKind | undefined,
    text: args.optStr('TEXT'),
  };
}

function statusLine(trace: SipTrace): string {
  const s = trace.status();
  const mb = (b: number): string => (b / 1024 / 1024).toFixed(1);
  // RINGMSG=0 turns the ring off (it forgets what it held): said as such, not as an empty ring that
  // "let go" its messages, while trace.db and HEP, when on, go on without it.
  const ring =
    trace.settings.ringMessages === 0
      ? 'in memory: off (TRACE.RING_MESSAGES=0)'
      : // In memory: the ring; the dialogs listed may come from trace.db too.
        `in memory: ${s.dialogs} dialog${s.dialogs === 1 ? '' : 's'}, ${s.ringMessages} messages (${mb(s.ringBytes)} MB of ${trace.settings.ringMB})` +
        // The ring keeps the newest: say how many it let go, so that a dialog's count and its ladder agree.
        (s.evicted > 0 ? `, ${s.evicted} older let go` : '');
  return (
    ring +
    `; trace.db ${s.persist ? `on: ${s.storedMessages} messages (${mb(s.storedBytes)} MB)` : 'off'}` +
    `${s.hepCollector === '' ? '' : `; HEP to ${s.hepCollector}: ${s.hepSent} sent, ${s.hepFailed} failed`}`
  );
}

/**
 * A Call-ID none of whose messages the trace holds (RETCODE 5). When the ring has let older messages go,
 * the answer says so and what keeps more: a ladder still open in the console (its messages fetched
 * earlier) got "No message ... is held" from its Download pcap, with nothing to go on.
 */
function notHeld(trace: SipTrace, callId: string): MmlError {
  const s = trace.status();
  const why =
    s.evicted > 0 && !s.persist
      ? ` (the trace keeps the newest ${trace.settings.ringMessages} messages in memory and let older ones go: TRACE.RING_MESSAGES keeps more, TRACE.PERSIST keeps them in trace.db)`
      : '';
  return new MmlError(RETCODE.NOT_FOUND, `No message of Call-ID ${callId} is held${why}`);
}

function ladderResult(trace: SipTrace, callId: string): MmlResult {
  const messages = trace.messages(callId);
  if (messages.length === 0) throw notHeld(trace, callId);
  const ladder = trace.ladder(callId).trimEnd().split('\n');
  const first = messages[0]!.timeUs;
  let previous = first;
  const named = callId === '' ? 'Messages without a Call-ID' : `Call-ID ${callId}`;
  return ok(`${named}: ${messages.length} message${messages.length === 1 ? '' : 's'}`, [
    { title: 'Ladder', columns: [{ name: 'Flow', type: 'string' }], rows: ladder.map((l) => [l]) },
    {
      title: 'Messages',
      columns: [
        { name: 'No.', type: 'integer' },
        { name: 'Time (s)', type: 'string' },
        { name: 'Delta (s)', type: 'string' },
        { name: 'Direction', type: 'string' },
        { name: 'Transport', type: 'string' },
        { name: 'Remote', type: 'string' },
        { name: 'First line', type: 'string' },
        { name: 'Retransmission', type: 'boolean' },
        { name: 'Fault', type: 'string' },
      ],
      rows: messages.map((m, i) => {
        const row = [
          i + 1,
          ((m.timeUs - first) / 1e6).toFixed(6),
          ((m.timeUs - previous) / 1e6).toFixed(6),
          m.direction === 'in' ? 'IN' : 'OUT',
          m.transport,
          addressPort(m.remote.address, m.remote.port),
          m.data.toString('latin1', 0, Math.max(0, m.data.indexOf(0x0d))).slice(0, 120),
          m.retransmission,
          m.error ?? null,
        ];
        previous = m.timeUs;
        return row;
      }),
    },
  ]);
}

/** DSP TRACE's and EXP TRACE's filters besides CALLID. */
const FILTERS: MmlParam[] = [
  { name: 'USER', type: 'string', min: 1, help: 'A Request-URI, From or To user part' },
  { name: 'METHOD', type: 'string', min: 1, help: 'A request method seen in the dialog' },
  { name: 'STATUS', type: 'string', min: 1, help: 'A response class seen in the dialog: 1XX to 6XX' },
  {
    name: 'FINAL',
    type: 'string',
    min: 1,
    help: "The class of the dialog's final answer: 1XX to 6XX (FINAL=4XX: calls that failed, not those challenged)",
  },
  {
    name: 'ADDRESS',
    type: 'string',
    min: 1,
    help: 'An IP address a message came from or went to, or address:port as the ladder shows it (127.0.0.1:5060, [::1]:5060)',
  },
  {
    name: 'FROM',
    type: 'string',
    min: 1,
    help: 'Only dialogs with messages at or after this time (2026-12-02T13:45)',
  },
  { name: 'TO', type: 'string', min: 1, help: 'Only dialogs with messages at or before this time' },
  {
    name: 'TEXT',
    type: 'string',
    min: 1,
    help: 'A text its Call-ID or a message of it held in memory holds, in any case (a number, a User-Agent); in trace.db its Call-ID or users',
  },
  {
    name: 'KIND',
    type: 'enum',
    values: KINDS,
    help: 'Only calls, registrations, MESSAGEs, others or malformed',
  },
];

const dspTrace: MmlCommand = {
  verb: 'DSP',
  object: 'TRACE',
  group: 'Trace',
  help: 'Lists the traced dialogs matching the filters, newest first; with CALLID, draws that dialog as a ladder',
  params: [CALLID, ...FILTERS, limitParam(50, 10_000)],
  handler: (args, ctx) => {
    const trace = traceOf(ctx);
    const filter = filterOf(args);
    const others = args.names().filter((n) => n !== 'CALLID' && n !== 'LIMIT');
    // CALLID alone: the ladder of the one dialog it names; of several, their list.
    if (filter.callId !== undefined && others.length === 0) {
      const named = dialogsNamed(trace, filter.callId);
      if (named.length <= 1) return ladderResult(trace, named[0] ?? filter.callId);
    }
    const { dialogs, total } = trace.dialogs(filter, args.int('LIMIT'));
    return ok(statusLine(trace), [
      {
        title: 'Traced dialogs',
        columns: [
          { name: 'Call-ID', type: 'string' },
          { name: 'Kind', type: 'string' },
          { name: 'First line', type: 'string' },
          { name: 'From', type: 'string' },
          { name: 'To', type: 'string' },
          { name: 'Messages', type: 'integer' },
          { name: 'Start', type: 'time' },
          { name: 'Final status', type: 'integer' },
        ],
        rows: dialogs.map((d) => [
          d.callId,
          d.kind.toUpperCase(),
          d.firstLine.slice(0, 100),
          d.from,
          d.to,
          d.messages,
          Math.floor(d.startUs / 1000),
          d.finalStatus === 0 ? null : d.finalStatus,
        ]),
        total,
      },
    ]);
  },
};

const expTrace: MmlCommand = {
  verb: 'EXP',
  object: 'TRACE',
  group: 'Trace',
  help: 'Writes the messages of a Call-ID, or of every dialog the filters match (in time order), to <data>/trace/exports/ as pcap (Wireshark, tshark) or text',
  params: [
    CALLID,
    ...FILTERS,
    {
      name: 'FORMAT',
      type: 'enum',
      values: ['PCAP', 'TEXT'],
      default: 'PCAP',
      help: 'pcap file or text ladder and messages',
    },
  ],
  handler: async (args, ctx) => {
    const trace = traceOf(ctx);
    const filtered = args.names().some((n) => n !== 'CALLID' && n !== 'FORMAT');
    if (filtered) return await exportMany(trace, filterOf(args), args.str('FORMAT') as 'PCAP' | 'TEXT');
    if (args.optStr('CALLID') === undefined)
      throw new MmlError(
        RETCODE.PARAMETER_ERROR,
        'Parameter CALLID: give a Call-ID, or filters (FROM and TO, USER, METHOD, FINAL, ADDRESS, KIND) for the dialogs to write in one file',
      );
    const named = dialogsNamed(trace, args.str('CALLID'));
    if (named.length === 0) throw notHeld(trace, args.str('CALLID'));
    if (named.length > 1)
      throw new MmlError(
        RETCODE.PARAMETER_ERROR,
        `Parameter CALLID: ${args.str('CALLID')} is part of ${named.length} Call-IDs (${named.slice(0, 10).join(', ')}${named.length > 10 ? ', ...' : ''}); give one`,
      );
    const callId = named[0]!;
    const { file, messages, leftOut } = trace.exportFile(callId, args.str('FORMAT') as 'PCAP' | 'TEXT');
    const never = leftOut === 0 ? '' : `; ${leftOut} never sent (no packet) left out`;
    return ok(`${messages} messages of Call-ID ${callId} written to ${file}${never}`, [
      {
        title: 'Export',
        columns: [
          { name: 'File', type: 'string' },
          { name: 'Messages', type: 'integer' },
        ],
        rows: [[file, messages]],
      },
    ]);
  },
};

/** Most messages one EXP TRACE with filters writes (about 1 KB each, held in memory while written). */
export const MAX_EXPORT_MESSAGES = 50_000;

/**
 * EXP TRACE with filters: every matching dialog's messages in one file, the oldest dialogs first, written
 * a step at a time (SipTrace.exportManyFile).
 */
async function exportMany(trace: SipTrace, filter: TraceFilter, format: 'PCAP' | 'TEXT'): Promise<MmlResult> {
  const { dialogs, total } = trace.dialogs(filter, 100_000);
  if (total === 0) throw new MmlError(RETCODE.NOT_FOUND, 'No traced dialog matches the filters');
  const callIds = dialogs.map((d) => d.callId).reverse();
  const r = await trace.exportManyFile(callIds, format, MAX_EXPORT_MESSAGES);
  const notes = [
    r.leftOut === 0 ? '' : `; ${r.leftOut} never sent (no packet) left out`,
    r.cut || r.dialogs < total
      ? `; the first ${r.dialogs} of ${total} dialogs (at most ${MAX_EXPORT_MESSAGES} messages a file: narrow FROM and TO for the rest)`
      : '',
  ].join('');
  return ok(`${r.messages} messages of ${r.dialogs} dialogs written to ${r.file}${notes}`, [
    {
      title: 'Export',
      columns: [
        { name: 'File', type: 'string' },
        { name: 'Messages', type: 'integer' },
      ],
      rows: [[r.file, r.messages]],
    },
  ]);
}

/** SET TRACE parameters and the settings they change. */
const SET_KEYS: readonly [string, string][] = [
  ['STATE', 'TRACE.PERSIST'],
  ['RINGMSG', 'TRACE.RING_MESSAGES'],
  ['RINGMB', 'TRACE.RING_MB'],
  ['DAYS', 'TRACE.RETENTION_DAYS'],
  ['DBMB', 'TRACE.DB_MB'],
  ['HEP', 'TRACE.HEP_COLLECTOR'],
];

/** Runs a change, its error naming the SET TRACE parameter rather than SET CFG's VALUE. */
function named(param: string, change: () => MmlResult): MmlResult {
  try {
    return change();
  } catch (err) {
    if (err instanceof MmlError)
      throw new MmlError(err.retcode, err.message.replace('Parameter VALUE', `Parameter ${param}`));
    throw err;
  }
}

const setTrace: MmlCommand = {
  verb: 'SET',
  object: 'TRACE',
  group: 'Trace',
  help: 'Turns keeping the trace in trace.db on or off and sets its limits and the HEP collector (SAVE CFG keeps them)',
  atLeastOne: SET_KEYS.map(([p]) => p),
  params: [
    { name: 'STATE', type: 'enum', values: ['ON', 'OFF'], help: 'ON: also keep every message in trace.db' },
    {
      name: 'RINGMSG',
      type: 'integer',
      min: 0,
      max: 10_000_000,
      help: 'Messages kept in memory (0: the trace is off)',
    },
    { name: 'RINGMB', type: 'integer', min: 1, max: 65_536, help: 'Memory the kept messages may take (MB)' },
    { name: 'DAYS', type: 'integer', min: 1, max: 3650, help: 'Days trace.db keeps a message' },
    {
      name: 'DBMB',
      type: 'integer',
      min: 1,
      max: 1_048_576,
      help: 'Largest size of the messages in trace.db (MB)',
    },
    { name: 'HEP', type: 'string', min: 1, help: 'host:port of a HEPv3 collector, or OFF' },
  ],
  handler: (args, ctx) => {
    traceOf(ctx);
    const changes: [string, string, string][] = [];
    for (const [param, key] of SET_KEYS) {
      let value = args.optStr(param);
      if (value === undefined) continue;
      if (param === 'STATE') value = value === 'ON' ? 'true' : 'false';
      if (param === 'HEP' && value.toUpperCase() === 'OFF') value = '';
      changes.push([param, key, value]);
    }
    // Every change is tried on a copy first (with the trace's own check of the result): a command
    // answered with an error changes nothing.
    const scratch = new Settings(ctx.settings.entries());
    scratch.onChange(() => traceConfig(scratch));
    for (const [param, key, value] of changes)
      named(param, () => changeSetting({ ...ctx, settings: scratch }, key, value));
    const notes = changes.map(
      ([param, key, value]) => named(param, () => changeSetting(ctx, key, value)).message.split(';')[0]!,
    );
    const unsaved = unsavedNote(
      ctx.settings,
      changes.map(([, key]) => key),
    );
    return ok([...notes, statusLine(traceOf(ctx)), ...(unsaved === undefined ? [] : [unsaved])].join('; '));
  },
};

const clrTrace: MmlCommand = {
  verb: 'CLR',
  object: 'TRACE',
  group: 'Trace',
  help: 'Forgets every traced message, in memory and in trace.db',
  destructive: true,
  params: [],
  handler: (_args, ctx) => {
    const { ring, stored } = traceOf(ctx).clear();
    return ok(`Trace cleared: ${ring} messages in memory, ${stored} in trace.db`);
  },
};

export function traceCommands(): MmlCommand[] {
  return [dspTrace, expTrace, setTrace, clrTrace];
}
