// The dialer benchmark: how many simultaneous dialer calls, each streaming 50 RTP packets a second,
// keep the p99 deviation of packet send times from their 20 ms grid under 2 ms with no packet lost on
// the loopback; alone, and while the proxy handles 1,000 REGISTER/s from SIPp. The appliance runs in
// this process (the media clock shares its event loop with the SIP stack, as in production); one SIPp
// UAS with -rtp_echo answers every callee number (all registered to its port) and echoes the RTP.
//
//   npm run bench:dialer          STEPS="100 250 500" SECONDS=15 REGISTER_RATE=1000 nice -n 5 ...
//
// Prints one line per step and, last, `SUMMARY {json}`. Bounded: every SIPp has -m / -timeout and is
// killed by PID at the end; each step ends with its campaign.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Appliance } from '../../core/appliance';
import { Settings } from '../../core/config/settings';
import { RegisteringUa, openUdp } from '../support/sip-client';
import { freePort } from '../support/sipp';

const STEPS = (process.env.STEPS ?? '100 250 500').split(/\s+/).filter(Boolean).map(Number);
const SECONDS = Number(process.env.SECONDS ?? 15);
const REGISTER_RATE = Number(process.env.REGISTER_RATE ?? 1000);
const SIPP = process.env.SIPP ?? '/usr/bin/sipp';
const FIRST = 50000;

/** Send lateness histogram: 0.05 ms buckets up to 200 ms. */
class Histogram {
  readonly buckets = new Uint32Array(4001);
  count = 0;
  max = 0;
  add(ms: number): void {
    const i = Math.min(4000, Math.max(0, Math.round(ms * 20)));
    this.buckets[i]!++;
    this.count++;
    if (ms > this.max) this.max = ms;
  }
  percentile(p: number): number {
    const want = Math.ceil((p / 100) * this.count);
    let seen = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      seen += this.buckets[i]!;
      if (seen >= want) return i / 20;
    }
    return this.max;
  }
}

function sipp(args: string[], cwd: string): ChildProcess {
  const p = spawn(SIPP, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  p.once('error', (e) => console.error(`sipp did not start: ${e.message}`));
  let err = '';
  p.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
  p.once('exit', (code, signal) => {
    if (signal !== 'SIGKILL') console.error(`sipp ${args[2]} exited ${code ?? signal}: ${err.trim()}`);
  });
  return p;
}

function exited(p: ChildProcess): Promise<void> {
  return p.exitCode !== null || p.signalCode !== null
    ? Promise.resolve()
    : new Promise((r) => p.once('exit', () => r()));
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dialer-bench-i13-'));
  const s = new Settings();
  s.set('SIP.HOST', '127.0.0.1');
  s.set('SIP.PORT', 0);
  s.set('SIP.TCP', false);
  s.set('LOG.LEVEL', 'WARNING');
  s.set('AUTH.LOCKOUT_FAILURES', 0);
  s.set('DIALER.LOCAL_PORT', 0);
  s.set('DIALER.RTP_PORT_MIN', 40000);
  s.set('DIALER.RTP_PORT_MAX', 49999);
  s.set('DIALER.RING_TIMEOUT', 30);
  const a = new Appliance({ dataDir: dir, settings: s, console: false });
  await a.start();
  const target = { host: '127.0.0.1', port: a.transport.udpPort };
  const max = Math.max(...STEPS);
  for (let i = 0; i < max; i++) a.users.add({ username: String(FIRST + i), password: 'pw' });
  const loadUsers = 2000;
  for (let i = 0; i < loadUsers; i++) a.users.add({ username: String(70000 + i), password: 'pw' });

  // The callee: one SIPp UAS answering every call and echoing its RTP, registered as every number.
  const uasPort = await freePort();
  const mediaPort = await freePort();
  const uas = sipp(
    [
      `${target.host}:${target.port}`,
      '-sf',
      join(process.cwd(), 'tests/sipp/proxy_uas_answer.xml'),
      '-i',
      '127.0.0.1',
      '-p',
      String(uasPort),
      '-mi',
      '127.0.0.1',
      '-mp',
      String(mediaPort),
      '-rtp_echo',
      '-d',
      '0',
      '-m',
      '100000',
      '-timeout',
      String(60 + STEPS.length * 2 * (SECONDS + 30)),
      '-nostdin',
    ],
    dir,
  );
  void uas;
  await new Promise((r) => setTimeout(r, 1000));
  const ch = await openUdp(target);
  for (let i = 0; i < max; i++) {
    const ua = new RegisteringUa(ch, { username: String(FIRST + i), password: 'pw' });
    const res = await ua.register([`<sip:${FIRST + i}@127.0.0.1:${uasPort}>`], 3600);
    if (res.status !== 200) throw new Error(`register ${FIRST + i}: ${res.status}`);
  }
  await ch.close();
  console.error(`registered ${max} callees at SIPp :${uasPort}`);
  const started = await a.mml.execute('STR DIALSVC', 'bench');
  if (started[0]!.retcode !== 0) throw new Error(started[0]!.message);

  const inf = join(dir, 'load.csv');
  writeFileSync(
    inf,
    `SEQUENTIAL\n${Array.from({ length: loadUsers }, (_, i) => `${70000 + i};[authentication username=${70000 + i} password=pw]`).join('\n')}\n`,
  );

  const results: Record<string, unknown>[] = [];
  for (const withLoad of [false, true]) {
    for (const n of STEPS) {
      const hist = new Histogram();
      a.dialer.sendProbe = (ms) => hist.add(ms);
      let load: ChildProcess | undefined;
      if (withLoad) {
        const total = REGISTER_RATE * (SECONDS + 10);
        load = sipp(
          [
            `${target.host}:${target.port}`,
            '-sf',
            join(process.cwd(), 'tests/sipp/register_auth.xml'),
            '-inf',
            inf,
            '-key',
            'expires',
            '300',
            '-i',
            '127.0.0.1',
            '-p',
            String(await freePort()),
            '-r',
            String(REGISTER_RATE),
            '-m',
            String(total),
            '-l',
            '2000',
            '-timeout',
            String(SECONDS + 40),
            '-nostdin',
          ],
          dir,
        );
        await new Promise((r) => setTimeout(r, 1000));
      }
      // The event loop's own delay over the step: what the host (other processes) and the appliance's
      // other work impose on every timer, the media clock's included.
      const loop = monitorEventLoopDelay({ resolution: 1 });
      loop.enable();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const rate = Math.min(200, n);
      const r = (
        await a.mml.execute(
          `STR CALL BATCH NUMBERS=${FIRST}-${FIRST + n - 1} CONCURRENCY=${n} RATE=${rate} DURATION=${SECONDS}`,
          'bench',
        )
      )[0]!;
      if (r.retcode !== 0) throw new Error(r.message);
      const id = /campaign (C\d+)/.exec(r.message)![1]!;
      console.error(`step ${n} calls${withLoad ? ` under ${REGISTER_RATE} REGISTER/s` : ''}: ${id}`);
      let polls = 0;
      while (a.dialer.campaign(id)!.state === 'running') {
        await new Promise((res) => setTimeout(res, 200));
        if (++polls % 50 === 0) {
          const c = a.dialer.campaign(id)!;
          console.error(
            `  ${c.figures.completed}/${c.total} done, ${c.inProgress} up, ${JSON.stringify(c.figures.byCode)} ${JSON.stringify(c.live.slice(0, 2))}`,
          );
        }
      }
      const wall = performance.now() - t0;
      loop.disable();
      const cpu = process.cpuUsage(cpu0);
      if (load !== undefined) {
        load.kill('SIGKILL');
        await exited(load);
      }
      const f = a.dialer.campaign(id)!.figures;
      const row = {
        calls: n,
        registerLoad: withLoad ? REGISTER_RATE : 0,
        answered: f.answered,
        failed: f.failed,
        packets: hist.count,
        p50Ms: hist.percentile(50),
        p99Ms: hist.percentile(99),
        maxMs: Number(hist.max.toFixed(2)),
        loopDelayP99Ms: Number((loop.percentile(99) / 1e6).toFixed(2)),
        rtpSent: f.rtpSent,
        rtpReceived: f.rtpReceived,
        rtpLost: f.rtpLost,
        cpuPercent: Number((((cpu.user + cpu.system) / 1000 / wall) * 100).toFixed(1)),
        load1: Number(loadavg()[0]!.toFixed(2)),
        ok: f.answered === n && hist.percentile(99) < 2 && f.rtpLost === 0,
      };
      results.push(row);
      console.log(JSON.stringify(row));
      await new Promise((res) => setTimeout(res, 2000));
    }
  }
  a.dialer.sendProbe = undefined;
  await a.mml.execute('STP DIALSVC', 'bench');
  uas.kill('SIGKILL');
  await exited(uas);
  await a.stop();
  rmSync(dir, { recursive: true, force: true });
  const best = (load: boolean): number =>
    Math.max(
      0,
      ...results.filter((x) => x.ok && (x.registerLoad !== 0) === load).map((x) => x.calls as number),
    );
  console.log(
    `SUMMARY ${JSON.stringify({ bestCalls: best(false), bestCallsUnderRegisterLoad: best(true), steps: results })}`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
