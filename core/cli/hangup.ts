// Whether the server keeps running on SIGHUP: `nohup node out/core/server.js &` from an SSH session lost
// the appliance, and every call up, when the session closed, because the server's own SIGHUP handler (a
// clean stop) took the place of the "ignore" nohup asked for. POSIX nohup: the utility "shall be invoked
// with SIGHUP ignored". Node resets every inherited disposition to the default before any script runs
// (node.cc PlatformInit), so the "ignore" itself cannot be read; what GNU nohup leaves behind can: started
// from a terminal, it gives the program /dev/null as standard input opened write-only ("nohup: ignoring
// input"), which nothing else does. Linux only (/proc); elsewhere, and started otherwise, SIGHUP stops the
// server cleanly as before. The inherited SigIgn is read too, for a runtime that keeps it.
import { readFileSync, readlinkSync } from 'node:fs';

/** The two reads, replaced in tests. */
export interface ProcFiles {
  read(path: string): string;
  link(path: string): string;
}

const PROC: ProcFiles = {
  read: (path) => readFileSync(path, 'utf8'),
  link: (path) => readlinkSync(path),
};

/** Why SIGHUP is to be ignored ('nohup', 'SIGHUP ignored at start'), or undefined when it stops the server. */
export function hangupIgnored(platform = process.platform, proc: ProcFiles = PROC): string | undefined {
  if (platform !== 'linux') return undefined;
  try {
    // SigIgn: the signals ignored, a hex mask whose bit 0 is signal 1, SIGHUP.
    const ignored = /^SigIgn:\s*([0-9a-f]+)$/im.exec(proc.read('/proc/self/status'));
    if (ignored && (parseInt(ignored[1]!.slice(-1), 16) & 1) === 1) return 'SIGHUP ignored at start';
    if (proc.link('/proc/self/fd/0') !== '/dev/null') return undefined;
    // The flags are octal; the access mode is the low two bits: 1, O_WRONLY.
    const flags = /^flags:\s*([0-7]+)$/m.exec(proc.read('/proc/self/fdinfo/0'));
    return flags && (parseInt(flags[1]!, 8) & 3) === 1 ? 'started by nohup' : undefined;
  } catch {
    return undefined; // no /proc: as elsewhere
  }
}
