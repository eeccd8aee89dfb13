// REGISTER throughput over UDP, TCP and TLS side by side, with one generator for all three (Debian's
// SIPp has no TLS): the built server on free ports, N users imported, then for each transport C
// channels (UDP sockets, TCP or TLS connections, opened before timing) each registering in a closed
// loop (REGISTER -> 401 -> REGISTER with Authorization -> 200, IMS Lab's own digest client) for D
// seconds. Prints registrations/s, p50/p99 latency and the server's CPU per transport, then `SUMMARY
// {json}`. Bounded: D seconds per transport, every request answered within 5 s or the run fails; the
// server is stopped by its PID.
//
//   npx tsx tests/bench/register-transports.ts        (env: CHANNELS=20 SECONDS=5 USERS=200)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RegisteringUa, openTcp, openUdp, type SipChannel } from '../support/sip-client';
import { openTls } from '../support/secure-channels';

const ROOT = resolve(__dirname, '../..');
const SERVER = join(ROOT, 'out/core/server.js');
const CHANNELS = Number(process.env.CHANNELS ?? 20);
const SECONDS = Number(process.env.SECONDS ?? 5);
const USERS = Number(process.env.USERS ?? 200);

function cpuTicks(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(f[11]) + Number(f[12]); // utime + stime (fields 14, 15)
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ims-bench-transports-'));
  const users = Array.from({ length: USERS }, (_, i) => ({
    username: String(200000 + i),
    password: `pw${i}`,
  }));
  writeFileSync(join(dir, 'users.json'), JSON.stringify(users));
  const env = {
    ...process.env,
    IMS_DATA_DIR: dir,
    SIP_HOST: '127.0.0.1',
    SIP_PORT: '0',
    HTTP_PORT: '0',
    SIP_WS_PORT: '0',
    SIP_WSS_PORT: '0',
    LOG_LEVEL: 'WARNING',
  };
  const imported = spawn(process.execPath, [SERVER, 'users', 'import', join(dir, 'users.json')], {
    env,
    stdio: 'ignore',
  });
  await new Promise((r) => imported.once('exit', r));
  const server = spawn(process.execPath, [SERVER], {
    env: { ...env, LOG_LEVEL: 'INFO' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const line = await new Promise<string>((res, rej) => {
    const t = setTimeout(() => rej(new Error(`server did not start:\n${out}`)), 15_000);
    server.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /SIP on \S+ UDP \d+[^\n]*/.exec(out);
      if (m) {
        clearTimeout(t);
        res(m[0]);
      }
    });
  });
  const udp = Number(/UDP (\d+)/.exec(line)![1]);
  const tls = Number(/TLS (\d+)/.exec(line)![1]);
  const pid = server.pid!;
  const results: Record<string, unknown>[] = [];
  try {
    for (const transport of ['UDP', 'TCP', 'TLS'] as const) {
      const target = { host: '127.0.0.1', port: transport === 'TLS' ? tls : udp };
      const channels: SipChannel[] = [];
      for (let i = 0; i < CHANNELS; i++)
        channels.push(
          transport === 'UDP'
            ? await openUdp(target)
            : transport === 'TCP'
              ? await openTcp(target)
              : await openTls(target),
        );
      const latencies: number[] = [];
      const t0 = Date.now();
      const c0 = cpuTicks(pid);
      const end = t0 + SECONDS * 1000;
      await Promise.all(
        channels.map(async (ch, i) => {
          const u = users[i % USERS]!;
          const ua = new RegisteringUa(ch, u);
          const contact = `<sip:${u.username}@${ch.localHost}:${ch.localPort};transport=${transport.toLowerCase()}>`;
          while (Date.now() < end) {
            const s = process.hrtime.bigint();
            const res = await ua.register([contact], 3600);
            if (res.status !== 200) throw new Error(`${transport}: ${res.status} ${res.reasonText}`);
            latencies.push(Number(process.hrtime.bigint() - s) / 1e6);
          }
        }),
      );
      const wall = (Date.now() - t0) / 1000;
      const cpu = (cpuTicks(pid) - c0) / 100 / wall;
      for (const ch of channels) await ch.close();
      latencies.sort((a, b) => a - b);
      const pct = (p: number): number =>
        Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]! * 10) / 10;
      const r = {
        transport,
        channels: CHANNELS,
        registrations: latencies.length,
        per_second: Math.round(latencies.length / wall),
        p50_ms: pct(0.5),
        p99_ms: pct(0.99),
        server_cpu_cores: Math.round(cpu * 100) / 100,
      };
      results.push(r);
      process.stderr.write(
        `${transport}: ${r.per_second} registrations/s (${r.registrations} in ${wall.toFixed(1)} s, ${CHANNELS} channels) p50 ${r.p50_ms} ms p99 ${r.p99_ms} ms, server ${r.server_cpu_cores} cores\n`,
      );
      await new Promise((r2) => setTimeout(r2, 1000));
    }
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`SUMMARY ${JSON.stringify(results)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
