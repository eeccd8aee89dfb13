// The location service: bindings per AOR in memory, expiry on a 1-second wheel, every change an event
// (bound, refreshed, expired, removed) that CDR, dashboards and metrics subscribe to, and write-behind
// persistence: changes are batched into one transaction every flushMs, never one insert per message.
import type { Log } from '../../observe/log';
import { nextTurn } from '../../observe/next-turn';
import { TimerWheel, type TimerEntry, type TimerTarget } from '../transaction/timer-wheel';
import { userPartOf } from './aor-user';
import type { Binding, BindingPersistence, RegistrationEvent } from './binding';

class Slot implements TimerTarget {
  timer: TimerEntry | undefined;
  constructor(
    public binding: Binding,
    private readonly owner: LocationService,
  ) {}
  onTimer(): void {
    this.owner.expire(this);
  }
}

export interface LocationOptions {
  persistence?: BindingPersistence;
  log: Log;
  now?: () => number;
  /**
   * Write-behind period (default 50 ms: a flush builds its rows on the loop, so a short period keeps
   * each flush short; at 6,000 registrations/s a 250 ms batch held the loop for 1,500 rows at once).
   */
  flushMs?: number;
  /** Expiry wheel; tests pass a manual one. */
  wheel?: TimerWheel;
}

const DEFAULT_FLUSH_MS = 50;
/** AORs rehome() moves per turn of the event loop (a few ms of work, their rows written behind). */
const REHOME_AORS_PER_STEP = 500;

function key(aor: string, contact: string): string {
  return `${aor}\n${contact}`;
}

export class LocationService {
  private readonly aors = new Map<string, Slot[]>();
  /**
   * The AORs of each user part (aor-user.ts), kept with `aors`: RMV USER and IMP USER find a user's
   * bindings without a scan of every AOR (with 20,000 bindings a scan per disabled user held SIP 20 s).
   */
  private readonly aorsByUser = new Map<string, Set<string>>();
  private readonly listeners: ((e: RegistrationEvent) => void)[] = [];
  private readonly now: () => number;
  private readonly wheel: TimerWheel;
  private readonly upserts = new Map<string, Binding>();
  private readonly deletions = new Map<string, { aor: string; contact: string }>();
  private flushTimer: NodeJS.Timeout | undefined;
  private count = 0;
  /** The canonical AOR of each AOR while rehome() runs, a step a turn. */
  private rehoming: ((aor: string) => string) | undefined;

  constructor(private readonly options: LocationOptions) {
    this.now = options.now ?? Date.now;
    this.wheel = options.wheel ?? new TimerWheel({ tickMs: 1000, slots: 3600, now: this.now });
  }

  /**
   * Loads persisted bindings; those that expired while the appliance was down expire now, the event
   * (and so the EXPIRED CDR row) at the time they expired, not at the restart's (a weekend later).
   * Those `lost` picks (made over a connection, which closed with the previous run) are removed as when
   * their connection closes (cause connection-closed); returns how many.
   */
  load(lost?: (b: Binding) => boolean): number {
    const stored = this.options.persistence?.loadAll() ?? [];
    const now = this.now();
    let dropped = 0;
    for (const b of stored) {
      if (b.expiresAt <= now) {
        this.deletions.set(key(b.aor, b.contact), { aor: b.aor, contact: b.contact });
        this.emit({ type: 'expired', binding: b, at: b.expiresAt });
        continue;
      }
      if (lost?.(b) === true) {
        this.deletions.set(key(b.aor, b.contact), { aor: b.aor, contact: b.contact });
        this.emit({ type: 'removed', binding: b, cause: 'connection-closed', at: now });
        dropped++;
        continue;
      }
      this.insert(b);
    }
    this.scheduleFlush();
    return dropped;
  }

  on(listener: (e: RegistrationEvent) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  get aorCount(): number {
    return this.aors.size;
  }

  get bindingCount(): number {
    return this.count;
  }

  /** Bindings by the transport they were registered over. */
  countByTransport(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const slots of this.aors.values())
      for (const s of slots) out[s.binding.transport] = (out[s.binding.transport] ?? 0) + 1;
    return out;
  }

  /** Live bindings of an AOR, highest q first (§16.6 forking order; absent q counts as 1.0). */
  lookup(aor: string): Binding[] {
    if (this.rehoming !== undefined) this.rehomeInto(aor, this.rehoming);
    const slots = this.aors.get(aor);
    if (slots === undefined) return [];
    // The wheel ticks once a second: a binding past its expiry may still be here; expire it now
    // (§10.3 step 8 lists only current bindings, and the proxy must not route to it).
    const now = this.now();
    for (const slot of slots.filter((s) => s.binding.expiresAt <= now)) this.expire(slot);
    const current = this.aors.get(aor);
    if (current === undefined) return [];
    const out = current.map((s) => s.binding);
    return out.length > 1 ? out.sort((a, b) => (b.q ?? 1) - (a.q ?? 1)) : out;
  }

  /** The AORs filed under a user part (in any domain, sip: or sips:), as aor-user.ts reads it. */
  aorsOfUser(user: string): string[] {
    const aors = this.aorsByUser.get(user);
    return aors === undefined ? [] : [...aors];
  }

  /**
   * Removes every binding of a user's AORs, in any domain (a user deleted or disabled); returns how many
   * live bindings went.
   */
  removeUser(user: string, cause: RegistrationEvent['cause']): number {
    let removed = 0;
    for (const aor of this.aorsOfUser(user)) {
      removed += this.lookup(aor).length; // the live ones (lookup drops those past their expiry)
      this.removeAor(aor, cause);
    }
    return removed;
  }

  /** Every user part that has an AOR here. */
  registeredUsers(): string[] {
    return [...this.aorsByUser.keys()];
  }

  /** Every AOR with its bindings (for listing and paging by the operator). */
  *entries(): IterableIterator<[string, Binding[]]> {
    for (const [aor, slots] of this.aors) yield [aor, slots.map((s) => s.binding)];
  }

  /**
   * Adds or refreshes a binding (same AOR and contact). `replaces`: the contact of the same device's
   * binding (RFC 5626 §6, instance.ts) that this one, under a new Contact URI, takes the place of: a
   * refresh too, whose `previous` has the old contact.
   */
  put(binding: Binding, replaces?: string): void {
    const slots = this.aors.get(binding.aor);
    const contact = replaces ?? binding.contact;
    const existing = slots?.find((s) => s.binding.contact === contact);
    if (existing !== undefined) {
      this.wheel.cancel(existing.timer);
      const previous = existing.binding;
      existing.binding = binding;
      existing.timer = this.wheel.start(existing, 'expiry', binding.expiresAt - this.now());
      if (previous.contact !== binding.contact) this.unpersist(previous);
      this.persist(binding);
      this.emit({ type: 'refreshed', binding, previous, at: this.now() });
      return;
    }
    this.insert(binding);
    this.persist(binding);
    this.emit({ type: 'bound', binding, at: this.now() });
  }

  /** Removes one binding; returns it, or undefined if there was none. */
  remove(
    aor: string,
    contact: string,
    cause: RegistrationEvent['cause'] = 'unregister',
    request?: RegistrationEvent['request'],
  ): Binding | undefined {
    const slots = this.aors.get(aor);
    const slot = slots?.find((s) => s.binding.contact === contact);
    if (slot === undefined) return undefined;
    this.drop(slot);
    this.emit({ type: 'removed', binding: slot.binding, cause, request, at: this.now() });
    return slot.binding;
  }

  /** Removes every binding of an AOR (Contact: *, or the operator); returns how many. */
  removeAor(
    aor: string,
    cause: RegistrationEvent['cause'] = 'unregister',
    request?: RegistrationEvent['request'],
  ): number {
    const slots = this.aors.get(aor);
    if (slots === undefined) return 0;
    const removed = [...slots];
    for (const s of removed) {
      this.drop(s);
      this.emit({ type: 'removed', binding: s.binding, cause, request, at: this.now() });
    }
    return removed.length;
  }

  /**
   * Removes the bindings made over a connection that closed (RFC 7118 §5: a WebSocket binding lives
   * only as long as its connection; RFC 5626 §5.3: so does a flow), those `only` picks when given;
   * returns how many.
   */
  removeConnection(
    transport: Binding['transport'],
    address: string,
    port: number,
    only?: (b: Binding) => boolean,
  ): number {
    const gone: Slot[] = [];
    for (const slots of this.aors.values()) {
      for (const s of slots) {
        const b = s.binding;
        if (b.transport === transport && b.sourcePort === port && b.sourceAddress === address)
          if (only === undefined || only(b)) gone.push(s);
      }
    }
    for (const s of gone) {
      this.drop(s);
      this.emit({ type: 'removed', binding: s.binding, cause: 'connection-closed', at: this.now() });
    }
    return gone.length;
  }

  /**
   * Is a live binding reached over this connection (registered over it: the REGISTER's source)? Asked
   * when the connection has been idle a while (tcp.ts keepIdle), so a scan, as removeConnection's.
   */
  reachedOver(transport: Binding['transport'], address: string, port: number): boolean {
    const now = this.now();
    for (const slots of this.aors.values())
      for (const { binding: b } of slots)
        if (
          b.sourcePort === port &&
          b.sourceAddress === address &&
          b.transport === transport &&
          b.expiresAt > now
        )
          return true;
    return false;
  }

  /**
   * The first binding whose contact `matches`, across every AOR: for a Request-URI that names a contact
   * rather than a user (a browser's made-up `xyz.invalid` host); a scan, as removeConnection's.
   */
  findContact(matches: (contact: string) => boolean): Binding | undefined {
    for (const slots of this.aors.values())
      for (const s of slots) if (matches(s.binding.contact)) return s.binding;
    return undefined;
  }

  /**
   * Files every binding under the AOR `canonical` gives its own (the canonical AORs' domain changed:
   * SET CFG SIP.DOMAIN, or a start with another): requests are looked up under the new AOR, and the
   * bindings filed under the old one were reached by nobody until they expired, nor removed by their
   * phone's Expires: 0. A binding the phone has made again under the new AOR meanwhile (same contact)
   * keeps the later of the two. No registration event: nothing registered. Resolves with how many moved.
   * `aorsPerStep` AORs a turn of the event loop, SIP served between (20,000 bindings moved in one turn
   * held it 0.1-0.3 s, 0.5 s on a loaded server); meanwhile a lookup of a new AOR moves the bindings of
   * its old ones first, so no request misses a phone not yet moved.
   */
  async rehome(canonical: (aor: string) => string, aorsPerStep = REHOME_AORS_PER_STEP): Promise<number> {
    const aors = [...this.aors.keys()];
    this.rehoming = canonical;
    try {
      let moved = 0;
      for (let i = 0; i < aors.length; i += aorsPerStep) {
        if (i > 0) await nextTurn();
        // Stopped meanwhile: the rest are moved at the next start, from their stored rows.
        if (this.rehoming !== canonical) break;
        for (const aor of aors.slice(i, i + aorsPerStep)) {
          const target = canonical(aor);
          if (target !== aor) moved += this.rehomeAor(aor, target);
        }
      }
      return moved;
    } finally {
      if (this.rehoming === canonical) this.rehoming = undefined;
    }
  }

  /** While a rehome runs: the AORs of `aor`'s user part that become `aor`, moved now. */
  private rehomeInto(aor: string, canonical: (aor: string) => string): void {
    const user = userPartOf(aor);
    if (user === undefined) return;
    for (const old of this.aorsOfUser(user))
      if (old !== aor && canonical(old) === aor) this.rehomeAor(old, aor);
  }

  /** Moves the bindings of `aor` (if it still has any) to `target`; returns how many moved. */
  private rehomeAor(aor: string, target: string): number {
    const slots = this.aors.get(aor);
    if (slots === undefined) return 0;
    let moved = 0;
    this.deleteAor(aor);
    for (const slot of slots) {
      const b = slot.binding;
      this.unpersist(b);
      let there = this.aors.get(target);
      const twin = there?.find((s) => s.binding.contact === b.contact);
      if (twin !== undefined && twin.binding.updatedAt >= b.updatedAt) {
        this.wheel.cancel(slot.timer);
        this.count--;
        continue;
      }
      if (twin !== undefined) {
        this.wheel.cancel(twin.timer);
        there!.splice(there!.indexOf(twin), 1);
        this.count--;
      }
      slot.binding = { ...b, aor: target };
      if (there === undefined) {
        there = [];
        this.setAor(target, there);
      }
      there.push(slot);
      this.persist(slot.binding);
      moved++;
    }
    return moved;
  }

  /** Removes everything (CLR REG); returns how many bindings. */
  clear(cause: RegistrationEvent['cause'] = 'operator'): number {
    let n = 0;
    for (const aor of [...this.aors.keys()]) n += this.removeAor(aor, cause);
    return n;
  }

  /** Writes pending changes now (shutdown). */
  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.upserts.size === 0 && this.deletions.size === 0) return;
    const ups = [...this.upserts.values()];
    const dels = [...this.deletions.values()];
    this.upserts.clear();
    this.deletions.clear();
    const failed = (err: unknown): void =>
      this.options.log.error(
        `location: saving ${ups.length + dels.length} binding changes failed: ${String(err)}`,
      );
    try {
      this.options.persistence?.apply(ups, dels)?.catch(failed);
    } catch (err) {
      failed(err);
    }
  }

  stop(): void {
    this.rehoming = undefined;
    this.flush();
    this.wheel.clear();
  }

  /** Called by a binding's expiry timer. */
  expire(slot: Slot): void {
    if (this.drop(slot)) this.emit({ type: 'expired', binding: slot.binding, at: this.now() });
  }

  private insert(binding: Binding): void {
    const slot = new Slot(binding, this);
    slot.timer = this.wheel.start(slot, 'expiry', binding.expiresAt - this.now());
    let slots = this.aors.get(binding.aor);
    if (slots === undefined) {
      slots = [];
      this.setAor(binding.aor, slots);
    }
    slots.push(slot);
    this.count++;
  }

  /** Removes a binding; false when it was already gone. */
  private drop(slot: Slot): boolean {
    this.wheel.cancel(slot.timer);
    slot.timer = undefined;
    const b = slot.binding;
    const slots = this.aors.get(b.aor);
    if (slots === undefined) return false;
    const i = slots.indexOf(slot);
    if (i < 0) return false;
    slots.splice(i, 1);
    this.count--;
    if (slots.length === 0) this.deleteAor(b.aor);
    this.unpersist(b);
    return true;
  }

  private setAor(aor: string, slots: Slot[]): void {
    this.aors.set(aor, slots);
    const user = userPartOf(aor);
    if (user === undefined) return;
    const aors = this.aorsByUser.get(user);
    if (aors === undefined) this.aorsByUser.set(user, new Set([aor]));
    else aors.add(aor);
  }

  private deleteAor(aor: string): void {
    this.aors.delete(aor);
    const user = userPartOf(aor);
    if (user === undefined) return;
    const aors = this.aorsByUser.get(user);
    if (aors === undefined) return;
    aors.delete(aor);
    if (aors.size === 0) this.aorsByUser.delete(user);
  }

  private unpersist(b: Binding): void {
    const k = key(b.aor, b.contact);
    this.upserts.delete(k);
    this.deletions.set(k, { aor: b.aor, contact: b.contact });
    this.scheduleFlush();
  }

  private persist(binding: Binding): void {
    const k = key(binding.aor, binding.contact);
    this.deletions.delete(k);
    this.upserts.set(k, binding);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushTimer !== undefined || this.options.persistence === undefined) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flush();
    }, this.options.flushMs ?? DEFAULT_FLUSH_MS);
    this.flushTimer.unref();
  }

  private emit(e: RegistrationEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        this.options.log.error(`location: a ${e.type} listener failed: ${String(err)}`);
      }
    }
  }
}
