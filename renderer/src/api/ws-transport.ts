// The browser transport: a WebSocket to /ws?token=… on the headless server. Requests carry ids and are
// answered by id; events arrive as batches ({topic, first, data}). When the socket drops, pending
// requests fail at once, and it reconnects with a growing back-off (0.5 s doubling to 10 s); the
// ControlClient re-subscribes. A refused upgrade whose token the server no longer knows ends the session,
// and so does the server closing the socket because the session ended (logged out elsewhere, expired).
// An open socket over which nothing comes is asked (a status snapshot) after PROBE_AFTER_MS; nothing
// for STALLED_AFTER_MS says stalled (a stopped or hung server keeps its sockets open), and the first
// word from it connected again.
import {
  SESSION_ENDED_CLOSE,
  type ControlEventBatch,
  type ControlResponse,
} from '../../../core/control/contract';
import { CONNECTION_LOST, NOT_CONNECTED, type ConnectionState, type Transport } from './transport';

/** The part of the browser's WebSocket this transport uses (tests give a fake). */
export interface SocketLike {
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(): void;
  readonly readyState: number;
}

export interface WsTransportOptions {
  url: string;
  createSocket?: (url: string) => SocketLike;
  /** Asked after a failed connection: is the session still valid? false ends it (onUnauthorized). */
  checkSession?: () => Promise<boolean>;
  onUnauthorized?: () => void;
  version?: () => Promise<string>;
  /** Failed attempts in a row after which the state says offline. */
  offlineAfter?: number;
}

const OPEN = 1;
/** Quiet this long, the server is asked something. */
export const PROBE_AFTER_MS = 4000;
/** Nothing heard for this long: stalled. */
export const STALLED_AFTER_MS = 10_000;
// At most 5 s: a restarted appliance (a setting that needs it) is found again within seconds.
export const BACKOFF_MS = [500, 1000, 2000, 3000, 5000];

export function wsTransport(options: WsTransportOptions): Transport {
  const create = options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
  const batchListeners = new Set<(b: ControlEventBatch) => void>();
  const stateListeners = new Set<(s: ConnectionState) => void>();
  const pending = new Map<number, { ok: (r: ControlResponse) => void; fail: (e: Error) => void }>();
  let nextId = 1;
  let socket: SocketLike | undefined;
  let state: ConnectionState = 'connecting';
  let failures = 0;
  let closed = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  /** When the open socket last brought anything, and whether a probe is waiting for its answer. */
  let heard = 0;
  let probing = false;
  let watch: ReturnType<typeof setInterval> | undefined;

  const setState = (s: ConnectionState): void => {
    if (s === state) return;
    state = s;
    for (const l of stateListeners) l(s);
  };

  const connect = (): void => {
    const ws = create(options.url);
    socket = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      failures = 0;
      heard = Date.now();
      probing = false;
      setState('connected');
      clearInterval(watch);
      watch = setInterval(() => {
        if (socket !== ws || ws.readyState !== OPEN) return;
        const quiet = Date.now() - heard;
        if (quiet >= STALLED_AFTER_MS) setState('stalled');
        if (quiet >= PROBE_AFTER_MS && !probing) {
          probing = true;
          ws.send(JSON.stringify({ op: 'snapshot', name: 'status', id: nextId++ }));
        }
      }, 1000);
    };
    ws.onmessage = (ev) => {
      heard = Date.now();
      probing = false;
      if (state === 'stalled') setState('connected');
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(String(ev.data)) as Record<string, unknown>;
      } catch {
        return;
      }
      if (typeof msg.topic === 'string') {
        for (const l of batchListeners) l(msg as unknown as ControlEventBatch);
        return;
      }
      const waiting = typeof msg.id === 'number' ? pending.get(msg.id) : undefined;
      if (waiting === undefined) return;
      pending.delete(msg.id as number);
      const { id: _id, ...response } = msg;
      waiting.ok(response as unknown as ControlResponse);
    };
    ws.onerror = () => undefined;
    ws.onclose = (ev) => {
      if (socket !== ws) return;
      socket = undefined;
      clearInterval(watch);
      for (const p of pending.values()) p.fail(new Error(CONNECTION_LOST));
      pending.clear();
      if (closed) return;
      if ((ev as { code?: unknown } | null)?.code === SESSION_ENDED_CLOSE) {
        closed = true;
        options.onUnauthorized?.();
        return;
      }
      failures++;
      setState(failures >= (options.offlineAfter ?? 3) ? 'offline' : 'reconnecting');
      const again = (): void => {
        const delay = BACKOFF_MS[Math.min(failures - 1, BACKOFF_MS.length - 1)]!;
        retry = setTimeout(() => {
          retry = undefined;
          if (!closed) connect();
        }, delay);
      };
      if (!opened && options.checkSession !== undefined) {
        // Refused before it opened: the server may be down, or the token expired or was revoked.
        options.checkSession().then(
          (valid) => {
            if (valid) again();
            else {
              closed = true;
              options.onUnauthorized?.();
            }
          },
          () => again(),
        );
      } else again();
    };
  };
  connect();

  return {
    kind: 'headless',
    get state() {
      return state;
    },
    get heardAt() {
      return heard === 0 ? null : heard;
    },
    request(req) {
      const ws = socket;
      if (ws === undefined || ws.readyState !== OPEN) return Promise.reject(new Error(NOT_CONNECTED));
      const id = nextId++;
      return new Promise<ControlResponse>((ok, fail) => {
        pending.set(id, { ok, fail });
        ws.send(JSON.stringify({ ...req, id }));
      });
    },
    onBatch(listener) {
      batchListeners.add(listener);
      return () => batchListeners.delete(listener);
    },
    onState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    version: options.version ?? (() => Promise.resolve('unknown')),
    close() {
      closed = true;
      if (retry !== undefined) clearTimeout(retry);
      clearInterval(watch);
      socket?.close();
    },
  };
}
