// A bare SIP client for integration tests: hand-written REGISTER/OPTIONS requests sent over a real UDP
// socket or TCP connection on 127.0.0.1, every received message kept as bytes, and the digest answer
// computed by IMS Lab's own client code (answerChallenge, which also speaks SHA-256).
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, type Socket as TcpSocket } from 'node:net';
import { answerChallenge } from '../../core/sip/auth/digest';
import {
  SipParseError,
  SipResponse,
  SipStreamFramer,
  newBranch,
  newCallId,
  newTag,
  paramValue,
  parseMessage,
} from '../../core/sip/message/index';
import { sipBytes } from './sip-text';

export type TransportName = 'UDP' | 'TCP' | 'TLS' | 'WS' | 'WSS';

export interface Target {
  host: string;
  port: number;
}

/** One way of talking to the server: a UDP socket aimed at it, or one TCP connection to it. */
export interface SipChannel {
  readonly transport: TransportName;
  readonly localHost: string;
  readonly localPort: number;
  readonly target: Target;
  send(data: Buffer): void;
  /** The next message received (bytes as they arrived); rejects after `timeoutMs`. */
  next(timeoutMs?: number): Promise<Buffer>;
  /** Everything that arrives within `ms` (nothing expected: an empty list). */
  collect(ms: number): Promise<Buffer[]>;
  close(): Promise<void>;
}

/** Received messages queued for next(); shared by every channel kind. */
export class Inbox {
  private readonly queue: Buffer[] = [];
  private waiter: ((b: Buffer) => void) | undefined;

  push(b: Buffer): void {
    const w = this.waiter;
    if (w !== undefined) {
      this.waiter = undefined;
      w(b);
    } else this.queue.push(b);
  }

  next(timeoutMs: number, what: string): Promise<Buffer> {
    const queued = this.queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.waiter !== undefined) return Promise.reject(new Error('next() is already waiting'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new Error(`no SIP message from ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiter = (b) => {
        clearTimeout(timer);
        resolve(b);
      };
    });
  }

  async collect(ms: number): Promise<Buffer[]> {
    await new Promise((r) => setTimeout(r, ms));
    return this.queue.splice(0);
  }
}

/** A UDP socket aimed at `target`, on a free local port or the one given (a peer that comes back). */
export async function openUdp(target: Target, localHost = '127.0.0.1', port = 0): Promise<SipChannel> {
  const socket: UdpSocket = createSocket('udp4');
  const inbox = new Inbox();
  socket.on('message', (data) => inbox.push(data));
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, localHost, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  socket.on('error', () => undefined);
  const localPort = socket.address().port;
  let closing: Promise<void> | undefined;
  return {
    transport: 'UDP',
    localHost,
    localPort,
    target,
    send: (data) => socket.send(data, target.port, target.host),
    next: (timeoutMs = 3000) => inbox.next(timeoutMs, `UDP ${target.host}:${target.port}`),
    collect: (ms) => inbox.collect(ms),
    // Idempotent: a test's finally and its afterAll may both close it (a second dgram close throws
    // "Not running", which in an afterAll left the server under test running).
    close: () => {
      closing ??= new Promise((resolve) => socket.close(() => resolve()));
      return closing;
    },
  };
}

export interface TcpChannel extends SipChannel {
  /** Resolves when the server (or anyone) closes the connection. */
  readonly closed: Promise<void>;
}

/** One TCP connection; messages are cut out of the stream by Content-Length. */
export function openTcp(target: Target): Promise<TcpChannel> {
  return streamChannel(connect({ host: target.host, port: target.port }), 'connect', 'TCP', target);
}

/**
 * A SipChannel over a connected stream (TCP, or TLS once `ready` fires: 'secureConnect'), framed by
 * Content-Length.
 */
export async function streamChannel(
  socket: TcpSocket,
  ready: 'connect' | 'secureConnect',
  transport: 'TCP' | 'TLS',
  target: Target,
): Promise<TcpChannel> {
  const inbox = new Inbox();
  const framer = new SipStreamFramer();
  socket.on('data', (chunk: Buffer) => {
    for (const item of framer.push(chunk)) {
      if (item.kind === 'message') inbox.push(Buffer.from(item.message.source));
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once(ready, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return {
    transport,
    localHost: socket.localAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
    localPort: socket.localPort ?? 0,
    target,
    closed,
    send: (data) => void socket.write(data),
    next: (timeoutMs = 3000) => inbox.next(timeoutMs, `${transport} ${target.host}:${target.port}`),
    collect: (ms) => inbox.collect(ms),
    close: async () => {
      socket.end();
      socket.destroy();
      await closed;
    },
  };
}

export function parseResponse(data: Buffer): SipResponse {
  const m = parseMessage(data);
  if (m instanceof SipParseError) throw new Error(`response does not parse (${m.toString()}):\n${data}`);
  if (!(m instanceof SipResponse)) throw new Error(`expected a response, got a request:\n${data}`);
  return m;
}

export interface RequestSpec {
  method?: string;
  /** Request-URI; sip:<target host>:<target port> when omitted. */
  uri?: string;
  /** User part of the AOR in From and To. */
  user: string;
  /** The From's host (another element's own address, not one of ours); the target's when omitted. */
  fromHost?: string;
  callId: string;
  cseq: number;
  fromTag?: string;
  branch?: string;
  /** Contact header values, one header line each; none: a fetch (§10.2.3). */
  contacts?: string[];
  expires?: number;
  authorization?: string;
  /** More header lines, written before Content-Length. */
  extra?: string[];
  /** Sent-by of the Via; the channel's local address and port when omitted. */
  viaSentBy?: string;
  /** The User-Agent header's value (default ims-lab-registrar-test). */
  userAgent?: string;
}

export function requestUriOf(ch: SipChannel): string {
  return `sip:${ch.target.host}:${ch.target.port}`;
}

/** The bytes of a request from `ch` to the server it talks to. */
export function requestBytes(ch: SipChannel, spec: RequestSpec): Buffer {
  const method = spec.method ?? 'REGISTER';
  const uri = spec.uri ?? requestUriOf(ch);
  const aor = `sip:${spec.user}@${ch.target.host}`;
  const lines = [
    `${method} ${uri} SIP/2.0`,
    `Via: SIP/2.0/${ch.transport} ${spec.viaSentBy ?? `${ch.localHost}:${ch.localPort}`};branch=${spec.branch ?? newBranch()};rport`,
    'Max-Forwards: 70',
    `From: <${spec.fromHost === undefined ? aor : `sip:${spec.user}@${spec.fromHost}`}>;tag=${spec.fromTag ?? newTag()}`,
    `To: <${aor}>`,
    `Call-ID: ${spec.callId}`,
    `CSeq: ${spec.cseq} ${method}`,
    ...(spec.contacts ?? []).map((c) => `Contact: ${c}`),
    ...(spec.expires === undefined ? [] : [`Expires: ${spec.expires}`]),
    ...(spec.authorization === undefined ? [] : [`Authorization: ${spec.authorization}`]),
    `User-Agent: ${spec.userAgent ?? 'ims-lab-registrar-test'}`,
    ...(spec.extra ?? []),
  ];
  return sipBytes(lines);
}

/** The Contact this channel would register: sip:<user>@<local address>:<local port>. */
export function contactOf(ch: SipChannel, user: string, params = ''): string {
  const transport = ch.transport === 'UDP' ? '' : `;transport=${ch.transport.toLowerCase()}`;
  return `<sip:${user}@${ch.localHost}:${ch.localPort}${transport}>${params}`;
}

/** Waits for the response to the request with this CSeq number, skipping anything else. */
export async function responseTo(ch: SipChannel, cseq: number, timeoutMs = 3000): Promise<SipResponse> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`no final response to CSeq ${cseq} within ${timeoutMs} ms`);
    const res = parseResponse(await ch.next(left));
    if (res.cseq.seq === cseq && res.status >= 200) return res;
  }
}

export interface Credentials {
  username: string;
  password: string;
}

/** Bindings listed in a 2xx to REGISTER: URI and expires parameter of each Contact. */
export function listedContacts(res: SipResponse): { uri: string; expires: number | undefined }[] {
  return res.contacts.map((c) => {
    const e = paramValue(c.params, 'expires');
    return { uri: c.uriText, expires: e === undefined || e === null ? undefined : Number(e) };
  });
}

/**
 * One UA registering one AOR over one channel: a Call-ID of its own and a CSeq that grows (§10.2.4),
 * each request answered with digest credentials after the 401 (a fresh challenge every time).
 */
export class RegisteringUa {
  readonly callId = newCallId('ims-lab-test');
  readonly fromTag = newTag();
  cseq = 0;
  /** The last 401 and the Authorization sent in answer to it. */
  lastChallenge: SipResponse | undefined;
  lastAuthorization: string | undefined;

  constructor(
    readonly channel: SipChannel,
    readonly creds: Credentials,
    /** Picks the challenges to answer from the 401 (default: all of them, topmost supported first). */
    private readonly pick: (challenges: string[]) => string[] = (c) => c,
  ) {}

  /** Sends one request without credentials and returns its final response. */
  async send(spec: Partial<RequestSpec> = {}): Promise<SipResponse> {
    const cseq = ++this.cseq;
    this.channel.send(requestBytes(this.channel, this.spec(cseq, spec)));
    return responseTo(this.channel, cseq);
  }

  /**
   * A REGISTER (or `spec.method`): the first try must be challenged with 401; the answer's final
   * response is returned.
   */
  async request(spec: Partial<RequestSpec> = {}): Promise<SipResponse> {
    const challenge = await this.send(spec);
    if (challenge.status !== 401)
      throw new Error(`expected 401 to a request without credentials, got:\n${challenge.toString()}`);
    this.lastChallenge = challenge;
    const method = spec.method ?? 'REGISTER';
    const uri = spec.uri ?? requestUriOf(this.channel);
    const authorization = answerChallenge(
      this.pick(challenge.headerValues('www-authenticate')),
      this.creds,
      method,
      uri,
    );
    if (authorization === undefined) throw new Error(`no usable challenge in:\n${challenge.toString()}`);
    this.lastAuthorization = authorization;
    return this.send({ ...spec, authorization });
  }

  register(contacts: string[], expires?: number, extra: Partial<RequestSpec> = {}): Promise<SipResponse> {
    return this.request({ ...extra, contacts, expires });
  }

  /** A REGISTER without Contact: lists the current bindings (§10.2.3). */
  fetch(): Promise<SipResponse> {
    return this.request({});
  }

  private spec(cseq: number, over: Partial<RequestSpec>): RequestSpec {
    return { user: this.creds.username, callId: this.callId, fromTag: this.fromTag, cseq, ...over };
  }
}
