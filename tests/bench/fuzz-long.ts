// The long fuzz run (not CI): DATAGRAMS mutated datagrams (default 1,000,000) and STREAMS mutated TCP
// connections (default 1,000, 20 messages each) against the running built server, seeded, paced and
// bounded in time. Reports: crashes (the server must stay up and exit 0), its answers by class, what it
// forwarded to the registered phone, and its memory: RSS, and the lowest V8 heap in use over 10 s (its
// /metrics; the floor is what GC noise does not blur), cold, warm (after WARMUP datagrams, default a
// tenth, and a settle), at the peak and at the end after a settle (transactions live 32 s;
// SETTLE_SECONDS, default 70). Flat means the end is where warm was.
//
//   npm run build && nice npx tsx tests/bench/fuzz-long.ts
//
// Environment: DATAGRAMS, STREAMS, SEED, AUTH=on (default: authentication off), RATE (datagrams/s,
// default 5000), MAX_SECONDS (default 1200: the run stops sending when it is reached, and says so),
// SETTLE_SECONDS, WARMUP. The server is stopped by its PID.
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { fuzzSeeds } from '../support/fuzz-seeds';
import { consoleUrl, removeDataDir, startLabServer } from '../support/lab-server';
import { mutate, rng } from '../support/mutate';
import { RegisteringUa, contactOf, openTcp, openUdp, requestBytes, responseTo } from '../support/sip-client';

const DATAGRAMS = Number(process.env.DATAGRAMS ?? 1_000_000);
const STREAMS = Number(process.env.STREAMS ?? 1_000);
const SEED = Number(process.env.SEED ?? 0x10f0221);
const RATE = Number(process.env.RATE ?? 5000);
const MAX_SECONDS = Number(process.env.MAX_SECONDS ?? 1200);
// A forwarded non-INVITE request's server transaction can live 64 s: Timer F (32 s) waiting for the
// phone that never answers, then Timer J (32 s). Settle past that.
const SETTLE_SECONDS = Number(process.env.SETTLE_SECONDS ?? 70);
/** Memory is read cold, once warm (after this many datagrams and a settle) and at the end. */
const WARMUP = Number(process.env.WARMUP ?? Math.round(DATAGRAMS / 10));

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
  return Math.round(Number(m?.[1] ?? 0) / 102.4) / 10;
}

/** The server's own figure for its V8 heap in use (its /metrics), in MB. */
async function heapMb(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const m = /^nodejs_heap_size_used_bytes (\d+)/m.exec(text);
  return Math.round(Number(m?.[1] ?? 0) / 104_857.6) / 10;
}

/** The lowest heap-in-use reading over `seconds` (one a second): close to what survives a GC. */
async function heapFloorMb(base: string, seconds = 10): Promise<number> {
  let low = Infinity;
  for (let i = 0; i < seconds; i++) {
    low = Math.min(low, await heapMb(base));
    await sleep(1000);
  }
  return low;
}

/** What the server still holds (its /metrics gauges): live calls, transactions, proxy contexts, bindings. */
async function held(base: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(
    /^(ims_(?:active_calls|transactions|proxy_contexts|registrations)(?:\{[^}]*\})?) (\d+)$/gm,
  ))
    out[m[1]!] = Number(m[2]);
  return out;
}

function classOf(data: Buffer): string {
  const line = data.toString('latin1', 0, Math.min(data.length, 16));
  const m = /^SIP\/2\.0 (\d)\d\d/.exec(line);
  return m ? `${m[1]}xx` : 'request';
}

async function main(): Promise<void> {
  const started = Date.now();
  const deadline = started + MAX_SECONDS * 1000;
  const server = await startLabServer({
    users: [
      { username: '5001', password: 'pw-5001' },
      { username: '5002', password: 'pw-5002' },
    ],
    // Authentication off (AUTH=on keeps it, lockout off): mutated requests reach the registrar's and
    // the proxy's deeper rules (forwarding, forking, Timer C) instead of stopping at the challenge.
    config:
      process.env.AUTH === 'on'
        ? { 'PROXY.TIMER_C': 2, 'AUTH.LOCKOUT_FAILURES': 0, 'AUTH.LOCKOUT_SOURCE_FAILURES': 0 }
        : { 'PROXY.TIMER_C': 2, 'AUTH.REGISTER': false, 'PROXY.AUTH_METHODS': '' },
  });
  const pid = server.pid;
  const report: Record<string, unknown> = { datagrams: DATAGRAMS, streams: STREAMS, seed: SEED, rate: RATE };
  try {
    // The phone of 5002: a bare socket that counts what the proxy forwards to it and never answers.
    const forwarded: Record<string, number> = {};
    const phone = createSocket('udp4');
    phone.on('message', (d: Buffer) => {
      const k = classOf(d) === 'request' ? d.toString('latin1', 0, d.indexOf(0x20)) : classOf(d);
      forwarded[k] = (forwarded[k] ?? 0) + 1;
    });
    await new Promise<void>((ok) => phone.bind(0, '127.0.0.1', () => ok()));
    const phonePort = phone.address().port;
    const registrar = await openUdp({ host: '127.0.0.1', port: server.udpPort });
    const ua = new RegisteringUa(registrar, { username: '5002', password: 'pw-5002' });
    const contact = [`<sip:5002@127.0.0.1:${phonePort}>`];
    const reg =
      process.env.AUTH === 'on'
        ? await ua.register(contact, 3600)
        : await ua.send({ contacts: contact, expires: 3600 });
    await registrar.close();
    if (reg.status !== 200) throw new Error(`the phone did not register: ${reg.status}`);
    await sleep(1000);
    const metrics = await consoleUrl(server);
    report.coldRssMb = rssMb(pid);
    report.coldHeapMb = await heapMb(metrics);

    // ---- datagrams
    const answers: Record<string, number> = {};
    const sender = createSocket('udp4');
    sender.on('message', (d) => {
      const k = classOf(d);
      answers[k] = (answers[k] ?? 0) + 1;
    });
    await new Promise<void>((ok) => sender.bind(0, '127.0.0.1', () => ok()));
    const base = fuzzSeeds(server.udpPort, phonePort);
    const rand = rng(SEED);
    const batch = Math.max(1, Math.round(RATE / 20)); // one batch every 50 ms
    let sent = 0;
    let peak = 0;
    let n = 0;
    for (; n < DATAGRAMS && Date.now() < deadline; n++) {
      const input = mutate(base[n % base.length]!, rand, base);
      if (input.length > 0) {
        sender.send(input, server.udpPort, '127.0.0.1');
        sent++;
      }
      if (n % batch === batch - 1) {
        await sleep(50);
        if (server.child.proc.exitCode !== null) throw new Error(`the server exited during datagram ${n}`);
      }
      if (n === WARMUP - 1) {
        // Warm: the same traffic has run for a while and its transactions have ended.
        await sleep(SETTLE_SECONDS * 1000);
        report.warmRssMb = rssMb(pid);
        report.warmHeapFloorMb = await heapFloorMb(metrics);
      }
      if (n % 100_000 === 99_999) {
        peak = Math.max(peak, rssMb(pid));
        process.stdout.write(
          `  ${n + 1} datagrams, ${Math.round((Date.now() - started) / 1000)} s, RSS ${rssMb(pid)} MB, heap ${await heapMb(metrics)} MB\n`,
        );
      }
    }
    report.datagramsSent = sent;
    report.datagramsStoppedByTime = n < DATAGRAMS;
    await sleep(2000);
    sender.close();
    report.answersByClass = answers;
    report.forwardedToPhone = forwarded;

    // ---- TCP streams
    const tcpRand = rng(SEED ^ 0x7c9);
    let streams = 0;
    for (let c = 0; c < STREAMS && Date.now() < deadline; c++) {
      const socket = connect(server.tcpPort, '127.0.0.1');
      const ok = await new Promise<boolean>((resolve) => {
        socket.once('connect', () => resolve(true));
        socket.once('error', () => resolve(false));
      });
      if (!ok) throw new Error(`TCP connection ${c} refused`);
      socket.on('error', () => undefined); // the server may close a connection whose framing broke
      for (let k = 0; k < 20; k++) socket.write(mutate(base[(c + k) % base.length]!, tcpRand, base));
      await sleep(10);
      socket.destroy();
      streams++;
      if (server.child.proc.exitCode !== null) throw new Error(`the server exited during stream ${c}`);
    }
    report.streamsSent = streams;
    peak = Math.max(peak, rssMb(pid));
    report.rssPeakMb = peak;

    // ---- still serving, then settled memory
    const probe = await openUdp({ host: '127.0.0.1', port: server.udpPort });
    probe.send(requestBytes(probe, { method: 'OPTIONS', cseq: 1, user: '5001', callId: 'long-probe' }));
    report.optionsAfter = (await responseTo(probe, 1)).status;
    const tcp = await openTcp({ host: '127.0.0.1', port: server.tcpPort });
    // 5001 may hold REG.MAX_CONTACTS bindings from mutated REGISTERs by now: clear them first (§10.2.2).
    const again = new RegisteringUa(tcp, { username: '5001', password: 'pw-5001' });
    const auth = process.env.AUTH === 'on';
    const clear = { contacts: ['*'], expires: 0 };
    report.unregisterAllOverTcpAfter = (auth ? await again.request(clear) : await again.send(clear)).status;
    const after = auth
      ? await again.register([contactOf(tcp, '5001')], 60)
      : await again.send({ contacts: [contactOf(tcp, '5001')], expires: 60 });
    report.registerOverTcpAfter = `${after.status} ${after.reasonText}`;
    await tcp.close();
    await probe.close();
    await sleep(SETTLE_SECONDS * 1000);
    report.endRssMb = rssMb(pid);
    report.endHeapFloorMb = await heapFloorMb(metrics);
    report.heldAtEnd = await held(metrics);
    phone.close();
    const output = server.child.output();
    report.faultsLogged = (output.match(/\[ERROR|uncaught|TypeError|RangeError/gi) ?? []).length;
    report.exitCode = await server.stop();
    report.crashes = report.exitCode === 0 ? 0 : 1;
  } finally {
    if (server.child.proc.exitCode === null) await server.stop();
    removeDataDir(server.dataDir);
  }
  report.seconds = Math.round((Date.now() - started) / 1000);
  process.stdout.write(`SUMMARY ${JSON.stringify(report)}\n`);
  if (report.crashes !== 0 || report.faultsLogged !== 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
