// Host names' addresses, kept a while (a next hop named by a host: a Route, a Path, a relayed
// Request-URI). Without it every request to a name asked getaddrinfo again, and Node runs getaddrinfo on
// libuv's thread pool, where DNS may use only 2 of its 4 threads: a lab DNS taking 3 s made every call
// to a P-CSCF named in a Path wait 3 s, and two lookups of a name nobody answers (10 s each, glibc's
// 5 s x 2) held every other lookup behind them. Now:
//  - an answer is kept POSITIVE_MS (getaddrinfo gives no TTL, so a short fixed time stands in for it);
//  - a failure is kept NEGATIVE_MS (RFC 2308 §5 negative caching, made short for a lab's DNS being fixed);
//  - lookups of one name while one is under way share it (one getaddrinfo, one answer for all);
//  - at most MAX_ENTRIES names are kept, the oldest dropped first.
import type { LookupAddress } from 'node:dns';
import type { HostLookup } from './host-addresses';

/** How long a name's addresses are kept. */
export const POSITIVE_MS = 30_000;
/** How long a name that did not resolve is answered so without asking again. */
export const NEGATIVE_MS = 5_000;
/** The names kept at most. */
export const MAX_ENTRIES = 1000;

interface Entry {
  expires: number;
  addresses?: readonly LookupAddress[];
  error?: unknown;
}

export interface HostCacheOptions {
  /** Where answers come from (the system resolver). */
  lookup: HostLookup;
  /** A monotonic clock in ms (performance.now by default). */
  now?: () => number;
  positiveMs?: number;
  negativeMs?: number;
  maxEntries?: number;
}

export class HostCache {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<readonly LookupAddress[]>>();
  private readonly source: HostLookup;
  private readonly now: () => number;
  private readonly positiveMs: number;
  private readonly negativeMs: number;
  private readonly maxEntries: number;

  constructor(options: HostCacheOptions) {
    this.source = options.lookup;
    this.now = options.now ?? (() => performance.now());
    this.positiveMs = options.positiveMs ?? POSITIVE_MS;
    this.negativeMs = options.negativeMs ?? NEGATIVE_MS;
    this.maxEntries = options.maxEntries ?? MAX_ENTRIES;
  }

  /** The names kept now (expired ones included until they are asked for or pushed out). */
  get size(): number {
    return this.entries.size;
  }

  /** A HostLookup answering from the cache (bound: pass it as it is). */
  readonly lookup: HostLookup = (host) => {
    const key = host.toLowerCase();
    const kept = this.entries.get(key);
    if (kept !== undefined) {
      if (this.now() < kept.expires) {
        return kept.addresses !== undefined
          ? Promise.resolve(kept.addresses)
          : Promise.reject(kept.error as Error);
      }
      this.entries.delete(key);
    }
    const underway = this.pending.get(key);
    if (underway !== undefined) return underway;
    const asked = this.source(host).then(
      (addresses) => {
        this.settle(key, { expires: this.now() + this.positiveMs, addresses });
        return addresses;
      },
      (error: unknown) => {
        this.settle(key, { expires: this.now() + this.negativeMs, error });
        throw error;
      },
    );
    this.pending.set(key, asked);
    return asked;
  };

  private settle(key: string, entry: Entry): void {
    this.pending.delete(key);
    this.entries.delete(key); // re-inserted last: the newest
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    this.entries.set(key, entry);
  }
}
