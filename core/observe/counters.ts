// Monotonic counters with one optional label, cheap enough for the SIP hot path (a Map increment).
// The metrics endpoint and DSP PERF read them; nothing here knows about Prometheus text.

export class Counter {
  private readonly values = new Map<string, number>();

  constructor(
    readonly name: string,
    readonly help: string,
    /** The label's name, e.g. "method"; undefined for an unlabelled counter. */
    readonly label?: string,
  ) {}

  inc(labelValue = '', by = 1): void {
    this.values.set(labelValue, (this.values.get(labelValue) ?? 0) + by);
  }

  get(labelValue = ''): number {
    return this.values.get(labelValue) ?? 0;
  }

  total(): number {
    let t = 0;
    for (const v of this.values.values()) t += v;
    return t;
  }

  entries(): [string, number][] {
    return [...this.values.entries()];
  }
}

/** All counters of one appliance, by name. */
export class CounterSet {
  private readonly counters = new Map<string, Counter>();

  counter(name: string, help: string, label?: string): Counter {
    let c = this.counters.get(name);
    if (c === undefined) {
      c = new Counter(name, help, label);
      this.counters.set(name, c);
    }
    return c;
  }

  all(): Counter[] {
    return [...this.counters.values()];
  }
}
