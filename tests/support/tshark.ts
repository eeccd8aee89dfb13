// tshark (Wireshark's command line, Debian's 4.0) in tests: reading a pcap file into rows of fields, and
// capturing loopback traffic during a test, stopped by its PID. HEP is read with tests/support/hep3.lua
// (tshark 4.0 has no HEP dissector of its own). Tests that need it skip, saying so, without it.
import { spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const TSHARK = process.env.TSHARK ?? '/usr/bin/tshark';
export const HAS_TSHARK = existsSync(TSHARK);
export const HEP_LUA = fileURLToPath(new URL('./hep3.lua', import.meta.url));

if (!HAS_TSHARK)
  process.stderr.write(`[tshark] ${TSHARK} not found (apt-get install tshark): trace tests are skipped\n`);

export interface ReadOptions {
  /** Display filter, e.g. "sip". */
  filter?: string;
  /** Decode HEP on this UDP port (with hep3.lua). */
  hepPort?: number;
  /** Have tshark validate the IPv4, UDP and TCP checksums (their *.checksum.status fields). */
  checksums?: boolean;
  /** Decode a port as a protocol, e.g. "udp.port==20000,rtp". */
  decodeAs?: string;
}

/** Runs tshark -r on a file and returns one array of field values per packet (tab-separated output). */
export function readPcap(file: string, fields: string[], options: ReadOptions = {}): string[][] {
  const args = ['-r', file, '-n', '-T', 'fields', '-E', 'occurrence=f'];
  if (options.hepPort !== undefined)
    args.push('-X', `lua_script:${HEP_LUA}`, '-d', `udp.port==${options.hepPort},hep3`);
  if (options.checksums === true)
    for (const p of ['ip', 'udp', 'tcp']) args.push('-o', `${p}.check_checksum:TRUE`);
  if (options.decodeAs !== undefined) args.push('-d', options.decodeAs);
  if (options.filter !== undefined) args.push('-Y', options.filter);
  for (const f of fields) args.push('-e', f);
  const r = spawnSync(TSHARK, args, { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`tshark ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
}

export interface LoopbackCapture {
  /** The loopback port the readiness probes were sent to (they are in the file). */
  probePort: number;
  /** Stops tshark (SIGINT by PID) and resolves once the file is complete. */
  stop(): Promise<void>;
}

/**
 * Captures loopback packets matching a BPF filter into `file`; resolves once the capture is seen to
 * work: tshark's "Capturing on" comes before the capture really starts (and later under load), so a
 * probe datagram is sent to a port of our own, added to the filter, until tshark prints it (-P -l).
 * The probes stay in the file, on `probePort`; readers filter by their own ports.
 */
export async function captureLoopback(file: string, bpf: string): Promise<LoopbackCapture> {
  const probe = createSocket('udp4');
  await new Promise<void>((resolve) => probe.bind(0, '127.0.0.1', resolve));
  const probePort = probe.address().port;
  const proc = spawn(
    TSHARK,
    ['-i', 'lo', '-n', '-l', '-P', '-f', `(${bpf}) or (udp port ${probePort})`, '-w', file],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let err = '';
  let out = '';
  const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  try {
    await new Promise<void>((resolve, reject) => {
      const sender = setInterval(() => probe.send('probe', probePort, '127.0.0.1'), 100);
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        done(new Error(`tshark did not capture its probe in 30 s: ${err}`));
      }, 30_000);
      const done = (e?: Error): void => {
        clearInterval(sender);
        clearTimeout(timer);
        if (e === undefined) resolve();
        else reject(e);
      };
      // Packet summaries on stdout ("… → 127.0.0.1 UDP 47 1234 → 1234 Len=5"); read, then dropped.
      proc.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes(` ${probePort} `)) done();
      });
      proc.on('exit', () => done(new Error(`tshark exited: ${err}`)));
    });
  } finally {
    probe.close();
  }
  proc.stdout.removeAllListeners('data');
  proc.stdout.resume(); // keep draining the summaries so that tshark never blocks on a full pipe
  return {
    probePort,
    stop: async () => {
      // Let the last packets reach the capture before stopping it.
      await new Promise((r) => setTimeout(r, 300));
      if (proc.pid !== undefined && proc.exitCode === null) process.kill(proc.pid, 'SIGINT');
      const timer = setTimeout(
        () => proc.pid !== undefined && proc.exitCode === null && process.kill(proc.pid, 'SIGKILL'),
        10_000,
      );
      await exited;
      clearTimeout(timer);
      if (!existsSync(file)) throw new Error(`tshark wrote no capture: ${err}`);
    },
  };
}
