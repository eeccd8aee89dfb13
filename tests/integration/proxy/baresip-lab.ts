// A built IMS Lab server and a folder for baresip phones, for a describe block of real-phone tests: the
// server started before its tests with the given users and settings, a tone file in the folder, and at
// the end every phone stopped, the server stopped (exit 0) and both folders removed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';
import { writeToneWav, type BaresipUa } from './baresip-ua';

export interface BaresipLab {
  readonly server: LabServer;
  /** The phones' folder (each phone a subfolder), with tone.wav in it. */
  readonly dir: string;
  /** Phones started by the tests, stopped after them. */
  readonly phones: BaresipUa[];
}

export function useBaresipLab(
  name: string,
  options: Parameters<typeof startLabServer>[0],
  toneSeconds: number,
): BaresipLab {
  let server: LabServer | undefined;
  let dir: string | undefined;
  const phones: BaresipUa[] = [];
  beforeAll(async () => {
    server = await startLabServer(options);
    dir = mkdtempSync(join(tmpdir(), `ims-${name}-`));
    writeToneWav(join(dir, 'tone.wav'), toneSeconds);
  });
  afterAll(async () => {
    for (const p of phones) await p.stop();
    if (server !== undefined) {
      expect(await server.stop()).toBe(0);
      removeDataDir(server.dataDir);
    }
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });
  return {
    get server() {
      return server!;
    },
    get dir() {
      return dir!;
    },
    phones,
  };
}
