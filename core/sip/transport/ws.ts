// SIP over WebSocket (RFC 7118), plain (WS) or over TLS (WSS), for browser softphones and WebRTC
// gateways. The upgrade must ask for the "sip" subprotocol (§4: refused with 400 otherwise) and, when
// an origin list is configured, come from one of those origins (403 otherwise; browsers send Origin).
// Each frame holds exactly one SIP message (§5.1), text or binary. Connections are known by the peer's
// address and port: responses, and requests for a binding registered over one, go back down it (the
// `.invalid` Contact hosts browsers use cannot be reached any other way); when it closes, onClosed is
// told so that bindings made over it end. Limits: at most maxConnections at once, the HTTP upgrade
// (and the TLS handshake before it) must complete within handshakeTimeoutMs, a connection idle for
// idleTimeoutMs gets a Ping and is closed when it does not answer, and a message begun must arrive
// whole within messageTimeoutMs of the last whole one, as on TCP and TLS (ws-partial.ts).
import { isUtf8 } from 'node:buffer';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { unmapped, type Peer } from './peer';
import { failedPeerAddress, keepPeerAddresses } from './tls-peer';
import { TLS_MIN_VERSION, type TlsCredentials } from './tls';
import type { SendFailureSink } from './send-failure';
import { overUnsentLimit, readNoMoreThanSent } from './back-pressure';
import { WsPartialMessage } from './ws-partial';

export type FrameHandler = (data: Buffer, source: Peer) => void;

export interface WsOptions {
  /** WSS: TLS with these credentials; WS when undefined. */
  credentials?: TlsCredentials;
  maxConnections: number;
  idleTimeoutMs: number;
  handshakeTimeoutMs: number;
  maxMessageSize: number;
  /** Close a connection holding part of a message this long after its last whole one (ms; 0: never; 20 s when unset). */
  messageTimeoutMs?: number;
  /** Allowed Origin values (lower-case, e.g. https://lab.example:8443); empty: any. */
  origins: readonly string[];
}

function key(address: string, port: number): string {
  return `${address}|${port}`;
}

const CRLF_CRLF = 0x0d0a0d0a;

/**
 * The largest frame read (2 MB, twice SIP.MAX_MESSAGE_SIZE's largest value): a message up to it but over
 * SIP.MAX_MESSAGE_SIZE gets 513 and the connection stays; at 4 x SIP.MAX_MESSAGE_SIZE (262,140 bytes by
 * default) a larger one closed the connection (1009), and a browser's registration and calls with it.
 */
const MAX_FRAME_BYTES = 2 * 1024 * 1024;

/** How long an idle peer has to answer our Ping (or less: the idle time) before it is closed. */
const PONG_TIMEOUT_MS = 30_000;

/** How long an idle peer has to answer our Close frame before the connection is dropped. */
const CLOSE_GRACE_MS = 1000;

/**
 * An idle connection ends with a Close frame (RFC 6455 §7.1.2, status 1000, §7.4.1), so that the UA
 * (SIP.js, JsSIP) sees a clean close, not a dropped connection (1006); dropped if it does not answer.
 */
function closeIdle(ws: WebSocket): void {
  if (ws.readyState !== ws.OPEN) return;
  ws.close(1000, 'idle');
  setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
}

/**
 * A peer that took longer than SIP.MESSAGE_TIMEOUT over a message: a Close frame with 1008 (RFC 6455
 * §7.4.1, policy violation), then dropped without waiting for its answer (it is still sending a frame).
 */
function closeSlow(ws: WebSocket): void {
  if (ws.readyState === ws.OPEN) ws.close(1008, 'message timeout');
  setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
}

/** Close 1001 and its answer (or CLOSE_GRACE_MS), then the connection dropped. */
function closeGoingAway(ws: WebSocket): Promise<void> {
  if (ws.readyState === ws.CLOSED) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const cut = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS);
    ws.once('close', () => {
      clearTimeout(cut);
      resolve();
    });
    if (ws.readyState === ws.OPEN) ws.close(1001, 'server stopping');
  });
}

function frameBytes(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

export class WsListener {
  private server: Server | undefined;
  private wss: WebSocketServer | undefined;
  private readonly connections = new Map<string, WebSocket>();
  private readonly sockets = new Set<Duplex>();
  /** Each WebSocket's TCP or TLS socket, whose unsent bytes tell a peer that reads nothing (back-pressure.ts). */
  private readonly rawSockets = new WeakMap<WebSocket, Socket>();
  /** Told when a connection ends. */
  onClosed: ((peer: Peer) => void) | undefined;
  /** Upgrades refused (no "sip" subprotocol, origin not allowed) and connections over maxConnections. */
  refused = 0;
  /** Told of each refused upgrade: the peer's address and the answer's status line. */
  onRefused: ((address: string, why: string) => void) | undefined;
  /** WSS: told of each failed TLS handshake, the peer's address and why. */
  onHandshakeFailed: ((address: string, why: string) => void) | undefined;

  constructor(
    private readonly onFrame: FrameHandler,
    private readonly options: WsOptions,
  ) {}

  get transport(): 'WS' | 'WSS' {
    return this.options.credentials === undefined ? 'WS' : 'WSS';
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  connectedTo(address: string, port: number): boolean {
    return this.connections.has(key(address, port));
  }

  async listen(host: string, port: number): Promise<number> {
    const o = this.options;
    const c = o.credentials;
    // Node checks headersTimeout and requestTimeout on a sweep (every 30 s by default): an upgrade
    // dripped a byte at a time lasted 22 s against a 10 s limit. Swept each second, it ends on time.
    const sweep = { connectionsCheckingInterval: Math.min(1000, o.handshakeTimeoutMs) };
    const server: Server =
      c === undefined
        ? createHttpServer(sweep)
        : createHttpsServer({
            ...sweep,
            cert: c.cert,
            key: c.key,
            minVersion: TLS_MIN_VERSION,
            handshakeTimeout: o.handshakeTimeoutMs,
          });
    if (o.maxConnections > 0) {
      server.maxConnections = o.maxConnections;
      // Node closes a connection over the limit as it arrives and says so with 'drop': counted and
      // logged as a refused upgrade, as a TCP or TLS connection over its limit is (it was dropped unsaid).
      server.on('drop', (d) => {
        this.refused++;
        this.onRefused?.(
          unmapped(d?.remoteAddress ?? ''),
          `connection over the limit, ${o.maxConnections} already (SIP.WS_MAX_CONNECTIONS)`,
        );
      });
    }
    server.headersTimeout = o.handshakeTimeoutMs;
    server.requestTimeout = o.handshakeTimeoutMs;
    server.setTimeout(o.handshakeTimeoutMs, (socket) => socket.destroy());
    server.on('connection', (raw: Duplex) => {
      this.sockets.add(raw);
      raw.once('close', () => this.sockets.delete(raw));
    });
    // WSS: a failed handshake is counted and logged as the TLS listener's are (it was dropped unsaid).
    if (c !== undefined) keepPeerAddresses(server);
    server.on('tlsClientError', (err: Error, socket: Duplex) => {
      this.onHandshakeFailed?.(failedPeerAddress(socket), (err as NodeJS.ErrnoException).code ?? err.message);
      socket.destroy();
    });
    server.on('request', (_req, res) => {
      res.writeHead(426, { Upgrade: 'websocket', 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('SIP over WebSocket (RFC 7118): open a WebSocket with the "sip" subprotocol\n');
    });
    const wss = new WebSocketServer({
      noServer: true,
      // Room past the largest message, so that a message too large gets its 513 (§21.5.14) from the
      // parser rather than a closed connection (and a browser's registration lost with it); a frame
      // over MAX_FRAME_BYTES closes it with 1009 (RFC 6455 §7.4.1).
      maxPayload: MAX_FRAME_BYTES,
      clientTracking: false,
      // The one offered, echoed as offered (RFC 6455 §4.2.2), in whatever case: the refusal check below
      // lets "SIP" through, so it must be selected too (it got a 101 without a subprotocol).
      handleProtocols: (protocols) => [...protocols].find((p) => p.toLowerCase() === 'sip') ?? false,
    });
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      // The socket is ours from here, its errors too: a peer that resets the connection under the
      // answer (ECONNRESET, EPIPE) ends that connection only. Unheard, one stopped the process.
      socket.on('error', () => socket.destroy());
      const refusal = this.refusal(req);
      if (refusal !== undefined) {
        this.refused++;
        this.onRefused?.(req.socket.remoteAddress ?? '', refusal);
        // RFC 6455 §4.2.2: a version not understood is told which one is.
        const version = refusal.startsWith('426') ? 'Sec-WebSocket-Version: 13\r\n' : '';
        socket.end(`HTTP/1.1 ${refusal}\r\n${version}Connection: close\r\nContent-Length: 0\r\n\r\n`, () =>
          socket.destroy(),
        );
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => this.adopt(ws, req));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', () => undefined);
    this.server = server;
    this.wss = wss;
    const addr = server.address();
    return typeof addr === 'object' && addr !== null ? addr.port : port;
  }

  /** Why an upgrade is refused (status line), or undefined when it may proceed. */
  private refusal(req: IncomingMessage): string | undefined {
    // RFC 6455 §4.1, §4.2.1: version 13 only, over HTTP/1.1 (the ws module also took draft version 8).
    if (req.headers['sec-websocket-version'] !== '13') return '426 Upgrade Required';
    if (req.httpVersion !== '1.1') return '505 HTTP Version Not Supported';
    const offered = String(req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim().toLowerCase());
    if (!offered.includes('sip')) return '400 Subprotocol sip Required';
    const origins = this.options.origins;
    if (origins.length > 0) {
      const origin = String(req.headers.origin ?? '').toLowerCase();
      if (!origins.includes(origin)) return '403 Origin Not Allowed';
    }
    return undefined;
  }

  private adopt(ws: WebSocket, req: IncomingMessage): void {
    const socket = req.socket;
    const peer: Peer = {
      transport: this.transport,
      address: unmapped(socket.remoteAddress ?? ''),
      port: socket.remotePort ?? 0,
    };
    const k = key(peer.address, peer.port);
    this.connections.set(k, ws);
    this.rawSockets.set(ws, socket);
    this.keepAlive(ws, socket);
    this.boundMessages(ws, socket);
    const pauseWs = (): void => ws.pause();
    const resumeWs = (): void => ws.resume();
    ws.on('message', (data) => {
      const frame = frameBytes(data);
      // RFC 5626 §4.4.1's ping (a double CRLF) gets its pong, a CRLF, as over TCP: SIP.js's keep-alive
      // sends the ping over its WebSocket and waits for the pong.
      if (frame.length === 4 && frame.readUInt32BE(0) === CRLF_CRLF) ws.send('\r\n');
      this.onFrame(frame, peer);
      readNoMoreThanSent(socket, pauseWs, resumeWs);
    });
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      if (this.connections.get(k) !== ws) return;
      this.connections.delete(k);
      this.onClosed?.(peer);
    });
  }

  /**
   * A connection silent for idleTimeoutMs gets a Ping (RFC 6455 §5.5.2), as Kamailio's websocket module
   * keeps its connections; a browser answers with a Pong by itself (§5.5.3), so a quiet browser (a long
   * call without in-dialog SIP, a registration longer than the idle time) keeps its flow. Only a
   * connection that answers nothing (Pong or anything else) within PONG_TIMEOUT_MS is closed.
   */
  private keepAlive(ws: WebSocket, socket: Socket): void {
    const idle = this.options.idleTimeoutMs;
    let pinged = false;
    socket.setTimeout(idle);
    socket.on('timeout', () => {
      if (pinged || ws.readyState !== ws.OPEN) {
        closeIdle(ws);
        return;
      }
      pinged = true;
      ws.ping();
      socket.setTimeout(Math.min(idle, PONG_TIMEOUT_MS));
    });
    // Anything heard (the Pong, a message, a CRLF ping) shows the peer is there.
    socket.on('data', () => {
      if (!pinged) return;
      pinged = false;
      socket.setTimeout(idle);
    });
  }

  /**
   * A message begun must arrive whole within messageTimeoutMs of the last whole one (SIP.MESSAGE_TIMEOUT,
   * as tcp.ts does): each dripped byte reset the idle timer, so a frame announced long and sent a byte
   * every few seconds held the connection (one of SIP.WS_MAX_CONNECTIONS) for ever. One timer per
   * connection, and only while part of a message is in.
   */
  private boundMessages(ws: WebSocket, socket: Socket): void {
    const ms = this.options.messageTimeoutMs ?? 20_000;
    if (ms <= 0) return;
    const stream = new WsPartialMessage();
    let timer: NodeJS.Timeout | undefined;
    socket.on('data', (chunk: Buffer) => {
      const ended = stream.push(chunk);
      if (timer !== undefined && (ended || !stream.partial)) {
        clearTimeout(timer);
        timer = undefined;
      }
      if (timer === undefined && stream.partial) {
        timer = setTimeout(() => closeSlow(ws), ms);
        timer.unref();
      }
    });
    socket.once('close', () => clearTimeout(timer));
  }

  /** Sends one message in one frame (text when it is UTF-8, as browsers expect); onError when it cannot. */
  send(data: Buffer, address: string, port: number, onError?: SendFailureSink): void {
    const ws = this.connections.get(key(address, port));
    if (ws === undefined || ws.readyState !== ws.OPEN) {
      onError?.transportError();
      return;
    }
    const socket = this.rawSockets.get(ws);
    if (socket !== undefined && overUnsentLimit(socket)) {
      ws.terminate(); // a peer that has read nothing of 16 MB (back-pressure.ts)
      onError?.transportError();
      return;
    }
    ws.send(data, { binary: !isUtf8(data) }, (err) => {
      if (err) onError?.transportError();
    });
  }

  /**
   * Stops: each connection gets a Close frame with 1001 (RFC 6455 §7.4.1, going away), as the console's
   * WebSockets do, so that the UA sees the server leave rather than a dropped connection (1006); one that
   * does not answer within CLOSE_GRACE_MS is dropped. The bindings made over them are left to the next
   * start (appliance.ts ends them there).
   */
  async close(): Promise<void> {
    const open = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(open.map(closeGoingAway));
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    this.wss?.close();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
