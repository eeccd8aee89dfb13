// The appliance's one event hub (DESIGN.md, Events, not polling): every domain event (a registration,
// a call change, a MESSAGE, a log line, a perf sample, an MML statement) is emitted here once, numbered
// per topic, and handed to each listener of its topic. A listener that throws is reported and skipped;
// the others still run and the emitter never sees the exception (a call listener that throws between
// relaying a 2xx and cancelling the other forked branches must not leave those branches ringing).

export type HubListener<T> = (data: T, seq: number) => void;

export class EventHub<Events extends object> {
  readonly #listeners = new Map<keyof Events, Set<HubListener<never>>>();
  readonly #seq = new Map<keyof Events, number>();

  constructor(
    /** Told of a listener that threw (it must not throw itself, nor emit on the same topic). */
    private readonly onListenerError: (topic: keyof Events, err: unknown) => void,
  ) {}

  /** Follows a topic; returns the unsubscribe function. */
  on<K extends keyof Events>(topic: K, listener: HubListener<Events[K]>): () => void {
    let set = this.#listeners.get(topic);
    if (set === undefined) this.#listeners.set(topic, (set = new Set()));
    set.add(listener as HubListener<never>);
    return () => set.delete(listener as HubListener<never>);
  }

  /** Numbers the event and tells every listener of its topic; never throws. */
  emit<K extends keyof Events>(topic: K, data: Events[K]): void {
    const seq = (this.#seq.get(topic) ?? 0) + 1;
    this.#seq.set(topic, seq);
    const set = this.#listeners.get(topic);
    if (set === undefined) return;
    for (const l of set) {
      try {
        (l as HubListener<Events[K]>)(data, seq);
      } catch (err) {
        try {
          this.onListenerError(topic, err);
        } catch {
          // the error reporter failed too: nothing more can be done without risking a loop
        }
      }
    }
  }

  /** Sequence number of the last event emitted on a topic (0 before the first). */
  seq(topic: keyof Events): number {
    return this.#seq.get(topic) ?? 0;
  }

  /** Whether anyone follows a topic (lets emitters skip building costly events). */
  has(topic: keyof Events): boolean {
    return (this.#listeners.get(topic)?.size ?? 0) > 0;
  }
}
