// A real SIP phone for tests: Debian's baresip (1.0) with a configuration folder of its own, no
// audio hardware (a WAV file as the microphone, the aubridge module as the loudspeaker), SIP and RTP
// on 127.0.0.1 only, driven over its ctrl_tcp module (netstring-framed JSON commands, RFC-less but
// documented in baresip's modules/ctrl_tcp), which also reports call events. Stopped by its PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { freePort } from '../../support/sipp';

export const BARESIP = process.env.BARESIP ?? '/usr/bin/baresip';
export const BARESIP_MODULES = process.env.BARESIP_MODULES ?? '/usr/lib/baresip/modules';
const NEEDED_MODULES = ['g711', 'aufile', 'aubridge', 'account', 'menu', 'ctrl_tcp'];

export const HAS_BARESIP =
  existsSync(BARESIP) && NEEDED_MODULES.every((m) => existsSync(join(BARESIP_MODULES, `${m}.so`)));

if (!HAS_BARESIP)
  process.stderr.write(
    `[baresip] ${BARESIP} or one of its modules ${NEEDED_MODULES.join(', ')} not found: baresip tests are skipped\n`,
  );

/** A 16-bit mono 8 kHz WAV of a 440 Hz tone: the phones' microphone (it must outlast the call). */
export function writeToneWav(file: string, seconds: number): void {
  const rate = 8000;
  const samples = rate * seconds;
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++)
    data.writeInt16LE(Math.round(3000 * Math.sin((2 * Math.PI * 440 * i) / rate)), i * 2);
  const head = Buffer.alloc(44);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(36 + data.length, 4);
  head.write('WAVEfmt ', 8, 'latin1');
  head.writeUInt32LE(16, 16);
  head.writeUInt16LE(1, 20); // PCM
  head.writeUInt16LE(1, 22); // mono
  head.writeUInt32LE(rate, 24);
  head.writeUInt32LE(rate * 2, 28);
  head.writeUInt16LE(2, 32);
  head.writeUInt16LE(16, 34);
  head.write('data', 36, 'latin1');
  head.writeUInt32LE(data.length, 40);
  writeFileSync(file, Buffer.concat([head, data]));
}

export interface BaresipEvent {
  type: string;
  class?: string;
  param?: string;
  peeruri?: string;
  accountaor?: string;
  [key: string]: unknown;
}

/** Can a TCP listener have this port on 127.0.0.1 now? */
function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A free SIP port whose next one is free too: baresip 1.0 opens its TLS listener on sip_listen's port + 1
 * and quits when that one is taken (seen once in CI, by a parallel test's socket).
 */
async function sipPortWithTlsBeside(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await freePort();
    if (port < 65535 && (await tcpFree(port + 1))) return port;
  }
  throw new Error('no free SIP port with a free TLS port beside it');
}

export interface BaresipOptions {
  /** Folder for this phone's config, accounts and output. */
  dir: string;
  user: string;
  password: string;
  /** The registrar/proxy. */
  server: { host: string; port: number };
  /** URI parameters of the account's AOR (e.g. ';transport=tls': register and call over TLS). */
  uriParams?: string;
  /** Account parameters after auth_pass (e.g. ';answermode=auto'). */
  accountParams?: string;
  /** The microphone WAV (8 kHz mono 16-bit). */
  wav: string;
  /**
   * The account's domain as a phone's settings page asks for it (e.g. the server's bare IP, no port):
   * the AOR is sip:user@domain and requests go to `server` as the outbound proxy. Default: the AOR
   * names the server's address and port.
   */
  domain?: string;
  /** Entries of baresip's contacts file (the contact module: `message` sends to the current one). */
  contacts?: string[];
  /** More modules to load (e.g. 'mwi.so', 'presence.so': a desk phone's defaults). */
  modules?: string[];
}

/** One running baresip, with a ctrl_tcp connection that collects its events. */
export class BaresipUa {
  private socket: Socket | undefined;
  private buffer = Buffer.alloc(0);
  private readonly pending: ((r: { ok: boolean; data: string }) => void)[] = [];
  readonly events: BaresipEvent[] = [];
  private output = '';

  private constructor(
    readonly proc: ChildProcess,
    readonly sipPort: number,
    readonly ctrlPort: number,
  ) {
    proc.stdout?.on(
      'data',
      (d: Buffer) => (this.output = (this.output + d.toString('latin1')).slice(-20000)),
    );
    proc.stderr?.on(
      'data',
      (d: Buffer) => (this.output = (this.output + d.toString('latin1')).slice(-20000)),
    );
  }

  static async start(o: BaresipOptions): Promise<BaresipUa> {
    mkdirSync(o.dir, { recursive: true });
    const sipPort = await sipPortWithTlsBeside();
    const ctrlPort = await freePort();
    const rtpBase = 20000 + Math.floor(Math.random() * 20000);
    writeFileSync(
      join(o.dir, 'config'),
      [
        'poll_method epoll',
        `sip_listen 127.0.0.1:${sipPort}`,
        // An address, not "lo": baresip 1.0 finds no address on a named loopback interface.
        'net_interface 127.0.0.1',
        `rtp_ports ${rtpBase}-${rtpBase + 99}`,
        'call_local_timeout 30',
        `audio_source aufile,${o.wav}`,
        `audio_player aubridge,${o.user}-speaker`,
        `audio_alert aubridge,${o.user}-ringer`,
        `module_path ${BARESIP_MODULES}`,
        'module g711.so',
        'module aufile.so',
        'module aubridge.so',
        // SIP Outbound (sipnat=outbound) needs the device's UUID: the uuid module keeps it in <dir>/uuid.
        ...(o.accountParams?.includes('sipnat=outbound') ? ['module_tmp uuid.so'] : []),
        'module_tmp account.so',
        ...(o.contacts === undefined ? [] : ['module contact.so']),
        ...(o.modules ?? []).map((m) => `module ${m}`),
        'module_app menu.so',
        'module_app ctrl_tcp.so',
        `ctrl_tcp_listen 127.0.0.1:${ctrlPort}`,
        '',
      ].join('\n'),
    );
    const aor =
      o.domain === undefined
        ? `<sip:${o.user}@${o.server.host}:${o.server.port}${o.uriParams ?? ''}>`
        : `<sip:${o.user}@${o.domain}${o.uriParams ?? ''}>;outbound="sip:${o.server.host}:${o.server.port}"`;
    writeFileSync(
      join(o.dir, 'accounts'),
      `${aor};auth_pass=${o.password};regint=60${o.accountParams ?? ''}\n`,
    );
    if (o.contacts !== undefined) writeFileSync(join(o.dir, 'contacts'), o.contacts.join('\n') + '\n');
    const proc = spawn(BARESIP, ['-f', o.dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const ua = new BaresipUa(proc, sipPort, ctrlPort);
    try {
      await ua.connectCtrl(5000);
    } catch (err) {
      if (proc.pid !== undefined && proc.exitCode === null) process.kill(proc.pid, 'SIGKILL');
      throw err;
    }
    return ua;
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  /** The tail of baresip's own output, for assertion messages. */
  describe(): string {
    return `baresip pid ${this.pid} sip ${this.sipPort}: events ${this.events.map((e) => e.type).join(' ')}\n${this.output.replace(/\[\d+:\d+:\d+\] audio=[^\s]+ \(bit\/s\)\s*/g, '').slice(-3000)}`;
  }

  private async connectCtrl(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.proc.exitCode !== null) throw new Error(`baresip exited:\n${this.describe()}`);
      try {
        this.socket = await new Promise<Socket>((resolve, reject) => {
          const s = connect({ host: '127.0.0.1', port: this.ctrlPort });
          s.once('connect', () => resolve(s));
          s.once('error', reject);
        });
        break;
      } catch {
        if (Date.now() > deadline) throw new Error(`baresip ctrl_tcp not listening:\n${this.describe()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    this.socket.on('error', () => undefined);
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
  }

  /** Netstrings: "<length>:<payload>,". */
  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const colon = this.buffer.indexOf(0x3a);
      if (colon < 0) return;
      const length = Number(this.buffer.subarray(0, colon).toString('latin1'));
      if (this.buffer.length < colon + 1 + length + 1) return;
      const payload = this.buffer.subarray(colon + 1, colon + 1 + length).toString('utf8');
      this.buffer = this.buffer.subarray(colon + 1 + length + 1);
      const msg = JSON.parse(payload) as { event?: boolean; response?: boolean; ok?: boolean; data?: string };
      if (msg.event === true) this.events.push(msg as unknown as BaresipEvent);
      else if (msg.response === true) this.pending.shift()?.({ ok: msg.ok === true, data: msg.data ?? '' });
    }
  }

  /** A menu command (dial, hangup, quit...); resolves with baresip's response. */
  command(command: string, params = ''): Promise<{ ok: boolean; data: string }> {
    const json = Buffer.from(JSON.stringify({ command, params, token: command }));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no response to ${command}:\n${this.describe()}`)),
        3000,
      );
      this.pending.push((r) => {
        clearTimeout(timer);
        resolve(r);
      });
      this.socket!.write(Buffer.concat([Buffer.from(`${json.length}:`), json, Buffer.from(',')]));
    });
  }

  /** Waits until baresip's own output matches `pattern` (already printed or to come); the match. */
  async printed(pattern: RegExp, timeoutMs = 5000): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = pattern.exec(this.output);
      if (m !== null) return m;
      if (Date.now() > deadline)
        throw new Error(`${pattern} not printed within ${timeoutMs} ms:\n${this.describe()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Waits for an event of this type (already received or to come). */
  async event(type: string, timeoutMs = 5000): Promise<BaresipEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const e = this.events.find((x) => x.type === type);
      if (e !== undefined) return e;
      if (Date.now() > deadline)
        throw new Error(`no ${type} event within ${timeoutMs} ms:\n${this.describe()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** `quit`, then SIGKILL by PID if it is still running after `graceMs`; resolves with the exit. */
  async stop(graceMs = 3000): Promise<number | string> {
    const exited = new Promise<number | string>((resolve) => {
      if (this.proc.exitCode !== null || this.proc.signalCode !== null)
        resolve(this.proc.exitCode ?? this.proc.signalCode ?? -1);
      else this.proc.once('exit', (code, signal) => resolve(code ?? signal ?? -1));
    });
    if (this.proc.exitCode === null && this.proc.signalCode === null && this.socket !== undefined) {
      await this.command('quit').catch(() => undefined);
    }
    const timer = setTimeout(() => {
      if (this.proc.pid !== undefined && this.proc.exitCode === null && this.proc.signalCode === null)
        process.kill(this.proc.pid, 'SIGKILL');
    }, graceMs);
    const code = await exited;
    clearTimeout(timer);
    this.socket?.destroy();
    return code;
  }
}
