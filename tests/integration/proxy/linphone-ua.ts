// A second real phone for tests: Debian's linphonec (liblinphone 4.x, its command-line front end),
// configured as a phone's settings page would be (identity sip:user@<domain>, the registrar as the
// proxy), SIP on 127.0.0.1, audio from and to WAV files (files mode: there is no sound card), driven
// through its stdin commands (register status, call, answer, terminate, chat) and read from its
// output. Stopped by its PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../support/sipp';

export const LINPHONEC = process.env.LINPHONEC ?? '/usr/bin/linphonec';
export const HAS_LINPHONEC = existsSync(LINPHONEC);

if (!HAS_LINPHONEC)
  process.stderr.write(`[linphonec] ${LINPHONEC} not found (apt-get install linphone-cli): skipped\n`);

export interface LinphoneOptions {
  dir: string;
  user: string;
  password: string;
  realm: string;
  /** The account's domain (e.g. the server's bare IP). */
  domain: string;
  server: { host: string; port: number };
  /** Answer incoming calls by itself (-a). */
  autoAnswer?: boolean;
  /** The microphone: a WAV file (linphonec's `play`, which also turns on files mode: no sound card). */
  wav: string;
  /** Its device's UUID (liblinphone's [misc] uuid; +sip.instance="<urn:uuid:…>"), kept across restarts. */
  uuid?: string;
}

export class LinphoneUa {
  private output = '';

  private constructor(
    readonly proc: ChildProcess,
    readonly sipPort: number,
  ) {
    const keep = (d: Buffer): void => {
      this.output = (this.output + d.toString('utf8')).slice(-200_000);
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
  }

  static async start(o: LinphoneOptions): Promise<LinphoneUa> {
    // Its database folder must exist, or the core never reaches the On state and refuses calls (503).
    mkdirSync(join(o.dir, '.local', 'share', 'linphone'), { recursive: true });
    const sipPort = await freePort();
    const rtpPort = 20000 + Math.floor(Math.random() * 20000) * 2;
    const proxy = `sip:${o.server.host}:${o.server.port}`;
    const rc = join(o.dir, 'linphonerc');
    writeFileSync(
      rc,
      [
        '[sip]',
        `sip_port=${sipPort}`,
        'sip_tcp_port=0',
        'register_only_when_network_is_up=0',
        'default_proxy=0',
        '[rtp]',
        `audio_rtp_port=${rtpPort}`,
        '[sound]',
        'echocancellation=0',
        '[video]',
        'enabled=0',
        'capture=0',
        'display=0',
        '[proxy_0]',
        `reg_proxy=<${proxy}>`,
        `reg_route=<${proxy};lr>`,
        `reg_identity="${o.user}" <sip:${o.user}@${o.domain}>`,
        'reg_expires=600',
        'reg_sendregister=1',
        'publish=0',
        '[auth_info_0]',
        `username=${o.user}`,
        `userid=${o.user}`,
        `passwd=${o.password}`,
        `realm=${o.realm}`,
        ...(o.uuid === undefined ? [] : ['[misc]', `uuid=${o.uuid}`]),
        '',
      ].join('\n'),
    );
    const args = ['-c', rc, '-d', '0', ...(o.autoAnswer ? ['-a'] : [])];
    const proc = spawn(LINPHONEC, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, HOME: o.dir },
    });
    const ua = new LinphoneUa(proc, sipPort);
    // linphonec 4.x does not take sip_port from the file before its network comes up: set it again.
    ua.command(`ports sip ${sipPort}`);
    ua.command(`play ${o.wav}`);
    ua.command(`record ${join(o.dir, 'heard.wav')}`);
    return ua;
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  command(line: string): void {
    this.proc.stdin?.write(`${line}\n`);
  }

  /** Waits until the output (from `from` on) matches; returns the match. */
  async waitFor(pattern: RegExp, timeoutMs = 10_000, from = 0): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = pattern.exec(this.output.slice(from));
      if (m !== null) return m;
      if (this.proc.exitCode !== null) throw new Error(`linphonec exited:\n${this.describe()}`);
      if (Date.now() > deadline) throw new Error(`linphonec: ${pattern} not seen:\n${this.describe()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Where the output is now (for waitFor's `from`). */
  get mark(): number {
    return this.output.length;
  }

  /** Asks for the registration state until it says registered. */
  async registered(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const from = this.mark;
      this.command('status register');
      try {
        await this.waitFor(/registered(, identity=|=-1)/, 2000, from);
        if (/registered, identity=/.test(this.output.slice(from))) return;
      } catch {
        // asked again below
      }
      if (Date.now() > deadline) throw new Error(`linphonec did not register:\n${this.describe()}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  describe(): string {
    return `linphonec pid ${this.pid} sip ${this.sipPort}:\n${this.output
      .split('\n')
      .filter((l) => !/soundcard|video is disabled/.test(l))
      .join('\n')
      .slice(-4000)}`;
  }

  /** SIGKILL by PID at once (a phone that lost power: no un-REGISTER); resolves once it is gone. */
  async kill(): Promise<void> {
    const proc = this.proc;
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.on('close', () => resolve()));
    if (proc.pid !== undefined) process.kill(proc.pid, 'SIGKILL');
    await exited;
  }

  /** quit, then SIGKILL by PID after `graceMs`; resolves with the exit code. */
  async stop(graceMs = 5000): Promise<number | string> {
    const proc = this.proc;
    if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode ?? proc.signalCode!;
    const exited = new Promise<number | string>((resolve) =>
      proc.on('close', (code, signal) => resolve(code ?? signal ?? 'unknown')),
    );
    this.command('quit');
    const timer = setTimeout(() => {
      if (proc.pid !== undefined && proc.exitCode === null) process.kill(proc.pid, 'SIGKILL');
    }, graceMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  }
}
