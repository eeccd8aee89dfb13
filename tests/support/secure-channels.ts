// SIP channels over TLS and WebSocket for integration tests (the SipChannel of sip-client.ts): a TLS
// connection (any certificate accepted, versions chosen by the test) framed by Content-Length, and a
// WebSocket with the "sip" subprotocol, one message per frame (RFC 7118).
import { connect, type ConnectionOptions } from 'node:tls';
import WebSocket from 'ws';
import { Inbox, streamChannel, type SipChannel, type Target } from './sip-client';

export interface SecureChannel extends SipChannel {
  readonly closed: Promise<void>;
}

export function openTls(target: Target, options: ConnectionOptions = {}): Promise<SecureChannel> {
  const socket = connect({ host: target.host, port: target.port, rejectUnauthorized: false, ...options });
  return streamChannel(socket, 'secureConnect', 'TLS', target);
}

export interface WsChannel extends SecureChannel {
  readonly socket: WebSocket;
}

/** A WebSocket to ws(s)://host:port/ offering `protocols` (default "sip"); rejects when refused. */
export async function openWs(
  target: Target,
  secure: boolean,
  options: { protocols?: string[]; origin?: string } = {},
): Promise<WsChannel> {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  const ws = new WebSocket(
    `${secure ? 'wss' : 'ws'}://${host}:${target.port}/`,
    options.protocols ?? ['sip'],
    {
      rejectUnauthorized: false,
      ...(options.origin !== undefined ? { origin: options.origin } : {}),
    },
  );
  const inbox = new Inbox();
  ws.on('message', (data: Buffer) => inbox.push(Buffer.from(data)));
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) =>
      reject(new Error(`HTTP ${res.statusCode} ${res.statusMessage}`)),
    );
    ws.once('open', () => {
      ws.off('error', reject);
      resolve();
    });
  });
  ws.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  // RFC 7118 §5.2: a browser's Via sent-by and Contact host are made up, under .invalid.
  return {
    transport: secure ? 'WSS' : 'WS',
    localHost: `${Math.random().toString(36).slice(2, 10)}.invalid`,
    localPort: 0,
    target,
    closed,
    socket: ws,
    send: (data) => ws.send(data),
    next: (timeoutMs = 3000) => inbox.next(timeoutMs, `WS ${target.host}:${target.port}`),
    collect: (ms) => inbox.collect(ms),
    close: async () => {
      ws.close();
      await closed;
    },
  };
}
