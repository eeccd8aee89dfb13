// The control contract (DESIGN.md, One control contract, two transports): the requests a console may
// make, what they answer, and the event topics it may follow. Defined once, here, and imported by the
// appliance (core/control/control.ts), the Electron preload and the renderer, so all three agree.
// Requests are valibot schemas: the Electron IPC adapter and the WebSocket server pass what arrives
// through validateRequest() first, and the types are inferred from the same schemas. A malformed
// request gets an error naming what is wrong, never an exception in the appliance.
// This file is shared with the browser: no Node imports, and type imports only from pure-data modules.
import * as v from 'valibot';

// ── Topics and snapshots ─────────────────────────────────────────────────────────────────────────────

/** Event topics. To add one: name it here, give its payload in TopicEvents, feed it in the appliance. */
export const TOPICS = ['log', 'registration', 'call', 'message', 'perf', 'mml', 'dialer'] as const;
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
] as const;
export type SnapshotName = (typeof SNAPSHOTS)[number];

/** Languages of the console; MML messages follow it where the engine knows the language. */
export const LANGS = ['en', 'zh'] as const;
export type Lang = (typeof LANGS)[number];

/** Longest MML script a console may send in one request. */
export const MAX_SCRIPT = 256 * 1024;

/** Most events of one topic a session holds between two batches; beyond it, the oldest are skipped. */
export const MAX_BATCH = 5000;

/** Time between two batches of one topic (a few per second at most, whatever the load). */
export const BATCH_INTERVAL_MS = 250;

// ── Request schemas ──────────────────────────────────────────────────────────────────────────────────

const LOG_LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR'] as const;
const id = v.optional(v.union([v.number(), v.string()]));
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
    limit: int('limit', 1, 1000),
    before: text('before', 40),
  },
  unknownField('query'),
);
const LogQuerySchema = v.strictObject(
  {
    limit: int('limit', 1, 10_000),
    level: v.optional(v.picklist(LOG_LEVELS, `level: expected one of ${LOG_LEVELS.join(', ')}`)),
    search: text('search'),
  },
  unknownField('query'),
);
const topicList = v.pipe(
  v.array(
    v.picklist(TOPICS, `topics: unknown topic (known: ${TOPICS.join(', ')})`),
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
  ],
  `name: expected one of ${SNAPSHOTS.join(', ')}`,
);

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
    v.strictObject({ op: v.literal('subscribe'), topics: topicList, id }, unknownField('subscribe')),
    v.strictObject({ op: v.literal('unsubscribe'), topics: topicList, id }, unknownField('unsubscribe')),
  ],
  'op: expected execute, complete, snapshot, subscribe or unsubscribe',
);

export type ControlRequest = v.InferOutput<typeof ControlRequestSchema>;
export type PageQuery = v.InferOutput<typeof PageQuerySchema>;
export type CdrQuery = v.InferOutput<typeof CdrQuerySchema>;
export type LogQuery = v.InferOutput<typeof LogQuerySchema>;

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
  title?: string;
  columns: { name: string; type: 'string' | 'integer' | 'number' | 'time' | 'boolean' }[];
  rows: unknown[][];
  total?: number;
}

/** One statement's answer (core/mml/command.ts MmlResult). */
export interface MmlResultData {
  retcode: number;
  message: string;
  tables: MmlTableData[];
  restartNeeded?: boolean;
  command?: string;
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
  /** How late the event loop ran over the interval, ms (the server's own added delay). */
  eventLoop: { p50Ms: number; p99Ms: number; maxMs: number; meanMs: number };
}

export interface LogLineData {
  time: number;
  level: (typeof LOG_LEVELS)[number];
  source: string;
  text: string;
  line: string;
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
  options?: readonly string[];
  restart: boolean;
  env?: string;
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
  registrations: { bindings: BindingData[]; total: number; offset: number; limit: number; seq: number };
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
}

/** The auto dialer (core/dialer/dialer.ts DialerSnapshot, as plain data). */
export interface DialerSnapshotData {
  state: 'stopped' | 'starting' | 'running' | 'stopping';
  registered: boolean;
  account: string;
  rtpPortsInUse: number;
  campaigns: object[];
  totals: { placed: number; answered: number; failed: number };
  [more: string]: unknown;
}

/** What each op answers. */
export interface OpResults {
  execute: ExecuteResult;
  complete: string[];
  subscribe: Topic[];
  unsubscribe: Topic[];
}

// ── Events ───────────────────────────────────────────────────────────────────────────────────────────

export interface TopicEvents {
  log: LogLineData;
  registration: {
    type: 'bound' | 'refreshed' | 'expired' | 'removed';
    binding: BindingData;
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
  dialer: unknown;
}

/**
 * Events of one topic, in order: data[i] has the sequence number first + i. Sequence numbers count up
 * by one per event of a topic from the appliance's start; a gap (first > last seen + 1) means events
 * were skipped (a session held more than MAX_BATCH) and the view should load its snapshot again.
 */
export type ControlEventBatch<T extends Topic = Topic> = {
  [K in T]: { topic: K; first: number; data: TopicEvents[K][] };
}[T];
