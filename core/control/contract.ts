// The control contract (DESIGN.md, One control contract, two transports): the requests a console may
// make, what they answer, and the event topics it may follow. The Electron IPC adapter and the
// WebSocket server both pass what arrives through validateRequest() first: a malformed request gets an
// error naming what is wrong, never an exception in the appliance.

export const TOPICS = ['log', 'registration', 'call', 'message', 'perf', 'mml', 'dialer'] as const;
export type Topic = (typeof TOPICS)[number];

export const SNAPSHOTS = [
  'status',
  'users',
  'registrations',
  'calls',
  'cdr',
  'perf',
  'config',
  'dialer',
] as const;
export type SnapshotName = (typeof SNAPSHOTS)[number];

export interface PageQuery {
  offset?: number;
  limit?: number;
  search?: string;
}

export interface CdrQuery {
  date?: string;
  type?: string;
  caller?: string;
  callee?: string;
  limit?: number;
  before?: string;
}

export type ControlRequest =
  | { op: 'execute'; mml: string }
  | { op: 'complete'; text: string }
  | { op: 'snapshot'; name: Exclude<SnapshotName, 'users' | 'cdr'> }
  | { op: 'snapshot'; name: 'users'; query?: PageQuery }
  | { op: 'snapshot'; name: 'cdr'; query?: CdrQuery }
  | { op: 'subscribe'; topics: Topic[] }
  | { op: 'unsubscribe'; topics: Topic[] };

export type ControlResponse = { ok: true; result: unknown } | { ok: false; error: string };

/** An event on a topic, as a console receives it. */
export interface ControlEvent {
  topic: Topic;
  data: unknown;
}

/** Longest MML script a console may send in one request. */
export const MAX_SCRIPT = 256 * 1024;

type Check<T> = { value: T } | { error: string };

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

function optionalInt(q: Record<string, unknown>, key: string, min: number, max: number): string | undefined {
  const v = q[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    return `${key}: expected an integer ${min}..${max}`;
  return undefined;
}

function optionalString(q: Record<string, unknown>, key: string, max = 200): string | undefined {
  const v = q[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.length > max)
    return `${key}: expected a string of at most ${max} characters`;
  return undefined;
}

function onlyKeys(o: Record<string, unknown>, allowed: readonly string[], where: string): string | undefined {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) return `${where}: unknown field "${k}" (allowed: ${allowed.join(', ')})`;
  }
  return undefined;
}

function checkQuery(name: 'users' | 'cdr', q: unknown): string | undefined {
  if (q === undefined) return undefined;
  if (!isRecord(q)) return 'query: expected an object';
  if (name === 'users') {
    return (
      onlyKeys(q, ['offset', 'limit', 'search'], 'query') ??
      optionalInt(q, 'offset', 0, 10_000_000) ??
      optionalInt(q, 'limit', 1, 1000) ??
      optionalString(q, 'search')
    );
  }
  return (
    onlyKeys(q, ['date', 'type', 'caller', 'callee', 'limit', 'before'], 'query') ??
    optionalString(q, 'date', 10) ??
    optionalString(q, 'type', 20) ??
    optionalString(q, 'caller') ??
    optionalString(q, 'callee') ??
    optionalInt(q, 'limit', 1, 1000) ??
    optionalString(q, 'before', 40)
  );
}

function checkTopics(t: unknown): string | undefined {
  if (!Array.isArray(t) || t.length === 0) return `topics: expected a non-empty list of ${TOPICS.join(', ')}`;
  for (const x of t) {
    if (typeof x !== 'string' || !(TOPICS as readonly string[]).includes(x))
      return `topics: unknown topic ${JSON.stringify(x)} (known: ${TOPICS.join(', ')})`;
  }
  return undefined;
}

/** Checks a request from outside (IPC or WebSocket). */
export function validateRequest(x: unknown): Check<ControlRequest> {
  if (!isRecord(x)) return { error: 'request: expected a JSON object with an "op" field' };
  const fail = (error: string): Check<ControlRequest> => ({ error });
  switch (x.op) {
    case 'execute': {
      const problem = onlyKeys(x, ['op', 'mml', 'id'], 'execute');
      if (problem) return fail(problem);
      if (typeof x.mml !== 'string') return fail('mml: expected the command text as a string');
      if (x.mml.length > MAX_SCRIPT) return fail(`mml: longer than ${MAX_SCRIPT} characters`);
      return { value: { op: 'execute', mml: x.mml } };
    }
    case 'complete': {
      const problem = onlyKeys(x, ['op', 'text', 'id'], 'complete');
      if (problem) return fail(problem);
      if (typeof x.text !== 'string' || x.text.length > 1000)
        return fail('text: expected a string of at most 1000 characters');
      return { value: { op: 'complete', text: x.text } };
    }
    case 'snapshot': {
      const problem = onlyKeys(x, ['op', 'name', 'query', 'id'], 'snapshot');
      if (problem) return fail(problem);
      if (typeof x.name !== 'string' || !(SNAPSHOTS as readonly string[]).includes(x.name))
        return fail(`name: expected one of ${SNAPSHOTS.join(', ')}`);
      const name = x.name as SnapshotName;
      if (name === 'users' || name === 'cdr') {
        const q = checkQuery(name, x.query);
        if (q) return fail(q);
        return { value: { op: 'snapshot', name, query: x.query as PageQuery & CdrQuery } };
      }
      if (x.query !== undefined) return fail(`query: the ${name} snapshot takes none`);
      return { value: { op: 'snapshot', name } };
    }
    case 'subscribe':
    case 'unsubscribe': {
      const problem = onlyKeys(x, ['op', 'topics', 'id'], String(x.op)) ?? checkTopics(x.topics);
      if (problem) return fail(problem);
      return { value: { op: x.op, topics: x.topics as Topic[] } };
    }
    default:
      return fail(
        `op: expected execute, complete, snapshot, subscribe or unsubscribe, got ${JSON.stringify(x.op)}`,
      );
  }
}
