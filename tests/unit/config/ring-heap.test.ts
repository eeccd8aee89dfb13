// TRACE.RING_MB against V8's heap limit: a ring of 65,536 MB was taken under a heap of 96 MB (or 8 GB under
// the default 4 GB), and the ring filled the heap until V8 ended the process. A ring may take at most a
// quarter of heap_size_limit: more is refused at start (config.json) and by SET CFG (RETCODE 3), naming
// the limit and node --max-old-space-size; the default, under a small heap, is held to that quarter.
import { Settings, loadSettings } from '../../../core/config/settings';
import { ringLimitMB } from '../../../core/config/ring-heap';
import { RETCODE } from '../../../core/mml/command';
import { traceConfig } from '../../../core/trace/trace-settings';
import { describe, expect, it } from 'vitest';
import { dataDir, error } from './config-dirs';
import { openLab, run, useLabs } from '../mml/lab';
import { join } from 'node:path';

useLabs();

const MB = 1024 * 1024;
/** heap_size_limit under node --max-old-space-size=96. */
const HEAP_96 = 144 * MB;

describe('TRACE.RING_MB within the JavaScript heap', () => {
  it('allows a quarter of heap_size_limit', () => {
    expect(ringLimitMB(HEAP_96)).toBe(36);
    expect(ringLimitMB(4144 * MB)).toBe(1036);
  });

  it('refuses at start a config.json ring larger than a quarter of the heap, naming the file and key', () => {
    const dir = dataDir({ 'TRACE.RING_MB': 65536, 'TRACE.RING_MESSAGES': 10_000_000 });
    const e = error(() => loadSettings(dir, {}, HEAP_96));
    expect(e.message).toBe(
      `${join(dir, 'config.json')} TRACE.RING_MB: 65536 MB is more than the JavaScript heap can spare for the ` +
        "trace ring: at most 36 MB, a quarter of the heap's limit (144 MB, V8's heap_size_limit; " +
        'node --max-old-space-size=<MB> raises it)',
    );
    expect(loadSettings(dataDir({ 'TRACE.RING_MB': 36 }), {}, HEAP_96).int('TRACE.RING_MB')).toBe(36);
  });

  it('refuses SET CFG of a ring the heap cannot hold (RETCODE 3), nothing changed', async () => {
    const settings = new Settings();
    settings.heapSizeLimit = HEAP_96;
    const lab = openLab(undefined, settings);
    const r = await run(lab, 'SET CFG KEY=TRACE.RING_MB VALUE=65536');
    expect(r.retcode).toBe(RETCODE.PARAMETER_ERROR);
    expect(r.message).toContain(
      'Parameter VALUE: TRACE.RING_MB cannot be 65536: 65536 MB is more than the JavaScript heap',
    );
    expect(r.message).toContain('--max-old-space-size');
    expect(settings.int('TRACE.RING_MB')).toBe(64);
    expect((await run(lab, 'SET CFG KEY=TRACE.RING_MB VALUE=30')).retcode).toBe(0);
  });

  it('holds the default ring to a quarter of a small heap', () => {
    const s = loadSettings(dataDir(), {}, HEAP_96);
    expect(s.int('TRACE.RING_MB')).toBe(64);
    expect(traceConfig(s).ringMB).toBe(36);
    expect(traceConfig(loadSettings(dataDir(), {}, 4144 * MB)).ringMB).toBe(64);
  });
});
