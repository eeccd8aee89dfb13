// Next hops' names kept a while (host-cache.ts): every request to a name asked getaddrinfo again, and a
// slow or dead lab DNS cost every call its full delay, two at a time (libuv lets DNS use 2 threads).
// Answers are kept POSITIVE_MS, failures NEGATIVE_MS, lookups of a name under way shared, the entries
// capped. A lookup the test answers, and a fake clock.
import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { HostCache, NEGATIVE_MS, POSITIVE_MS } from '../../../../core/sip/transport/host-cache';

function heldLookup() {
  const asked: { host: string; resolve: (a: LookupAddress[]) => void; reject: (e: Error) => void }[] = [];
  const lookup = (host: string): Promise<LookupAddress[]> =>
    new Promise((resolve, reject) => asked.push({ host, resolve, reject }));
  return { asked, lookup };
}

const A: LookupAddress[] = [{ address: '192.0.2.7', family: 4 }];
const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('the host name cache', () => {
  it('asks once for lookups of a name under way, and keeps the answer POSITIVE_MS', async () => {
    const clock = { now: 0 };
    const { asked, lookup } = heldLookup();
    const cache = new HostCache({ lookup, now: () => clock.now });
    const first = cache.lookup('slow.lab');
    const second = cache.lookup('SLOW.lab');
    expect(asked).toHaveLength(1);
    asked[0]!.resolve(A);
    expect(await first).toEqual(A);
    expect(await second).toEqual(A);
    clock.now = POSITIVE_MS - 1;
    expect(await cache.lookup('slow.lab')).toEqual(A);
    expect(asked).toHaveLength(1);
    clock.now = POSITIVE_MS;
    void cache.lookup('slow.lab');
    expect(asked).toHaveLength(2); // expired: asked again
  });

  it('keeps a failure NEGATIVE_MS: the same error at once, then asked again', async () => {
    const clock = { now: 0 };
    const { asked, lookup } = heldLookup();
    const cache = new HostCache({ lookup, now: () => clock.now });
    const failing = cache.lookup('dead.lab');
    const err = Object.assign(new Error('getaddrinfo EAI_AGAIN dead.lab'), { code: 'EAI_AGAIN' });
    asked[0]!.reject(err);
    await expect(failing).rejects.toBe(err);
    clock.now = NEGATIVE_MS - 1;
    await expect(cache.lookup('dead.lab')).rejects.toBe(err);
    expect(asked).toHaveLength(1);
    clock.now = NEGATIVE_MS;
    const again = cache.lookup('dead.lab');
    expect(asked).toHaveLength(2);
    asked[1]!.resolve(A);
    expect(await again).toEqual(A);
  });

  it('keeps at most maxEntries names, the oldest dropped first', async () => {
    const { asked, lookup } = heldLookup();
    const cache = new HostCache({ lookup, now: () => 0, maxEntries: 2 });
    for (const host of ['a.lab', 'b.lab', 'c.lab']) {
      const p = cache.lookup(host);
      asked.at(-1)!.resolve(A);
      await p;
    }
    expect(cache.size).toBe(2);
    await cache.lookup('c.lab');
    await cache.lookup('b.lab');
    expect(asked).toHaveLength(3);
    void cache.lookup('a.lab');
    expect(asked).toHaveLength(4);
    await settle();
  });
});
