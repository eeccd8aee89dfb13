// /healthz while the JavaScript heap is nearly full (fake heap figures, not a real OOM): 503 'degraded'
// naming the heap, and 'ok' again once it has room. Under --max-old-space-size=64 the server died of a
// fatal OOM with /healthz 'ok' and not one warning before.
import { afterEach, describe, expect, it } from 'vitest';
import type { HeapFigures } from '../../../core/observe/resource-watch';
import { startWeb, type WebFixture } from './web-fixture';

const MB = 1024 * 1024;
let f: WebFixture | undefined;

afterEach(async () => {
  await f?.stop();
  f = undefined;
});

describe('/healthz and the heap', () => {
  it('is degraded naming the heap while it is nearly full, ok again once it has room', async () => {
    const heap: HeapFigures = { oldUsed: 20 * MB, oldLimit: 64 * MB };
    f = await startWeb({}, { heap: () => heap });
    const health = async (): Promise<[number, unknown]> => {
      const res = await fetch(`${f!.base}/healthz`);
      return [res.status, ((await res.json()) as { status: string; problem?: string }).problem];
    };
    f.appliance.resources.check(1);
    expect(await health()).toEqual([200, undefined]);

    heap.oldUsed = 60 * MB;
    f.appliance.resources.check(1);
    expect(await health()).toEqual([
      503,
      expect.stringMatching(/^the JavaScript heap is nearly full: 60\.0 of 64\.0 MB in use \(94%\)/),
    ]);
    expect(f.appliance.logger.recent(10).map((r) => `${r.level} ${r.text}`)).toContainEqual(
      expect.stringMatching(/^WARNING the JavaScript heap is nearly full/),
    );

    heap.oldUsed = 30 * MB;
    f.appliance.resources.check(1);
    expect(await health()).toEqual([200, undefined]);
  });
});
