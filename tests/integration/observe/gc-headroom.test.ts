// PERF.GC_HEADROOM_MB (core/observe/gc-headroom.ts): the appliance sets V8's growing factor from it when
// it starts, again at once when SET CFG changes it, and gives V8 its own policy back when it stops.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_GROWING_PERCENT } from '../../../core/observe/gc-headroom';
import { loopbackAppliance } from '../headless/loopback-appliance';
import { removeDataDir } from '../../support/lab-server';

describe('the appliance and PERF.GC_HEADROOM_MB', () => {
  it('applies the headroom at start, on SET CFG, and lets go of it at stop', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ims-gc-'));
    const appliance = loopbackAppliance(dataDir, [
      ['SIP.WARMUP_CALLS', 20],
      // 4 GB over any heap a test process has: the factor's cap.
      ['PERF.GC_HEADROOM_MB', 4096],
    ]);
    let stopped = false;
    try {
      const gc = appliance.gc;
      expect(gc.percent).toBe(0);
      await appliance.start();
      expect(gc.percent).toBe(MAX_GROWING_PERCENT);
      const setCfg = async (value: number): Promise<number> =>
        (await appliance.mml.execute(`SET CFG KEY=PERF.GC_HEADROOM_MB VALUE=${value}`, 'test'))[0]!.retcode;
      expect(await setCfg(0)).toBe(0);
      expect(gc.percent).toBe(0);
      expect(await setCfg(4096)).toBe(0);
      expect(gc.percent).toBe(MAX_GROWING_PERCENT);
      expect(await setCfg(-1)).not.toBe(0); // a bad value changes nothing
      expect(gc.percent).toBe(MAX_GROWING_PERCENT);
      await appliance.stop();
      stopped = true;
      expect(gc.percent).toBe(0);
    } finally {
      if (!stopped) await appliance.stop();
      removeDataDir(dataDir);
    }
  });
});
