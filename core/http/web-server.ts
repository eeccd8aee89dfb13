// The headless console server: the built renderer over HTTP, the control contract over a WebSocket
// (/ws), and the endpoints scripts and monitoring use:
//   POST /api/login   {"password"} -> {"token", "expiresAt"} (429 with Retry-After while locked out)
//   POST /api/logout  (Bearer token)
//   POST /api/session (Bearer token) -> {"who"}: is this token still valid (the console asks after a refused /ws)
//   POST /api/password {"current", "password"} (Bearer token) -> {"ok", "sessionsEnded", "configured"}: a new
//        admin password; the current one checked as a login's (401, 429), every other session ended
//   POST /api/mml     {"mml", "lang"?} with "Authorization: Bearer <token>" -> {"results", "text"}
//   POST /api/execute {"command", "lang"?} and GET /api/command_tree: the original's API (deprecated;
//        original-compat.ts), behind the same login
//   GET  /api/export/<file> (Bearer token) -> a CSV that EXP CDR wrote to CDR/exports/ (the console's download)
//   GET  /api/trace-export/<file> (Bearer token) -> a pcap or text file EXP TRACE wrote to trace/exports/
//   GET  /api/data-export/<file> (Bearer token) -> a JSON file EXP USER or EXP CFG wrote to exports/
//   PUT  /api/import/<name> (Bearer token), the file as the body -> 201 {"file": "imports/<name>"}: a
//        .json or .csv for IMP USER:FILE=, kept in the data folder's imports/ (at most 64 MB)
//   GET  /healthz     JSON status, no login (for probes)
//   GET  /metrics     Prometheus text, no login (for scrapers)
// Each GET answers HEAD too; another method than a path's gets 405 with Allow, a path that is no API 404.
// The WebSocket needs a token too (?token=...); an unauthenticated upgrade is refused with 401 and a JSON
// {"error"} saying why (another path than /ws 404, another site 403), and an
// open one is closed (SESSION_ENDED_CLOSE) when its session is logged out or expires.
import { existsSync } from 'node:fs';
import {
  createServer,
  STATUS_CODES,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { extname, join, normalize, relative, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Appliance } from '../appliance';
import { SESSION_ENDED_CLOSE, type ControlResponse, type ExecuteResult } from '../control/contract';
import type { Log } from '../observe/log';
import { ControlSession, probeStatus } from '../control/control';
import { MIN_PASSWORD_LENGTH, passwordProblem, type AdminAuth, type Refusal } from './admin-auth';
import { commandTree, executeAnswer } from './original-compat';
import { downloadRoutes, IMPORT_ROUTE, receiveImport, sendDownload, type DownloadRoute } from './data-files';
import { BodyTooLarge, readBody, UnsupportedEncoding } from './request-body';
import { consoleHostAllowed, hostOf } from './console-host';
import { openFile, sendOpened } from './send-file';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wav': 'audio/wav',
};

/**
 * Largest JSON body of the API once logged in, and largest WebSocket message: room for the longest script
 * the contract takes (MAX_SCRIPT characters) whatever its characters are, 6 bytes each as JSON's \uXXXX
 * (Python's json.dumps writes them so), so that a script too long is answered by the contract's own
 * "mml: longer than 262144 characters". At 512 KB, a script of Chinese names under that length got 413
 * over HTTP and had its WebSocket closed (1009), which the console could only call "connection lost".
 */
export const MAX_BODY = 2 * 1024 * 1024;

/** Largest body of POST /api/login (a password has at most 1,024 characters): read before any login. */
const MAX_LOGIN_BODY = 64 * 1024;

/** A login told to come back later (Retry-After): the place is locked out, or too many wait for a check. */
const LOGIN_WAIT = {
  429: 'too many failed logins; wait',
  503: 'too many logins waiting to be checked; try again',
} as const;

/** A password refused (a login, or the current one of a change): 401 `wrong`, else wait (Retry-After). */
function refuse(res: ServerResponse, outcome: Refusal, wrong: string): void {
  if (outcome.status === 401) json(res, 401, { error: wrong });
  else
    json(
      res,
      outcome.status,
      { error: LOGIN_WAIT[outcome.status] },
      { 'retry-after': String(outcome.retryAfter) },
    );
}

/** The API's POST endpoints. */
const POST_APIS = new Set([
  '/api/login',
  '/api/logout',
  '/api/session',
  '/api/password',
  '/api/mml',
  '/api/execute',
]);

/** What a path that is read answers: GET, and HEAD as GET without the body (RFC 9110 §9.3.2). */
const READ = 'GET, HEAD';

/**
 * The methods an API path takes (another gets 405 with them in Allow, RFC 9110 §15.5.6), or undefined
 * where there is no API (404).
 */
function apiMethods(path: string, downloads: readonly DownloadRoute[]): string | undefined {
  if (path === '/api/command_tree' || downloads.some((r) => path.startsWith(r.prefix))) return READ;
  if (path.startsWith(IMPORT_ROUTE)) return 'PUT';
  if (POST_APIS.has(path)) return 'POST';
  return undefined;
}

/**
 * How often the open consoles' sessions are checked while any is open: one whose session has expired
 * (12 h after its login) is closed within this, as a logout closes it, even when it only watches.
 */
export const SESSION_SWEEP_MS = 1000;

/**
 * How long stop() gives the open consoles to answer its close frame before their sockets are cut. ws
 * waits 30 s for that answer, and one console that never gives it (its socket paused, its browser
 * stopped) held the server's close, the appliance's clean stop behind it, past the 5 s failsafe.
 */
export const STOP_GRACE_MS = 500;

/**
 * How long stop() lets the requests being answered finish before their connections are cut: a script
 * from `mml` stops taking lines once the appliance stops (engine.ts) and answers those that ran, so that
 * the client knows where to resume (they were cut at once, the lines run then unanswered).
 */
export const ANSWER_GRACE_MS = 2000;

/**
 * How often each open console is pinged (RFC 6455 §5.5.2); one that has not answered (pong) by the next
 * ping is cut: a console whose machine went away keeps no socket, session and subscriptions for ever.
 */
export const HEARTBEAT_MS = 30_000;

/**
 * Bytes queued on a console's WebSocket behind the message being written out to it beyond which event
 * batches are skipped, and beyond which an answer is not queued: the console is closed (UNREAD_CLOSE). One that sent requests and never read the
 * answers grew the server's memory without bound.
 */
export const MAX_BUFFERED = 8 * 1024 * 1024;

/** The close code of a console that does not read its answers (RFC 6455 §7.4.1: policy violation). */
export const UNREAD_CLOSE = 1008;

/**
 * Requests of one console run at once; those read beyond wait their turn, and the console's socket is not
 * read meanwhile (TCP holds the rest back): a console that sends without waiting for its answers queues
 * no more than that in the server.
 */
export const MAX_IN_FLIGHT = 32;

export interface WebServerOptions {
  host: string;
  port: number;
  /** The built renderer (out/renderer); a missing folder serves a one-line hint instead. */
  rendererDir: string;
  /** Renders GET /metrics. */
  metrics: () => string;
  /** How often consoles are pinged: HEARTBEAT_MS (tests that move the clock hours at once lengthen it). */
  heartbeatMs?: number;
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(data);
}

/**
 * On every answer. The console's own CSP is in its index.html, but a <meta> policy cannot say who may
 * frame the page (CSP3 §6.1: frame-ancestors is ignored there): another site framing the console could
 * steer clicks onto "Remove all" or "End all calls", so no one may frame it. And no MIME sniffing, and
 * no Referer carrying console URLs to anywhere else.
 */
const SECURITY_HEADERS: readonly [string, string][] = [
  ['content-security-policy', "frame-ancestors 'none'"],
  ['x-frame-options', 'DENY'],
  ['x-content-type-options', 'nosniff'],
  ['referrer-policy', 'no-referrer'],
];

/** The 403 for a POST or PUT from another site's page (sameOrigin). */
const CROSS_SITE = 'a request from another site (Origin) is refused';

/** The token of "Authorization: Bearer <token>"; the scheme in any case (RFC 9110 §11.1, RFC 6750 §2.1). */
function bearer(req: IncomingMessage): string | undefined {
  const token = /^bearer +(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
  return token === '' ? undefined : token;
}

/** The 401 of an API called without a session. */
const LOG_IN_FIRST = 'log in first: POST /api/login, then send Authorization: Bearer <token>';

/** The 401s of a WebSocket upgrade, without a token and with one that opens no session. */
const WS_NO_TOKEN = 'log in first: POST /api/login, then open /ws?token=<token>';
const WS_BAD_TOKEN =
  'token not valid (expired, logged out, or from before a new admin password): log in again with POST /api/login';

/**
 * Refuses a WebSocket upgrade with an HTTP answer whose JSON body says why, as the API's other errors do
 * (a client saw only "Unexpected server response: 401").
 */
function refuseUpgrade(socket: Duplex, status: 401 | 403 | 404, error: string): void {
  const body = JSON.stringify({ error });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * Strict UTF-8; a byte order mark that starts the body is dropped (RFC 8259 §8.1: a parser may ignore it;
 * PowerShell 5's Out-File and -InFile write one, and the body was refused "not valid JSON"). A second one,
 * or one further in, stays text that JSON.parse refuses.
 */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A request's JSON body as a record of fields (a body that is no object has none), or undefined once
 * answered 400 (not UTF-8, not JSON) or 413 (too large).
 */
async function jsonBody(
  req: IncomingMessage,
  res: ServerResponse,
  limit = MAX_BODY,
): Promise<Record<string, unknown> | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readBody(req, limit);
  } catch (err) {
    if (err instanceof BodyTooLarge) json(res, 413, { error: err.message }, { connection: 'close' });
    else if (err instanceof UnsupportedEncoding)
      json(res, 415, { error: err.message }, { 'accept-encoding': 'identity' });
    else json(res, 400, { error: (err as Error).message });
    return undefined;
  }
  // RFC 8259 §8.1: JSON exchanged between systems is UTF-8. Bytes that are not (a GBK or Latin-1 console's
  // 张三 or café) are refused, not turned into U+FFFD and stored so (the mml client and IMP USER refuse
  // such files too).
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    json(res, 400, { error: 'body is not UTF-8 text' });
    return undefined;
  }
  let body: unknown;
  try {
    body = JSON.parse(text || 'null');
  } catch {
    json(res, 400, { error: 'body is not valid JSON' });
    return undefined;
  }
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
}

/**
 * Why a browser request does not come from the console's own page, or undefined when it does: no Origin
 * (curl, scripts, the mml client), or an Origin naming the host it was sent to, by a name that can only
 * be this appliance's (console-host.ts). Cross-site POSTs and WebSocket upgrades are refused (a
 * cookie-less API is safe from CSRF once logged in, but /api/login and the login lockout are not; a
 * WebSocket is not covered by the same-origin policy at all).
 */
function crossSite(req: IncomingMessage, allowedHosts: readonly string[]): string | undefined {
  const origin = req.headers.origin;
  if (origin === undefined) return undefined;
  let host: string | undefined;
  try {
    host = new URL(origin).host;
  } catch {
    // "null" (a sandboxed frame, a file:// page) or garbage
  }
  if (host === undefined || host !== req.headers.host) return CROSS_SITE;
  if (consoleHostAllowed(host, allowedHosts)) return undefined;
  const name = hostOf(host);
  return `the console was reached by the name ${name}, which is not known to be this appliance's (a web page elsewhere could point it here): use its IP address, or add ${name} to HTTP.ALLOWED_HOSTS`;
}

/** A URL path decoded, or undefined when its percent-encoding is malformed (%E0%A4%A): a 400, not a 500. */
function decodedPath(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

export class WebServer {
  private readonly server: Server;
  private readonly wss: WebSocketServer;
  /** Open consoles, each with the session token it logged in with. */
  private readonly sockets = new Map<WebSocket, string>();
  /** The HTTP requests not answered yet; stop() waits for them (ANSWER_GRACE_MS). */
  private readonly answering = new Set<ServerResponse>();
  private allAnswered: (() => void) | undefined;
  private stopping = false;
  /** Checks the open consoles' sessions (SESSION_SWEEP_MS) while there are any. */
  private sweep: NodeJS.Timeout | undefined;
  /** Pings the open consoles (HEARTBEAT_MS) while there are any. */
  private heartbeat: NodeJS.Timeout | undefined;
  /** The consoles pinged whose pong has not come yet. */
  private readonly unanswered = new Set<WebSocket>();
  /** The log has said once that the admin password is shorter than IMS Lab now asks. */
  private toldTooShort = false;
  port = 0;

  constructor(
    private readonly appliance: Appliance,
    private readonly auth: AdminAuth,
    private readonly options: WebServerOptions,
    private readonly log: Log,
  ) {
    this.server = createServer((req, res) => {
      this.answering.add(res);
      res.on('close', () => {
        this.answering.delete(res);
        if (this.answering.size === 0) this.allAnswered?.();
      });
      if (this.stopping) res.setHeader('connection', 'close');
      this.route(req, res).catch((err: unknown) => {
        this.log.error(`HTTP ${req.method} ${req.url}: ${String(err)}`);
        if (!res.headersSent) json(res, 500, { error: 'internal error' });
        else res.end();
      });
    });
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY });
    this.server.on('upgrade', (req, socket, head) => {
      // The socket is ours from here, its errors too: a client that resets the connection under the
      // answer (ECONNRESET, EPIPE) ends that connection only. Unheard, one stopped the process.
      socket.on('error', () => socket.destroy());
      const refused = crossSite(req, this.allowedHosts());
      if (refused !== undefined) {
        refuseUpgrade(socket, 403, refused);
        return;
      }
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname !== '/ws') {
        refuseUpgrade(socket, 404, `no WebSocket at ${url.pathname}: the console's is /ws?token=<token>`);
        return;
      }
      const token = url.searchParams.get('token') ?? undefined;
      const who = this.auth.session(token);
      if (who === undefined) {
        refuseUpgrade(socket, 401, token === undefined ? WS_NO_TOKEN : WS_BAD_TOKEN);
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.console(ws, who, token!));
    });
  }

  async start(): Promise<number> {
    await new Promise<void>((ok, fail) => {
      this.server.once('error', fail);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', fail);
        ok();
      });
    });
    // Once listening, an error of the server (EMFILE on accept, say) is logged: with no listener an
    // 'error' event would end the process, SIP and all.
    this.server.on('error', (err) => this.log.error(`console server: ${String(err)}`));
    this.port = (this.server.address() as AddressInfo).port;
    return this.port;
  }

  async stop(): Promise<void> {
    this.stopTimers();
    const open = [...this.sockets.keys()];
    for (const ws of open) ws.close(1001, 'server stopping');
    this.wss.close();
    this.stopping = true;
    const closed = new Promise<void>((ok) => this.server.close(() => ok()));
    this.server.closeIdleConnections();
    // The server's close waits for every upgraded socket: those whose console has not answered by now
    // are cut.
    const cut = setTimeout(() => {
      for (const ws of open) ws.terminate();
    }, STOP_GRACE_MS);
    await this.answersOut();
    this.server.closeAllConnections();
    await closed;
    clearTimeout(cut);
  }

  /** Resolves once no HTTP request waits for its answer, or after ANSWER_GRACE_MS. */
  private answersOut(): Promise<void> {
    if (this.answering.size === 0) return Promise.resolve();
    return new Promise((ok) => {
      const timer = setTimeout(ok, ANSWER_GRACE_MS);
      this.allAnswered = () => {
        clearTimeout(timer);
        ok();
      };
    });
  }

  private stopTimers(): void {
    clearInterval(this.sweep);
    this.sweep = undefined;
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  /** Cuts each console that has not answered the last ping, and pings the others. */
  private ping(): void {
    for (const ws of this.sockets.keys()) {
      // Not read while MAX_IN_FLIGHT of its requests run: its pong may be there, unread. Pinged afresh
      // once it is read again.
      if (ws.isPaused) {
        this.unanswered.delete(ws);
        continue;
      }
      if (this.unanswered.has(ws)) {
        ws.terminate();
        continue;
      }
      this.unanswered.add(ws);
      ws.ping();
    }
  }

  /** HTTP.ALLOWED_HOSTS now (SET CFG changes it without a restart). */
  private allowedHosts(): readonly string[] {
    return this.appliance.settings.list('HTTP.ALLOWED_HOSTS');
  }

  /** One console over a WebSocket: {id, op, ...} in, {id, ok, result|error} and {topic, data} out. */
  private console(ws: WebSocket, who: string, token: string): void {
    this.sockets.set(ws, token);
    // A console that only watches (Logs, Registrations, Calls) sends nothing that would find its session
    // expired: the sweep ends it on time.
    this.sweep ??= setInterval(() => this.closeExpired(), SESSION_SWEEP_MS).unref();
    this.heartbeat ??= setInterval(() => this.ping(), this.options.heartbeatMs ?? HEARTBEAT_MS).unref();
    ws.on('pong', () => this.unanswered.delete(ws));
    /** The size of each message handed to the socket and not yet written out to it, oldest first. */
    const unwritten: number[] = [];
    const send = (text: string): void => {
      unwritten.push(Buffer.byteLength(text));
      ws.send(text, () => unwritten.shift());
    };
    /**
     * Bytes waiting behind the message being written out (the oldest not yet written): what a console that
     * does not read piles up. The one being written is left out: a console reading a 15 MB answer (DSP USER
     * ALL) was closed as not reading when a second answer came meanwhile.
     */
    const behind = (): number => ws.bufferedAmount - (unwritten[0] ?? 0);
    const session = new ControlSession(this.appliance, who, (batch) => {
      // A console that does not read (a frozen tab) is not sent more than MAX_BUFFERED: its batches are
      // skipped, and the gap in the sequence numbers makes its views reload their snapshots.
      if (ws.readyState === ws.OPEN && behind() < MAX_BUFFERED) send(JSON.stringify(batch));
    });
    /** An answer, queued only behind answers the console reads (else it is closed: UNREAD_CLOSE). */
    const answer = (msg: object): void => {
      if (ws.readyState !== ws.OPEN) return;
      // Checked before, not after: one large answer (a trace export) still goes to a console that reads.
      if (behind() > MAX_BUFFERED) {
        ws.close(UNREAD_CLOSE, `answers not read: more than ${MAX_BUFFERED / 1024 / 1024} MB waiting`);
        return;
      }
      send(JSON.stringify(msg));
    };
    let running = 0;
    /** Requests read while MAX_IN_FLIGHT ran (the socket paused: only what it had read already). */
    const waiting: unknown[] = [];
    const run = (msg: unknown): void => {
      running++;
      const id = typeof msg === 'object' && msg !== null ? (msg as { id?: unknown }).id : undefined;
      void session.handle(msg).then((response) => {
        running--;
        answer({ id, ...response });
        if (ws.readyState !== ws.OPEN) {
          waiting.length = 0; // closed meanwhile: the rest is not run
          return;
        }
        const next = waiting.shift();
        if (next !== undefined) run(next);
        else if (ws.isPaused) ws.resume();
      });
    };
    ws.on('message', (data) => {
      if (ws.readyState !== ws.OPEN) return; // closing (the server stopping, the session ended): not served
      if (this.auth.session(token) === undefined) {
        ws.close(SESSION_ENDED_CLOSE, 'session ended: log in again'); // expired since the console connected
        return;
      }
      let msg: unknown;
      try {
        msg = JSON.parse(String(data));
      } catch {
        answer({ ok: false, error: 'request: not valid JSON' });
        return;
      }
      if (running < MAX_IN_FLIGHT) run(msg);
      else {
        waiting.push(msg);
        ws.pause();
      }
    });
    ws.on('close', () => {
      session.close();
      this.sockets.delete(ws);
      this.unanswered.delete(ws);
      if (this.sockets.size === 0) this.stopTimers();
    });
    ws.on('error', () => ws.terminate());
  }

  /** Closes each console whose session has expired; it returns to the login page, told why (the close code). */
  private closeExpired(): void {
    for (const [ws, token] of this.sockets) {
      if (ws.readyState === ws.OPEN && this.auth.session(token) === undefined)
        ws.close(SESSION_ENDED_CLOSE, 'session expired: log in again');
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value);
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    // HEAD answers as GET does, without the body (RFC 9110 §9.3.2; Node's response sends none): a probe
    // that uses HEAD sees the same 503, and /metrics is not the console's page.
    const get = method === 'GET' || method === 'HEAD';
    if (path === '/healthz' && get) {
      // 503 when the appliance cannot keep what it records, or is short of file descriptors or heap (a
      // probe, Docker's HEALTHCHECK, should see it).
      const problem = this.appliance.healthProblem();
      if (problem === undefined) json(res, 200, { status: 'ok', ...probeStatus(this.appliance) });
      else json(res, 503, { status: 'degraded', problem, ...probeStatus(this.appliance) });
      return;
    }
    if (path === '/metrics' && get) {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(this.options.metrics());
      return;
    }
    if (path.startsWith('/api/')) {
      await this.api(path, method, req, res);
      return;
    }
    if (!get) {
      json(res, 405, { error: `${method} not allowed here: use ${READ}` }, { allow: READ });
      return;
    }
    await this.file(path, method, res);
  }

  private async api(path: string, method: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const downloads = downloadRoutes(this.appliance);
    const allow = apiMethods(path, downloads);
    if (allow === undefined) {
      json(res, 404, { error: `no API ${path}` });
      return;
    }
    if (!allow.split(', ').includes(method)) {
      json(res, 405, { error: `${method} not allowed on ${path}: use ${allow}` }, { allow });
      return;
    }
    const head = method === 'HEAD';
    if (path === '/api/command_tree') {
      if (this.auth.session(bearer(req)) === undefined) {
        json(res, 401, { error: LOG_IN_FIRST });
        return;
      }
      const lang = new URL(req.url ?? '/', 'http://x').searchParams.get('lang');
      // In Chinese unless asked otherwise, as the original's tree (系统管理...) and /api/execute.
      json(res, 200, commandTree(lang === 'en' ? 'en' : 'zh'));
      return;
    }
    for (const route of downloads) {
      if (!path.startsWith(route.prefix)) continue;
      const name = decodedPath(path.slice(route.prefix.length));
      const file = name === undefined ? undefined : route.locate(name);
      if (this.auth.session(bearer(req)) === undefined) json(res, 401, { error: 'log in first' });
      else if (name === undefined) json(res, 400, { error: 'malformed percent-encoding in the file name' });
      else if (file === undefined)
        json(res, 400, { error: `expected the name of a file in ${route.folder}` });
      else
        await sendDownload(
          res,
          route,
          name,
          file,
          head,
          (status, error) => json(res, status, { error }),
          (err) => this.log.error(`HTTP ${method} ${path}: ${String(err)}`),
        );
      return;
    }
    if (path.startsWith(IMPORT_ROUTE)) {
      await this.upload(path.slice(IMPORT_ROUTE.length), req, res);
      return;
    }
    const refused = crossSite(req, this.allowedHosts());
    if (refused !== undefined) {
      // Another site's page posting here (a form can send text/plain JSON): it could lock the admin
      // out by failing logins from the admin's own browser.
      json(res, 403, { error: refused });
      return;
    }
    if (path === '/api/login') {
      const body = await jsonBody(req, res, MAX_LOGIN_BODY);
      if (body === undefined) return;
      // A body without a password ({"passwd"}, a number, none) is a malformed request, not a guess: it is
      // not counted towards the lock-out, and its sender is told what is wrong rather than "wrong password".
      if (typeof body.password !== 'string') {
        json(res, 400, { error: 'password: expected a string' });
        return;
      }
      const outcome = await this.auth.login(body.password, req.socket.remoteAddress ?? '');
      if (outcome.ok && outcome.tooShort === true && !this.toldTooShort) {
        // Set by an older IMS Lab, which took any length; IMS_ADMIN_PASSWORD refuses it now.
        this.toldTooShort = true;
        this.log.warning(
          `the admin password is shorter than ${MIN_PASSWORD_LENGTH} characters (an older IMS Lab's): ` +
            'choose a longer one with IMS_ADMIN_PASSWORD',
        );
      }
      if (outcome.ok) json(res, 200, { token: outcome.token, expiresAt: outcome.expiresAt });
      else refuse(res, outcome, 'wrong password');
      return;
    }
    // Who asks is known before the body is read: nobody's body is read without a session.
    const token = bearer(req);
    const who = this.auth.session(token);
    if (who === undefined) {
      json(res, 401, { error: LOG_IN_FIRST });
      return;
    }
    // Neither reads a body: a logout sent with one that is not JSON still logs out (it was a 400).
    if (path === '/api/session') {
      json(res, 200, { who });
      return;
    }
    if (path === '/api/logout') {
      this.auth.logout(token!);
      // Every console still open on that session goes too (it returns to the login page).
      for (const [ws, held] of this.sockets) if (held === token) ws.close(SESSION_ENDED_CLOSE, 'logged out');
      json(res, 200, { ok: true });
      return;
    }
    if (path === '/api/password') {
      await this.changePassword(token!, req, res);
      return;
    }
    const body = await jsonBody(req, res);
    if (body === undefined) return;
    const field = (name: string): unknown => body[name];
    if (path === '/api/execute') {
      const command = field('command');
      // Absent or empty is the original's empty command; another type is a mistake to name.
      if (command !== undefined && command !== null && typeof command !== 'string') {
        json(res, 400, { error: 'command: must be a string' });
        return;
      }
      if (typeof command !== 'string' || command.trim() === '') {
        json(res, 200, executeAnswer(undefined, Date.now()));
        return;
      }
      // In Chinese unless asked otherwise: the original answered in Chinese, and its scripts read the text.
      const response = await this.runScript(who, command, field('lang') ?? 'zh');
      if (response.ok) json(res, 200, executeAnswer(response.result.results, Date.now()));
      else json(res, 400, { error: response.error.replace(/^mml:/, 'command:') });
      return;
    }
    if (path === '/api/mml') {
      const response = await this.runScript(who, field('mml'), field('lang'), field('firstLine'));
      json(res, response.ok ? 200 : 400, response.ok ? response.result : { error: response.error });
      return;
    }
    json(res, 404, { error: `no API ${path}` });
  }

  /**
   * POST /api/password from the session `token`: a body without both strings, or a new password that
   * IMS_ADMIN_PASSWORD would refuse, is answered 400 before the current one is checked (no guess counted);
   * a wrong current one is a failed login (401, then 429). Once changed, every other console is closed as a
   * logout closes it; this one stays.
   */
  private async changePassword(token: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await jsonBody(req, res, MAX_LOGIN_BODY);
    if (body === undefined) return;
    const { current, password } = body;
    if (typeof current !== 'string' || typeof password !== 'string') {
      json(res, 400, { error: 'current, password: expected the current and the new password as strings' });
      return;
    }
    const problem = passwordProblem(password);
    if (problem !== undefined) {
      json(res, 400, { error: `password: ${problem}` });
      return;
    }
    const outcome = await this.auth.changePassword(current, password, token, req.socket.remoteAddress ?? '');
    if (!outcome.ok) {
      refuse(res, outcome, 'current: wrong password');
      return;
    }
    for (const [ws, held] of this.sockets)
      if (held !== token) ws.close(SESSION_ENDED_CLOSE, 'admin password changed: log in again');
    json(res, 200, { ok: true, sessionsEnded: outcome.sessionsEnded, configured: this.auth.configured });
  }

  /**
   * A script from HTTP, run as the WebSocket and the desktop run one: through the control contract's
   * checks (its length, its language), so that the same script gets the same answer whichever way it comes
   * (with "lang", /api/mml ran any length, and said a missing one otherwise than without).
   */
  private async runScript(
    who: string,
    mml: unknown,
    lang: unknown,
    firstLine?: unknown,
  ): Promise<ControlResponse<ExecuteResult>> {
    const session = new ControlSession(this.appliance, who, () => undefined);
    // Only the fields the body has: a missing one is "required", as on the WebSocket.
    const request = {
      op: 'execute',
      ...(mml !== undefined && { mml }),
      ...(lang !== undefined && { lang }),
      ...(firstLine !== undefined && { firstLine }),
    };
    return (await session.handle(request)) as ControlResponse<ExecuteResult>;
  }

  /** A file for IMP USER from a console in a browser, kept in <data>/imports/ (data-files.ts). */
  private async upload(rawName: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const who = this.auth.session(bearer(req));
    const name = decodedPath(rawName);
    const refused = crossSite(req, this.allowedHosts());
    if (who === undefined) json(res, 401, { error: 'log in first' }, { connection: 'close' });
    else if (refused !== undefined) json(res, 403, { error: refused }, { connection: 'close' });
    else if (name === undefined)
      json(res, 400, { error: 'malformed percent-encoding in the file name' }, { connection: 'close' });
    else {
      const outcome = await receiveImport(req, this.appliance.dataDir, name);
      if (outcome.status === 201) {
        this.log.info(`${who} uploaded ${outcome.file} (${outcome.bytes} bytes) for IMP USER`);
        json(res, 201, { file: outcome.file, bytes: outcome.bytes });
      } else if (outcome.status === 415)
        json(res, 415, { error: outcome.error }, { 'accept-encoding': 'identity' });
      else json(res, outcome.status, { error: outcome.error }, { connection: 'close' });
    }
  }

  /** The renderer's files; unknown paths outside assets/ get index.html (the single-page app routes itself). */
  private async file(path: string, method: string, res: ServerResponse): Promise<void> {
    const root = resolve(this.options.rendererDir);
    if (!existsSync(join(root, 'index.html'))) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('IMS Lab: the console is not built (run npm run build); the API and /healthz work.\n');
      return;
    }
    const decoded = decodedPath(path);
    if (decoded === undefined) {
      json(res, 400, { error: 'malformed percent-encoding in the path' });
      return;
    }
    if (decoded.includes('\0')) {
      json(res, 400, { error: 'a NUL in the path' }); // no file has one (it was a 500 from open())
      return;
    }
    const full = normalize(join(root, decoded));
    if (full !== root && !full.startsWith(root + sep)) {
      json(res, 403, { error: 'outside the console' });
      return;
    }
    const shown = (name: string): string => `the console's ${relative(root, name) || '.'}`;
    let served = full;
    let opened = await openFile(served, shown(served));
    // Not a file of the console (a route of the app, or a folder): its page. A missing file under
    // assets/ is not a route: a page of an older build asking for its chunk (gone since an upgrade) gets
    // 404, not index.html as a script, which the browser refused with a MIME error the page could not
    // tell from a lost connection (renderer/src/views/stale-page.ts reloads the page).
    const asset = decoded.startsWith('/assets/');
    if (('missing' in opened && !asset) || ('folder' in opened && opened.folder)) {
      served = join(root, 'index.html');
      opened = await openFile(served, shown(served));
    }
    if ('missing' in opened) json(res, 404, { error: `${shown(served)}: not found` });
    else if ('error' in opened) json(res, opened.status, { error: opened.error });
    else {
      const headers = {
        'content-type': TYPES[extname(served)] ?? 'application/octet-stream',
        'cache-control': served.endsWith('index.html') ? 'no-cache' : 'max-age=3600',
      };
      sendOpened(res, opened, headers, method === 'HEAD', (err) =>
        this.log.error(`HTTP ${method} ${path}: ${String(err)}`),
      );
    }
  }
}
