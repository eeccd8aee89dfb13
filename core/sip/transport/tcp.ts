// The TCP listener and the connections: incoming ones are kept for responses and for requests towards a
// UA that registered over them (RFC 3261 §18.2.2, RFC 5626 §3.5.1 keep-alive answered); outgoing ones
// are opened on demand and reused. Framing by Content-Length; a connection whose framing breaks is
// closed after a 400 (where one can be built).
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { SipStreamFramer, type StreamItem } from '../message/index';
import type { Peer } from './peer';

export type StreamHandler = (item: StreamItem, source: Peer) => void;

export interface TcpOptions {
  /** Close a connection after this long without traffic (ms). */
  idleTimeoutMs: number;
  connectTimeoutMs: number;
  maxMessageSize: number;
}

const DEFAULTS: TcpOptions = { idleTimeoutMs: 15 * 60_000, connectTimeoutMs: 5_000, maxMessageSize: 65535 };

function key(address: string, port: number): string {
  return `${address}|${port}`;
}

export class TcpListener {
  private server: Server | undefined;
  private readonly connections = new Map<string, Socket>();
  private readonly options: TcpOptions;

  constructor(
    private readonly onItem: StreamHandler,
    options: Partial<TcpOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  async listen(host: string, port: number): Promise<number> {
    const server = createServer((socket) => this.adopt(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', () => undefined);
    this.server = server;
    const addr = server.address();
    return typeof addr === 'object' && addr !== null ? addr.port : port;
  }

  /** An accepted connection: known by the peer's address and port. */
  private adopt(socket: Socket): void {
    socket.setNoDelay(true);
    socket.setTimeout(this.options.idleTimeoutMs);
    this.attach(socket, socket.remoteAddress?.replace(/^::ffff:/, '') ?? '', socket.remotePort ?? 0);
  }

  /** Frames what arrives, answers keep-alive pings, and forgets the connection when it closes. */
  private attach(socket: Socket, address: string, port: number): void {
    const k = key(address, port);
    const peer: Peer = { transport: 'TCP', address, port };
    const framer = new SipStreamFramer(this.options.maxMessageSize);
    this.connections.set(k, socket);
    socket.on('timeout', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      for (const item of framer.push(chunk)) {
        if (item.kind === 'ping') {
          socket.write('\r\n');
          continue;
        }
        this.onItem(item, peer);
        if (item.kind === 'fatal') socket.end();
      }
    });
    const forget = (): void => {
      if (this.connections.get(k) === socket) this.connections.delete(k);
    };
    socket.on('close', forget);
    socket.on('error', forget);
  }

  /**
   * Sends over the connection to address:port, opening one if there is none. `onError` hears of a
   * connection that cannot be opened or a write that fails (RFC 3261 §18.4: the transaction is told).
   */
  send(data: Buffer, address: string, port: number, onError?: () => void): void {
    const failed = (err?: Error | null): void => {
      if (err) onError?.();
    };
    const existing = this.connections.get(key(address, port));
    if (existing !== undefined && !existing.destroyed) {
      existing.write(data, failed);
      return;
    }
    const socket = createConnection({ host: address, port, timeout: this.options.connectTimeoutMs });
    let connected = false;
    socket.once('connect', () => {
      connected = true;
      socket.setTimeout(this.options.idleTimeoutMs);
    });
    // Refused, unreachable, or timed out before connecting: the data never left.
    socket.once('close', () => {
      if (!connected) onError?.();
    });
    socket.setNoDelay(true);
    socket.write(data);
    this.attach(socket, address, port);
  }

  async close(): Promise<void> {
    for (const s of this.connections.values()) s.destroy();
    this.connections.clear();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
