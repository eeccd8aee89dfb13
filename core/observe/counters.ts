// Monotonic counters with one optional label, cheap enough for the SIP hot path (a Map increment).
// The metrics endpoint and DSP PERF read them; nothing here knows about Prometheus text.

/**
 * Label values come from the network (a method name, a status code): past this many distinct values a
 * counter files new ones under OTHER_LABEL, so that garbage methods cannot grow memory (or /metrics)
 * without bound.
 */
export const MAX_LABEL_VALUES = 64;
export const OTHER_LABEL = 'other';

/**
 * Label values that always get their own series, past the cap too: the SIP methods of the RFCs and the
 * status codes (a bounded set). A fuzzer's 64 made-up methods no longer hide SUBSCRIBE or PRACK.
 */
const STANDARD =
  /^(?:INVITE|ACK|BYE|CANCEL|OPTIONS|REGISTER|PRACK|SUBSCRIBE|NOTIFY|PUBLISH|INFO|REFER|MESSAGE|UPDATE|[1-6]\d\d)$/;

export class Counter {
  private readonly values = new Map<string, number>();

  constructor(
    readonly name: string,
    readonly help: string,
    /** The label's name, e.g. "method"; undefined for an unlabelled counter. */
    readonly label?: string,
    /**
     * The label values known in advance, each a series at 0 from the start: a family with no event yet
     * showed no sample at all, so that its first event was invisible to increase() and rate() and an alert
     * on it had no series (Prometheus practice: initialise the known series, "Avoid missing metrics").
     */
    known: readonly string[] = [],
  ) {
    for (const value of known) this.values.set(value, 0);
  }

  inc(labelValue = '', by = 1): void {
    const current = this.values.get(labelValue);
    if (current !== undefined) {
      this.values.set(labelValue, current + by);
      return;
    }
    const key = this.values.size < MAX_LABEL_VALUES || STANDARD.test(labelValue) ? labelValue : OTHER_LABEL;
    this.values.set(key, (this.values.get(key) ?? 0) + by);
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

  counter(name: string, help: string, label?: string, known?: readonly string[]): Counter {
    let c = this.counters.get(name);
    if (c === undefined) {
      c = new Counter(name, help, label, known);
      this.counters.set(name, c);
    }
    return c;
  }

  all(): Counter[] {
    return [...this.counters.values()];
  }
}
