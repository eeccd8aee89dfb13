// The control contract served over an Appliance: one ControlSession per console connection (a
// WebSocket, or the Electron window). Requests run MML, read snapshots, and follow event topics; every
// change an operator makes goes through MML (DESIGN.md, One command language).
// Events reach the console in batches, one per topic at most every BATCH_INTERVAL_MS, each numbered
// (contract.ts ControlEventBatch) so that a view can load a snapshot and apply only what followed it.
import type { Appliance } from '../appliance';
import { renderTextsAsync } from '../mml/text';
import { StoreError } from '../store/types';
import { serverStatus } from '../observe/metrics';
import { serverTimeZone } from '../cdr/clock-fields';
import { SETTINGS } from '../config/settings';
import { allowedText } from '../config/allowed-text';
import { shownValue } from '../mml/mask';
import type { Binding } from '../sip/registrar/binding';
import type { LogRecord } from '../observe/logger';
import type { DialerEvent } from '../dialer/dialer';
import type { ChangeEvents } from '../change-events';
import { PromptError } from '../media/wav';
import { bindingMatches } from './binding-match';
import { zhText } from '../mml/zh';
import { matchCallId } from '../cdr/query';
import { fileSafe } from '../trace/sip-trace';
import { messageView } from '../trace/message-view';
import {
  BATCH_INTERVAL_MS,
  MAX_BATCH,
  validateRequest,
  type ControlEventBatch,
  type ControlRequest,
  type CdrQuery,
  type ControlResponse,
  type Lang,
  type LogLineData,
  type LogQuery,
  type PageQuery,
  type SnapshotResults,
  type Topic,
  type TraceQuery,
  type TopicEvents,
} from './contract';

/** Registrations per page when the console does not say. */
const DEFAULT_REGISTRATIONS_PAGE = 500;

/** Trace dialogs per page when the console does not say. */
const DEFAULT_TRACE_PAGE = 200;

/** The status (/healthz, the status snapshot): DSP SRVSTAT's, plus the SIP bind address and users. */
export function applianceStatus(a: Appliance) {
  return {
    ...serverStatus(a),
    node: process.version,
    sip: { host: a.settings.str('SIP.HOST'), udpPort: a.transport.udpPort, tcpPort: a.transport.tcpPort },
    users: a.users.count(),
    registrations: a.location.bindingCount,
    timeZone: serverTimeZone(),
    dataDir: a.dataDir,
    serverTime: Date.now(),
  };
}

/**
 * The status as /healthz gives it to anyone (no login): without the process id and the data folder's
 * path, which no probe needs and which told an unauthenticated caller where the data lives (the console's
 * status snapshot, behind the login, keeps them). The counts stay: /metrics has them for Prometheus too.
 */
export function probeStatus(a: Appliance) {
  const { pid: _pid, dataDir: _dataDir, ...rest } = applianceStatus(a);
  return rest;
}

/** Events of one topic waiting for the next batch. */
interface Pending {
  first: number;
  data: unknown[];
}

export class ControlSession {
  private readonly subscriptions = new Map<Topic, () => void>();
  private readonly pending = new Map<Topic, Pending>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly appliance: Appliance,
    /** Who is at this console (recorded in the MML history). */
    readonly who: string,
    /** Delivers a batch of events of one topic to the console. */
    private readonly deliver: (batch: ControlEventBatch) => void,
  ) {}

  /** Validates and answers one request; never throws. */
  async handle(raw: unknown): Promise<ControlResponse> {
    const checked = validateRequest(raw);
    if ('error' in checked) return { ok: false, error: checked.error };
    try {
      return { ok: true, result: await this.run(checked.value) };
    } catch (err) {
      const expected = err instanceof StoreError || err instanceof PromptError;
      const message = expected ? (err as Error).message : `internal error: ${String(err)}`;
      if (!expected) this.appliance.logger.for('control').error(message);
      return { ok: false, error: message };
    }
  }

  /** Ends every subscription (the console went away); pending events are dropped. */
  close(): void {
    for (const off of this.subscriptions.values()) off();
    this.subscriptions.clear();
    this.pending.clear();
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
  }

  private async run(req: ControlRequest): Promise<unknown> {
    const a = this.appliance;
    switch (req.op) {
      case 'execute': {
        const results = await a.mml.execute(req.mml, this.who, { lang: req.lang, firstLine: req.firstLine });
        // Rendered across turns of the event loop: a listing of 20,000 users is 1.9 MB of text.
        return { results, text: await renderTextsAsync(results) };
      }
      case 'complete':
        return a.mml.complete(req.text);
      case 'snapshot':
        return this.snapshot(req);
      case 'upload': {
        const saved = savedPrompt(
          () => a.dialer.savePrompt(req.name, Buffer.from(req.data, 'base64')),
          req.lang,
        );
        a.logger.for('control').info(`${this.who} uploaded the prompt ${saved.file} (${saved.source})`);
        return saved;
      }
      case 'subscribe':
        for (const t of req.topics) if (!this.subscriptions.has(t)) this.subscriptions.set(t, this.follow(t));
        return [...this.subscriptions.keys()];
      case 'unsubscribe':
        for (const t of req.topics) {
          this.subscriptions.get(t)?.();
          this.subscriptions.delete(t);
          this.pending.delete(t);
        }
        return [...this.subscriptions.keys()];
    }
  }

  private snapshot(
    req: Extract<ControlRequest, { op: 'snapshot' }>,
  ): SnapshotResults[typeof req.name] | Promise<SnapshotResults[typeof req.name]> {
    const a = this.appliance;
    const seq = (t: Topic): number => a.events.seq(t);
    switch (req.name) {
      case 'status':
        return applianceStatus(a);
      case 'users':
        return a.users.list(req.query ?? {});
      case 'registrations':
        return { ...registrationsPage(a, req.query ?? {}), seq: seq('registration') };
      case 'calls':
        return { calls: a.calls.list().map((c) => onCallClock(a, c)), seq: seq('call') };
      case 'cdr':
        return cdrPage(a, req.query ?? {}) as unknown as Promise<SnapshotResults['cdr']>; // CdrRecord has no index signature
      case 'perf':
        return { samples: a.perf.history(600), seq: seq('perf') };
      case 'config':
        return {
          settings: SETTINGS.map((d) => ({
            ...d,
            // A password stays on the server: the console shows it masked (SET CFG still changes it), an
            // empty one empty (none set). Its default is shown, as DSP CFG does: no secret
            // (DIALER.PASSWORD's is the original's 0000).
            value: shownValue(d, a.settings.get(d.key)),
            source: a.settings.source(d.key),
            allowed: allowedText(d),
          })),
          unsaved: a.settings.unsaved(),
          pendingRestart: a.settings.pendingRestart(),
        };
      case 'dialer':
        return { ...a.dialer.snapshot(), seq: seq('dialer') };
      case 'log':
        return { ...logLines(a, req.query ?? {}), seq: seq('log') };
      case 'history':
        return { entries: a.mmlHistory.recent(req.query?.limit ?? 200, req.query?.who), seq: seq('mml') };
      case 'trace':
        return { ...traceDialogs(a, req.query ?? {}), seq: seq('trace'), state: a.trace.keeping };
      case 'traceMessages':
        return {
          callId: req.query.callId,
          messages: a.trace.messages(req.query.callId).map(messageView),
        };
      case 'traceExport': {
        const format = req.query.format ?? 'PCAP';
        // As EXP TRACE: nothing held is an error, not an empty file offered for download.
        if (a.trace.messages(req.query.callId).length === 0)
          throw new StoreError('not-found', `No message of Call-ID ${req.query.callId} is held`);
        const { data, messages } = a.trace.exported(req.query.callId, format);
        return {
          file: `trace_${fileSafe(req.query.callId)}.${format === 'PCAP' ? 'pcap' : 'txt'}`,
          format,
          messages,
          base64: data.toString('base64'),
        };
      }
    }
  }

  private follow(topic: Topic): () => void {
    return this.appliance.events.on(topic, (data, seq) =>
      this.queue(topic, wire(this.appliance, topic, data), seq),
    );
  }

  private queue(topic: Topic, data: unknown, seq: number): void {
    let p = this.pending.get(topic);
    if (p === undefined) this.pending.set(topic, (p = { first: seq, data: [] }));
    p.data.push(data);
    if (p.data.length > MAX_BATCH) {
      // More than a console can use: skip the oldest; the gap in the numbers tells the view to reload.
      const skip = p.data.length - MAX_BATCH;
      p.data.splice(0, skip);
      p.first += skip;
    }
    this.flushTimer ??= setTimeout(() => this.flush(), BATCH_INTERVAL_MS);
  }

  private flush(): void {
    this.flushTimer = undefined;
    const batches = [...this.pending.entries()];
    this.pending.clear();
    for (const [topic, p] of batches) {
      this.deliver({ topic, first: p.first, data: p.data } as ControlEventBatch);
    }
  }
}

/** The change topics' events go out as they are: the contract's types must take the appliance's. */
type Agrees<Ours extends Theirs, Theirs> = Ours;
export type ChangeEventsOnWire = Agrees<ChangeEvents, { [K in keyof ChangeEvents]: TopicEvents[K] }>;

/** A dialer event is already plain data; typed here so the contract and the dialer agree. */
function dialerWire(e: DialerEvent): TopicEvents['dialer'] {
  return e;
}

/** A log record as it goes on the wire: its text once, without the file's line (the renderer makes it). */
function logLineData({ time, level, source, text }: LogRecord): LogLineData {
  return { time, level, source, text };
}

/** An event as it goes on the wire: bindings are copied (the location service refreshes them in place). */
function wire(a: Appliance, topic: Topic, data: unknown): unknown {
  if (topic === 'log') return logLineData(data as LogRecord);
  if (topic === 'dialer') return dialerWire(data as DialerEvent);
  if (topic === 'call') {
    const e = data as TopicEvents['call'];
    return { ...e, call: onCallClock(a, e.call) };
  }
  if (topic === 'registration') {
    const e = data as TopicEvents['registration'];
    return { ...e, binding: { ...e.binding }, previous: e.previous && { ...e.previous } };
  }
  return data;
}

/** A live call with its own clock's now (CallData.clockAt), read as it is sent. */
function onCallClock<C extends { id: string }>(a: Appliance, call: C): C & { clockAt?: number } {
  const clockAt = a.calls.nowIn(call.id);
  return clockAt === undefined ? call : { ...call, clockAt };
}

function registrationsPage(a: Appliance, q: PageQuery) {
  const offset = q.offset ?? 0;
  const limit = q.limit ?? DEFAULT_REGISTRATIONS_PAGE;
  const search = q.search ?? '';
  const bindings: Binding[] = [];
  let total = 0;
  let all = 0;
  for (const [, list] of a.location.entries()) {
    for (const b of list) {
      all++;
      if (!bindingMatches(b, search)) continue;
      if (total >= offset && bindings.length < limit) bindings.push({ ...b });
      total++;
    }
  }
  return { bindings, total, all, offset, limit };
}

/** The CDR view's page: its Call-ID filter as DSP CDR CALLID= and EXP CDR CALLID= take it (matchCallId). */
async function cdrPage(a: Appliance, q: CdrQuery) {
  return a.cdr.page(await matchCallId(q, async (f) => (await a.cdr.page({ ...f, limit: 1 })).total));
}

function traceDialogs(a: Appliance, q: TraceQuery) {
  const offset = q.offset ?? 0;
  const limit = q.limit ?? DEFAULT_TRACE_PAGE;
  const { offset: _o, limit: _l, ...filter } = q;
  const { dialogs, total } = a.trace.dialogs(filter, offset + limit);
  return { dialogs: dialogs.slice(offset), total, offset, limit };
}

function logLines(a: Appliance, q: LogQuery) {
  const lines = a.logger.recent(q.limit ?? 1000, {
    ...(q.level !== undefined ? { level: q.level } : {}),
    ...(q.search !== undefined ? { keyword: q.search } : {}),
  });
  return { lines: lines.map(logLineData), level: a.logger.level };
}

/** An upload's save; a file that is no prompt is said in the console's language (the file's name kept). */
function savedPrompt<T>(save: () => T, lang: Lang | undefined): T {
  try {
    return save();
  } catch (err) {
    if (!(err instanceof PromptError) || lang !== 'zh') throw err;
    const why = err.message.slice(err.file.length + 2);
    throw new PromptError(err.file, zhText(why), err.missing, err.outside);
  }
}
