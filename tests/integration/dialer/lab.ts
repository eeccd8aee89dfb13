// An appliance for the dialer's integration tests: in this process on 127.0.0.1, SIP and the dialer on
// free ports, an RTP range of its own, users 1002..1008 (password pw-<n>), a temporary data folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Appliance } from '../../../core/appliance';
import { Settings } from '../../../core/config/settings';
import type { MmlResult } from '../../../core/mml/command';
import { afterEach, beforeEach, expect, onTestFinished } from 'vitest';
import type { LabServer } from '../../support/lab-server';
import { stopStrayCallees } from '../proxy/parties';

/** The checkout, as the installed app: its media/default.wav is the dialer's prompt. */
const CHECKOUT = join(__dirname, '..', '..', '..');

export interface DialerLab {
  a: Appliance;
  dir: string;
  mml(text: string): Promise<MmlResult>;
  /** The appliance as the proxy test helpers know a server: host and UDP port. */
  server(): LabServer;
  /** Stops the appliance and removes its data folder, unless `keep` (to open another on it); once. */
  close(keep?: boolean): Promise<void>;
}

/** The settings of a dialer test's appliance: 127.0.0.1, free ports, `rtpPorts` RTP ports of its own. */
export function dialerLabSettings(rtpPorts = 200): Settings {
  const s = new Settings();
  s.set('SIP.HOST', '127.0.0.1');
  s.set('SIP.PORT', 0);
  s.set('SIP.TCP', false);
  s.set('SIP.WARMUP_CALLS', 0);
  s.set('DIALER.LOCAL_PORT', 0);
  const base = 30000 + 2 * Math.floor(Math.random() * 10000);
  s.set('DIALER.RTP_PORT_MIN', base);
  s.set('DIALER.RTP_PORT_MAX', base + rtpPorts - 1);
  return s;
}

/** `dir`: the data folder of an earlier lab (closed with keep), for what lasts across restarts. */
export async function openDialerLab(dir = mkdtempSync(join(tmpdir(), 'ims-dialer-'))): Promise<DialerLab> {
  const s = dialerLabSettings();
  const a = new Appliance({ dataDir: dir, settings: s, console: false, appDirs: [CHECKOUT] });
  await a.start();
  for (let n = 1002; n <= 1008; n++) {
    const creds = { username: String(n), password: `pw-${n}` };
    if (a.users.get(creds.username) === undefined) a.users.add(creds);
    else a.users.update(creds.username, { password: creds.password });
  }
  let closed = false;
  return {
    a,
    dir,
    mml: async (text) => (await a.mml.execute(text, 'test'))[0]!,
    server: () => ({ host: '127.0.0.1', udpPort: a.transport.udpPort }) as LabServer,
    close: async (keep = false) => {
      if (closed) return;
      closed = true;
      await a.stop();
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * openDialerLab inside a test: when the test finishes, any SIPp callee it left stopped and the lab closed
 * (a lab the test closed itself, with keep to reopen its folder, stays as the test left it).
 */
export async function testDialerLab(dir?: string): Promise<DialerLab> {
  const lab = await openDialerLab(dir);
  onTestFinished(async () => {
    await stopStrayCallees();
    await lab.close();
  });
  return lab;
}

export async function until(
  what: string,
  cond: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** How long `p` took, ms; rejects after `limitMs` (a hang fails the test at once, not at its timeout). */
export async function timed(p: Promise<unknown>, limitMs: number): Promise<number> {
  const start = Date.now();
  let t: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    t = setTimeout(() => reject(new Error(`still waiting after ${limitMs} ms`)), limitMs);
  });
  try {
    await Promise.race([p, limit]);
  } finally {
    clearTimeout(t);
  }
  return Date.now() - start;
}

export function campaignId(r: MmlResult): string {
  const m = /campaign (C\d+)/.exec(r.message);
  if (m === null) throw new Error(`no campaign id in: ${r.message}`);
  return m[1]!;
}

/**
 * A dialer lab for each test of the file, given to `set` (its dial service started when `started`), and
 * after each test closed, with any SIPp callee the test left.
 */
export function useDialerLab(set: (lab: DialerLab) => void, options: { started?: boolean } = {}): void {
  let lab: DialerLab | undefined;
  beforeEach(async () => {
    lab = await openDialerLab();
    set(lab);
    if (options.started === true) expect((await lab.mml('STR DIALSVC')).retcode).toBe(0);
  });
  afterEach(async () => {
    await stopStrayCallees();
    await lab?.close();
    lab = undefined;
  });
}
