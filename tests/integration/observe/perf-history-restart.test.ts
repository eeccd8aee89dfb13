// The Performance and Overview charts keep their minutes across a clean restart: the built server,
// stopped with SIGTERM and started again on the same data folder, answers the console's perf snapshot
// with the samples of the run before it first (perf-history-file.ts).
import { afterAll, describe, expect, it } from 'vitest';
import { HAS_BUILD } from '../../support/processes';
import { consoleUrl, removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';
import { Console, login } from '../../support/console-client';

const PASSWORD = 'perf-history-test';

/** The sample times of the perf snapshot, once there are at least `n`. */
async function sampleTimes(server: LabServer, n: number): Promise<number[]> {
  const base = await consoleUrl(server);
  const c = await Console.open(base, await login(base, PASSWORD));
  try {
    for (const until = Date.now() + 10_000; ;) {
      const snap = await c.request({ op: 'snapshot', name: 'perf' });
      const samples = (snap.result as { samples: { at: number }[] }).samples;
      if (samples.length >= n || Date.now() > until) return samples.map((s) => s.at);
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    c.ws.close();
  }
}

describe.skipIf(!HAS_BUILD)('performance history across a restart', () => {
  let server: LabServer | undefined;

  afterAll(async () => {
    if (server === undefined) return;
    await server.stop();
    removeDataDir(server.dataDir);
  });

  it('SIGTERM, start again: the samples of the run before come first', async () => {
    const env = { IMS_ADMIN_PASSWORD: PASSWORD };
    server = await startLabServer({ env });
    const before = await sampleTimes(server, 3);
    expect(before.length).toBeGreaterThanOrEqual(3);
    expect(await server.stop()).toBe(0);
    server = await startLabServer({ env, dataDir: server.dataDir });
    const after = await sampleTimes(server, before.length + 1);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after[before.length]!).toBeGreaterThan(before.at(-1)!);
  });
});
