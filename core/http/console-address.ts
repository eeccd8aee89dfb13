// Where the running console listens, in <data>/console-address.json ({"host": "0.0.0.0", "port": 8888}),
// written once it listens and removed at a clean stop: the Docker HEALTHCHECK asks /healthz there. It read
// config.json's HTTP.PORT, which SET CFG + SAVE CFG change before a restart applies them, and a healthy
// container was marked unhealthy (and restarted by an orchestrator) for a port nothing listened on yet.
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const CONSOLE_ADDRESS_FILE = 'console-address.json';

/** Writes the file (through a temporary one and a rename: a check never reads half of it). */
export function writeConsoleAddress(dataDir: string, host: string, port: number): void {
  const file = join(dataDir, CONSOLE_ADDRESS_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, `${JSON.stringify({ host, port, pid: process.pid })}\n`);
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * Removes it (a start's stale one, or at a clean stop). What cannot be removed is left: a folder this
 * user may not write is named by the start's own check of it, not by this file.
 */
export function removeConsoleAddress(dataDir: string): void {
  try {
    rmSync(join(dataDir, CONSOLE_ADDRESS_FILE), { force: true });
  } catch {
    // the data folder's checks say what is wrong with it
  }
}
