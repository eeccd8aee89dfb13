// The control contract (DESIGN.md, One control contract, two transports): the requests a console may
// make, what they answer, and the event topics it may follow. Defined once, here, and imported by the
// appliance (core/control/control.ts), the Electron preload and the renderer, so all three agree.
// Requests are valibot schemas: the Electron IPC adapter and the WebSocket server pass what arrives
// through validateRequest() first, and the types are inferred from the same schemas. A malformed
// request gets an error naming what is wrong, never an exception in the appliance.
// This file is shared with the browser: no Node imports, and type imports only from pure-data modules.
import { isDeviceName } from './device-names';
import * as v from 'valibot';
import type { SettingUnit } from '../config/setting-refusal';

// ── Topics and snapshots ─────────────────────────────────────────────────────────────────────────────

/**
 * Event topics. To add one: name it here, give its payload in TopicEvents, feed it in the appliance.
 * config, users, cdr and traceState say that what a view shows changed, whoever changed it (another
 * console, the `mml` CLI, another process writing the database): the view loads its snapshot again.
 */
export const TOPICS = [
  'log',
  'registration',
  'call',
  'message',
  'perf',
  'mml',
  'dialer',
  'trace',
  'config',
  'users',
  'cdr',
  'traceState',
] as const;
export type Topic = (typeof TOPICS)[number];

/** Snapshots. To add one: name it here, give its answer in SnapshotResults, answer it in control.ts. */
export const SNAPSHOTS = [
  'status',
  'users',
  'registrations',
  'calls',
  'cdr',
  'perf',
  'config',
  'dialer',
  'log',
  'history',
  'trace',
  'traceMessages',
  'traceExport',
] as const;
export type SnapshotName = (typeof SNAPSHOTS)[number];

/** Languages of the console; MML messages follow it where the engine knows the language. */
export const LANGS = ['en', 'zh'] as const;
export type Lang = (typeof LANGS)[number];

/** Longest MML script a console may send in one request. */
export const MAX_SCRIPT = 256 * 1024;

/** Largest prompt (WAV bytes) a console may upload: its base64 fits one WebSocket message (512 KB). */
export const MAX_PROMPT_UPLOAD = 360 * 1024;

/** What an uploaded prompt may be called: a plain file name ending in .wav (no folders). */
export const PROMPT_NAME = /^[\p{L}\p{N}][\p{L}\p{N}._-]{0,59}\.wav$/iu;

/** Most events of one topic a session holds between two batches; beyond it, the oldest are skipped. */
export const MAX_BATCH = 5000;

/** Time between two batches of one topic (a few per second at most, whatever the load). */
export const BATCH_INTERVAL_MS = 250;

// ── Request schemas ──────────────────────────────────────────────────────────────────────────────────

const LOG_LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR'] as const;
const id = v.optional(
  v.union([v.number(), v.string()], 'id: expected a number or a string (echoed in the answer)'),
);
const int = (name: string, min: number, max: number) =>
  v.optional(
    v.pipe(
      v.number(`${name}: expected an integer ${min}..${max}`),
      v.integer(`${name}: expected an integer ${min}..${max}`),
      v.minValue(min, `${name}: expected an integer ${min}..${max}`),
      v.maxValue(max, `${name}: expected an integer ${min}..${max}`),
    ),
  );
const text = (name: string, max = 200) =>
  v.optional(
    v.pipe(
      v.string(`${name}: expected a string of at most ${max} characters`),
      v.maxLength(max, `${name}: expected a string of at most ${max} characters`),
    ),
  );
const unknownField = (where: string) => `${where}: unknown field`;

const PageQuerySchema = v.strictObject(
  { offset: int('offset', 0, 10_000_000), limit: int('limit', 1, 1000), search: text('search') },
  unknownField('query'),
);
const CdrQuerySchema = v.strictObject(
  {
    date: text('date', 10),
    type: text('type', 20),
    caller: text('caller'),
    callee: text('callee'),
    // DSP CDR CALLID=: the Call-ID exactly, else a part of one in any case (core/cdr/query.ts matchCallId).
    callId: text('callId', 256),
    // A call_state (ENDED, FAILED, CANCELLED, SUCCESS, ...), in any case; the store checks the word.
    state: text('state', 20),
    limit: int('limit', 1, 1000),
    before: text('before', 40),
  },
  unknownField('query'),
);
const LogQuerySchema = v.strictObject(
  {
    // Up to the console's largest "Lines kept", what the server's memory keeps (observe/logger.ts).
    limit: int('limit', 1, 50_000),
    level: v.optional(v.picklist(LOG_LEVELS, `level: expected one of ${LOG_LEVELS.join(', ')}`)),
    search: text('search'),
  },
  unknownField('query'),
);
const TRACE_KINDS = ['call', 'registration', 'message', 'subscription', 'other', 'malformed'] as const;
/** Microseconds since the epoch (a time range of the trace). */
const timeUs = (name: string) =>
  v.optional(
    v.pipe(
      v.number(`${name}: expected microseconds since the epoch`),
      v.integer(`${name}: expected microseconds since the epoch`),
      v.minValue(0, `${name}: expected microseconds since the epoch`),
    ),
  );
const TraceQuerySchema = v.strictObject(
  {
    callId: text('callId', 256),
    user: text('user', 100),
    method: v.optional(
      v.pipe(
        v.string('method: expected a SIP method name'),
        v.regex(/^[A-Za-z]{1,20}$/, 'method: expected a SIP method name'),
      ),
    ),
    statusClass: int('statusClass', 1, 6),
    finalClass: int('finalClass', 1, 6),
    address: text('address', 64),
    fromUs: timeUs('fromUs'),
    toUs: timeUs('toUs'),
    kind: v.optional(v.picklist(TRACE_KINDS, `kind: expected one of ${TRACE_KINDS.join(', ')}`)),
    // Its Call-ID or a message of it holds this (core/trace/trace-text.ts).
    text: text('text', 256),
    offset: int('offset', 0, 1_000_000),
    limit: int('limit', 1, 1000),
  },
  unknownField('query'),
);
// '' is a Call-ID too: the messages that have none (malformed ones the trace lists under it).
const callIdRequired = v.pipe(
  v.string('callId: expected the Call-ID as a string'),
  v.maxLength(256, 'callId: longer than 256 characters'),
);
const TRACE_FORMATS = ['PCAP', 'TEXT'] as const;
/** A snapshot whose query is required (the Call-ID of the messages asked for). */
const snapshotOf = <N extends SnapshotName, Q extends v.GenericSchema>(name: N, query: Q) =>
  v.strictObject({ op: v.literal('snapshot'), name: v.literal(name), query, id }, unknownField('snapshot'));

const topicList = v.pipe(
  v.array(
    v.picklist(
      TOPICS,
      (issue) => `topics: unknown topic ${JSON.stringify(issue.input)} (known: ${TOPICS.join(', ')})`,
    ),
    `topics: expected a non-empty list of ${TOPICS.join(', ')}`,
  ),
  v.minLength(1, `topics: expected a non-empty list of ${TOPICS.join(', ')}`),
);

const snapshotWith = <N extends SnapshotName, Q extends v.GenericSchema>(name: N, query: Q) =>
  v.strictObject(
    { op: v.literal('snapshot'), name: v.literal(name), query: v.optional(query), id },
    unknownField('snapshot'),
  );
const PLAIN_SNAPSHOTS = ['status', 'calls', 'perf', 'config', 'dialer'] as const;

const SnapshotSchema = v.variant(
  'name',
  [
    v.strictObject(
      {
        op: v.literal('snapshot'),
        name: v.picklist(PLAIN_SNAPSHOTS),
        query: v.optional(v.undefined('query: this snapshot takes none')),
        id,
      },
      unknownField('snapshot'),
    ),
    snapshotWith('users', PageQuerySchema),
    snapshotWith('registrations', PageQuerySchema),
    snapshotWith('cdr', CdrQuerySchema),
    snapshotWith('log', LogQuerySchema),
    snapshotWith(
      'history',
      v.strictObject({ limit: int('limit', 1, 1000), who: text('who') }, unknownField('query')),
    ),
    snapshotWith('trace', TraceQuerySchema),
    snapshotOf('traceMessages', v.strictObject({ callId: callIdRequired }, unknownField('query'))),
    snapshotOf(
      'traceExport',
      v.strictObject(
        {
          callId: callIdRequired,
          format: v.optional(
            v.picklist(TRACE_FORMATS, `format: expected one of ${TRACE_FORMATS.join(', ')}`),
          ),
        },
        unknownField('query'),
      ),
    ),
  ],
  `name: expected one of ${SNAPSHOTS.join(', ')}`,
);

/** The highest first line a piece of a script may say it starts at. */
const MAX_FIRST_LINE = 100_000_000;
const FIRST_LINE = `firstLine: expected a line number 1..${MAX_FIRST_LINE}`;

export const ControlRequestSchema = v.variant(
  'op',
  [
    v.strictObject(
      {
        op: v.literal('execute'),
        mml: v.pipe(
          v.string('mml: expected the command text as a string'),
          v.maxLength(MAX_SCRIPT, `mml: longer than ${MAX_SCRIPT} characters`),
        ),
        lang: v.optional(v.picklist(LANGS, `lang: expected one of ${LANGS.join(', ')}`)),
        /** The number of the script's first line in its file (`mml --file` sends a long one in pieces). */
        firstLine: v.optional(
          v.pipe(
            v.number(FIRST_LINE),
            v.integer(FIRST_LINE),
            v.minValue(1, FIRST_LINE),
            v.maxValue(MAX_FIRST_LINE, FIRST_LINE),
          ),
        ),
        id,
      },
      unknownField('execute'),
    ),
    v.strictObject(
      {
        op: v.literal('complete'),
        text: v.pipe(
          v.string('text: expected a string of at most 1000 characters'),
          v.maxLength(1000, 'text: expected a string of at most 1000 characters'),
        ),
        id,
      },
      unknownField('complete'),
    ),
    SnapshotSchema,
    v.strictObject(
      {
        op: v.literal('upload'),
        name: v.pipe(
          v.string('name: expected a file name ending in .wav'),
          v.regex(PROMPT_NAME, 'name: expected a plain file name ending in .wav (letters, digits, . _ -)'),
          v.check(
            (n) => !isDeviceName(n),
            'name: a device name on Windows (CON, PRN, AUX, NUL, COM1, LPT1...)',
          ),
        ),
        data: v.pipe(
          v.string('data: expected the file as base64'),
          v.maxLength(
            Math.ceil(MAX_PROMPT_UPLOAD / 3) * 4,
            `data: larger than ${MAX_PROMPT_UPLOAD / 1024} KB (keep prompts short: 8 kHz mono is 16 KB/s)`,
          ),
          v.regex(/^[A-Za-z0-9+/]*={0,2}$/, 'data: expected base64'),
        ),
        /** The language of the answer to a file that is no prompt (the console's). */
        lang: v.optional(v.picklist(LANGS, `lang: expected one of ${LANGS.join(', ')}`)),
        id,
      },
      unknownField('upload'),
    ),
    v.strictObject({ op: v.literal('subscribe'), topics: topicList, id }, unknownField('subscribe')),
    v.strictObject({ op: v.literal('unsubscribe'), topics: topicList, id }, unknownField('unsubscribe')),
  ],
  'op: expected execute, complete, snapshot, upload, subscribe or unsubscribe',
);

export type ControlRequest = v.InferOutput<typeof ControlRequestSchema>;
export type PageQuery = v.InferOutput<typeof PageQuerySchema>;
export type CdrQuery = v.InferOutput<typeof CdrQuerySchema>;
export type LogQuery = v.InferOutput<typeof LogQuerySchema>;
export type TraceQuery = v.InferOutput<typeof TraceQuerySchema>;

type Check<T> = { value: T } | { error: string };

/** Checks a request from outside (IPC or WebSocket); the error names the field at fault. */
export function validateRequest(x: unknown): Check<ControlRequest> {
  if (typeof x !== 'object' || x === null || Array.isArray(x))
    return { error: 'request: expected a JSON object with an "op" field' };
  const r = x as Record<string, unknown>;
  if (r.op === 'snapshot' && !(SNAPSHOTS as readonly unknown[]).includes(r.name))
    return { error: `name: expected one of ${SNAPSHOTS.join(', ')}, got ${JSON.stringify(r.name)}` };
  const parsed = v.safeParse(ControlRequestSchema, x);
  if (parsed.success) return { value: parsed.output };
  const issue = parsed.issues[0];
  const path = v.getDotPath(issue) ?? '';
  const key = path.split('.').pop() ?? '';
  let message = issue.message;
  if (issue.type === 'strict_object' && issue.expected === 'never') message = `${message} "${key}"`;
  else if (issue.type === 'strict_object') message = `${path}: required`;
  else if (path.startsWith('query.') && !message.startsWith('query')) message = `query: ${message}`;
  if (path === 'op' && issue.input !== undefined) message += `, got ${JSON.stringify(issue.input)}`;
  return { error: message };
}

// ── Responses ────────────────────────────────────────────────────────────────────────────────────────

export type ControlResponse<T = unknown> = { ok: true; result: T } | { ok: false; error: string };

/** An MML table (core/mml/command.ts MmlTable): typed columns, cells as numbers, strings, booleans. */
export interface MmlTableData {
  /** The title in English, the same in every language (a script finds the table by it). */
  key?: string;
  title?: string;
  /** key: the column's name in English, the same in every language; name: as shown, in the answer's. */
  columns: { key?: string; name: string; type: 'string' | 'integer' | 'number' | 'time' | 'boolean' }[];
  rows: unknown[][];
  total?: number;
}

/** One statement's answer (core/mml/command.ts MmlResult). */
export interface MmlResultData {
  retcode: number;
  message: string;
  tables: MmlTableData[];
  restartNeeded?: boolean;
  /** The statement that shows the next page (DSP CDR ... BEFORE=<record_id>, DSP USER ... OFFSET=), when there is one. */
  next?: string;
  command?: string;
  /** Its statement's line in a script of several lines. */
  line?: number;
}

/** What execute answers: one result per statement, and the terminal's text of them all. */
export interface ExecuteResult {
  results: MmlResultData[];
  text: string;
}

export interface UserData {
  username: string;
  displayName: string;
  phone: string;
  email: string;
  status: string;
  serviceType: string;
  createTime: string;
  updateTime: string;
}

export interface BindingData {
  aor: string;
  contact: string;
  expiresAt: number;
  q: number | undefined;
  callId: string;
  cseq: number;
  sourceAddress: string;
  sourcePort: number;
  transport: string;
  userAgent: string;
  createdAt: number;
  updatedAt: number;
  /** RFC 3327: the Path the binding was registered with (an edge proxy such as a P-CSCF), in order. */
  path?: readonly string[];
  /** The Contact's parameters as registered (;+sip.instance="<urn:…>" names the device, RFC 5626). */
  contactParams?: string;
}

export interface CallPartyData {
  header: string;
  uri: string;
  number: string;
  address: string;
  port: number;
  userAgent: string;
  contact: string;
}

export interface CallData {
  id: string;
  callId: string;
  state: 'calling' | 'ringing' | 'answered' | 'ended' | 'failed' | 'cancelled';
  caller: CallPartyData;
  callee: CallPartyData;
  requestUri: string;
  media: { kinds: string[]; codecs: string[]; direction: string };
  startedAt: number;
  ringingAt?: number;
  answeredAt?: number;
  endedAt?: number;
  statusCode: number;
  statusText: string;
  endReason: string;
  hangupBy?: string;
  /** Who put the answered call on hold, while it is (core/calls/call.ts). */
  heldBy?: 'caller' | 'callee';
  /**
   * Now on the call's own clock (its start plus the steady time since) when this was sent, while it is
   * live: what the console counts its duration on, so a server clock stepped mid-call moves no duration.
   */
  clockAt?: number;
}

export interface PerfSampleData {
  at: number;
  intervalMs: number;
  cpu: { percent: number; hostPercent: number; cores: number; loadAverage: [number, number, number] };
  memory: { rss: number; heapUsed: number; heapTotal: number; hostTotal: number; hostFree: number };
  network: {
    packetsInPerSecond: number;
    packetsOutPerSecond: number;
    host: { rxBytesPerSecond: number; txBytesPerSecond: number } | undefined;
  };
  messages: {
    inPerSecond: number;
    outPerSecond: number;
    requestsInPerSecond: number;
    responsesInPerSecond: number;
    parseErrorsPerSecond: number;
    retransmissionsPerSecond: number;
    requestsIn: Record<string, number>;
  };
  /** Calls started per second over the interval. */
  calls: { startedPerSecond: number };
  /** Live calls, registered users and contacts, and auth failures so far, at the sample. */
  live: { calls: number; aors: number; bindings: number; authFailures: number };
  /** How late the event loop ran over the interval, ms (the server's own added delay). */
  eventLoop: { p50Ms: number; p99Ms: number; maxMs: number; meanMs: number };
  /** Garbage collections over the interval: how many, how long they held the loop in all and at most, ms. */
  gc: Record<'young' | 'full', { count: number; pauseMs: number; maxMs: number }>;
}

/**
 * A log record as the console gets it: its text once (the file's line, `time [LEVEL   ] [source] text`
 * with further lines indented, is the renderer's to put together). Both, nearly the same text twice, made
 * the Logs view's snapshot 9.7 MB for 11,000 DEBUG records, and its JSON held SIP 0.2 s.
 */
export interface LogLineData {
  time: number;
  level: (typeof LOG_LEVELS)[number];
  source: string;
  text: string;
}

export interface StatusData {
  version: string;
  uptimeSeconds: number;
  startedAt: number;
  serverIp: string;
  udpPort: number;
  tcpPort: number;
  bindings: number;
  aors: number;
  calls: number;
  users: number;
  /**
   * The server's time zone (IANA, e.g. Asia/Shanghai; '' when unknown): the console shows times on the
   * server's clock, as the CDR, the log files and MML do, whatever the browser's zone.
   */
  timeZone: string;
  /** The data folder, absolute: the console names it where a file must be put (Users' bulk import). */
  dataDir: string;
  /**
   * The server's clock when it answered (ms since the epoch): the console counts countdowns and
   * durations on it, not on the browser's clock, which may be minutes off.
   */
  serverTime: number;
  messages: {
    requestsIn: number;
    responsesIn: number;
    out: number;
    parseErrors: number;
    retransmissions: number;
    authFailures: number;
  };
}

export interface SettingData {
  key: string;
  type: string;
  value: unknown;
  default: unknown;
  source: 'default' | 'file' | 'env' | 'mml';
  help: string;
  min?: number;
  max?: number;
  /** What an integer counts ("seconds"; settings.ts): its refusal says it, in SET CFG and the dialog. */
  unit?: SettingUnit;
  options?: readonly string[];
  /** What the setting allows, in English (DSP CFG's Allowed column; zhAllowed gives the 中文). */
  allowed: string;
  restart: boolean;
  env?: string;
  /** A password: value and default come masked; an edit starts empty. */
  secret?: boolean;
}

/** A CDR row (core/cdr/record.ts CdrRecord): the original's columns, then IMS Lab's. */
export type CdrRecordData = { record_id: string; started_at: number } & Record<
  string,
  string | number | null
>;

/**
 * `seq` in a snapshot is the sequence number of the last event of its topic the snapshot already
 * includes: a console applies only the events after it (first + i > seq), so nothing is lost or doubled.
 */
export interface SnapshotResults {
  status: StatusData;
  users: { users: UserData[]; total: number; offset: number; limit: number };
  /** total: the bindings that match the search; all: every binding, whatever the search. */
  registrations: {
    bindings: BindingData[];
    total: number;
    all: number;
    offset: number;
    limit: number;
    seq: number;
  };
  calls: { calls: CallData[]; seq: number };
  cdr: { records: CdrRecordData[]; total: number; limit: number; next: string | undefined };
  perf: { samples: PerfSampleData[]; seq: number };
  config: { settings: SettingData[]; unsaved: string[]; pendingRestart: string[] };
  dialer: DialerSnapshotData & { seq: number };
  log: { lines: LogLineData[]; level: string; seq: number };
  /** The MML command history, oldest first (what DSP HISTORY shows); seq of the mml topic. */
  history: {
    entries: { id: number; at: number; who: string; command: string; retcode: number; message: string }[];
    seq: number;
  };
  /** The dialogs of the SIP trace matching the query, newest first; seq of the trace topic. */
  trace: {
    dialogs: TraceDialogData[];
    total: number;
    offset: number;
    limit: number;
    seq: number;
    /** Whether messages are kept now (the view says when they are not). */
    state: TraceStateData;
  };
  /** The messages of one Call-ID in capture order (empty when none is held). */
  traceMessages: { callId: string; messages: TraceMessageData[] };
  /** A Call-ID's messages as a pcap (or text) file, base64 (the desktop's download; a browser uses HTTP). */
  traceExport: { file: string; format: 'PCAP' | 'TEXT'; messages: number; base64: string };
}

/** Whether the trace keeps messages now: in memory (the Trace view's live list), in trace.db. */
export interface TraceStateData {
  /** TRACE.RING_MESSAGES: 0 turns the ring, and so the live list, off. */
  ringMessages: number;
  /** TRACE.PERSIST: messages are kept in trace.db too. */
  persist: boolean;
}

/** What the trace knows of one Call-ID (core/trace/trace-dialog.ts TraceDialogSummary). */
export interface TraceDialogData {
  callId: string;
  kind: (typeof TRACE_KINDS)[number];
  /** Start line of its first message. */
  firstLine: string;
  from: string;
  to: string;
  /** Messages captured for it. */
  messages: number;
  /** Microseconds since the epoch. */
  startUs: number;
  lastUs: number;
  /** Final status to its first request (0: none yet). */
  finalStatus: number;
  /** A live update only: the trace has let the dialog go (its ring full, trace.db off). */
  gone?: true;
}

/** One traced message (core/trace/message-view.ts TraceMessageView). */
export interface TraceMessageData {
  /** The trace's capture sequence: a key. */
  seq: number;
  /** DSP TRACE's No. of the message: its place in the dialog, from 1 (what the console shows). */
  no: number;
  /** Microseconds since the epoch. */
  timeUs: number;
  direction: 'in' | 'out';
  transport: string;
  src: { address: string; port: number };
  dst: { address: string; port: number };
  firstLine: string;
  /** Method, or status and reason: what the ladder's arrow says. */
  label: string;
  method: string;
  status: number;
  retransmission: boolean;
  /** Received and not accepted: the fault. */
  error: string | null;
  /** The whole message: UTF-8 (RFC 3261 §7.3.1), or latin1 (a character per byte) when it is not. */
  text: string;
}

/** One finished dialer call (core/dialer/statistics.ts CallResult). */
export interface DialerCallResultData {
  number: string;
  callId: string;
  /** Final status of the INVITE (200 when answered); 0 when the call never got one. */
  status: number;
  reason: string;
  answered: boolean;
  /** Who ended it: local, remote, cancelled, failed. */
  end: string;
  /** Ended by the operator (STP CALL, STP DIALSVC) before an answer: not a failure, not in the ASR. */
  cancelledByOperator?: boolean;
  startedAt: number;
  endedAt: number;
  pddMs?: number;
  talkMs: number;
  rtpSent: number;
  rtpReceived: number;
  rtpLost: number;
  jitterMs: number;
  maxJitterMs: number;
  recording?: string;
  /** What did not go as asked though the call went on, e.g. DTMF not sent. */
  note?: string;
}

/** A campaign's figures (core/dialer/statistics.ts CampaignFigures): ASR %, ACD s, PDD ms, RTP. */
export interface DialerFiguresData {
  placed: number;
  completed: number;
  answered: number;
  failed: number;
  /** Calls the operator cleared before the answer: neither answered nor failed, not in ASR. */
  cancelled: number;
  /** Failed calls by final SIP code, e.g. { "486": 1 } (not those the operator cleared). */
  byCode: Record<string, number>;
  asr: number | null;
  acdSeconds: number | null;
  pddP50Ms: number | null;
  pddP95Ms: number | null;
  rtpSent: number;
  rtpReceived: number;
  rtpLost: number;
  jitterMeanMs: number | null;
  jitterMaxMs: number | null;
}

/** A call in progress (core/dialer/campaign.ts LiveCallView). */
export interface DialerLiveCallData {
  number: string;
  callId: string;
  state: string;
  startedAt: number;
  answeredAt?: number;
  /** The answer's SIP code and the post-dial delay once known (the finished call's status and pddMs). */
  status?: number;
  pddMs?: number;
  rtpSent: number;
  rtpReceived: number;
  /** Now on the call's own clock as this was read (its talk time counts on it). */
  clockAt?: number;
}

/** A campaign (core/dialer/campaign.ts CampaignSnapshot); in events, `live` and `recent` are empty. */
export interface DialerCampaignData {
  id: string;
  state: 'running' | 'stopping' | 'finished' | 'stopped';
  mediaFile: string;
  durationMs: number;
  concurrency: number;
  rate: number;
  dtmf?: string;
  record?: boolean;
  total: number;
  inProgress: number;
  startedAt: number;
  endedAt?: number;
  /** When its first and its latest call were placed (core/dialer/call-rate.ts). */
  firstPlacedAt?: number;
  lastPlacedAt?: number;
  /** Now on the campaign's own clock as this was read, while it runs (its elapsed time counts on it). */
  clockAt?: number;
  figures: DialerFiguresData;
  /** What ended it, when not its own end: "Interrupted by shutdown: 60 of 300 placed". */
  note?: string;
  live: DialerLiveCallData[];
  /** The most recent results, newest last. */
  recent: DialerCallResultData[];
}

export type DialerStateData = 'stopped' | 'starting' | 'running' | 'stopping';

/** The auto dialer (core/dialer/dialer.ts DialerSnapshot, as plain data). */
export interface DialerSnapshotData {
  state: DialerStateData;
  registered: boolean;
  account: string;
  local?: { address: string; port: number };
  server?: { address: string; port: number };
  startedAt?: number;
  registration?: { ok: boolean; status: number; reason: string; expires?: number };
  rtpPortsInUse: number;
  campaigns: DialerCampaignData[];
  totals: { placed: number; answered: number; failed: number; cancelled: number };
  /** The prompts the server offers for MEDIA_FILE (media/*.wav), as STR CALL takes them. */
  mediaFiles: string[];
}

/** What the 'dialer' topic carries (core/dialer/dialer.ts DialerEvent). */
export type DialerEventData =
  | { type: 'progress'; campaign: DialerCampaignData }
  | { type: 'call'; campaignId: string; result: DialerCallResultData }
  | { type: 'service'; state: DialerStateData; registered: boolean; message?: string };

/** What each op answers. */
export interface OpResults {
  execute: ExecuteResult;
  complete: string[];
  /** A prompt saved in the data folder's media/: its MEDIA_FILE name and what it decoded as. */
  upload: { file: string; source: string; seconds: number };
  subscribe: Topic[];
  unsubscribe: Topic[];
}

// ── Events ───────────────────────────────────────────────────────────────────────────────────────────

export interface TopicEvents {
  log: LogLineData;
  registration: {
    type: 'bound' | 'refreshed' | 'expired' | 'removed';
    binding: BindingData;
    /** 'refreshed': the binding before; another contact when the same device registered a new one. */
    previous?: BindingData;
    cause?: string;
    at: number;
  };
  call: { type: 'started' | 'ringing' | 'answered' | 'media' | 'ended'; call: CallData; at: number };
  message: {
    callId: string;
    from: CallPartyData;
    to: CallPartyData;
    body: string;
    statusCode: number;
    at: number;
  };
  perf: PerfSampleData;
  mml: { who: string; at: number; command: string; result: MmlResultData };
  dialer: DialerEventData;
  /** A dialog of the SIP trace changed (its latest summary; at most one per dialog every 250 ms). */
  trace: TraceDialogData;
  /** Settings changed (SET CFG, SET TRACE, SET LOG...) or were saved (SAVE CFG): the config snapshot moved. */
  config: { type: 'changed' | 'saved'; keys: string[]; at: number };
  /**
   * The users table changed: through MML (ADD/MOD/RMV/IMP USER, STR DIALSVC's account, a new realm) or
   * by another process (`server.js users import` beside the running server), seen within a second.
   */
  users: { total: number; at: number };
  /** CDR rows went or came other than by a call, MESSAGE or registration: CLR CDR, or an import. */
  cdr: { type: 'cleared' | 'imported'; rows: number; at: number };
  /**
   * The trace was cleared (CLR TRACE), its settings changed (SET TRACE; RINGMSG=0 lets go of all), or
   * trace.db let its oldest dialogs go (TRACE.DB_MB, TRACE.RETENTION_DAYS): a list shown is read again.
   */
  traceState: { type: 'cleared' | 'configured' | 'trimmed'; state: TraceStateData; at: number };
}

/**
 * Events of one topic, in order: data[i] has the sequence number first + i. Sequence numbers count up
 * by one per event of a topic from the appliance's start; a gap (first > last seen + 1) means events
 * were skipped (a session held more than MAX_BATCH) and the view should load its snapshot again.
 */
export type ControlEventBatch<T extends Topic = Topic> = {
  [K in T]: { topic: K; first: number; data: TopicEvents[K][] };
}[T];

/**
 * The WebSocket close code of a console whose session ended (logged out, from this tab or another, or
 * expired): it goes back to the login page. 4000-4999 are the application's (RFC 6455 §7.4.2).
 */
export const SESSION_ENDED_CLOSE = 4401;
