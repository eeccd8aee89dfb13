// The registrar as the notifier of the reg event package (RFC 3680, on RFC 6665): a phone SUBSCRIBEs to
// its own address-of-record with `Event: reg` (an IMS UE does right after it registers, 3GPP TS 24.229
// §5.1.1.3) and is told, in application/reginfo+xml (registrar/reginfo.ts), of every binding of it that comes,
// refreshes, expires or is removed. IMS Lab answers these itself instead of routing them to the phone;
// the proxy hands them over, and the NOTIFYs go out as the call tracker's BYEs do (a party to a dialog).
//   RFC 3680 §4.6: only the AOR's own user may watch it (403 otherwise, whether the user exists or not)
//   RFC 6665 §4.2.1.1: 200 with the granted Expires; 423 below the minimum; Expires 0 is a fetch
//   RFC 6665 §4.2.1.2: a NOTIFY at once, on every change, on refresh, and a terminated one at the end
//   RFC 6665 §4.2.2: a NOTIFY answered 481, 408, or not at all ends the subscription
//   RFC 6665 §4.2.2: the watcher's user deleted, disabled or made anew ends it, terminated;reason=rejected
// Subscriptions live in memory: after a restart a refresh gets 481 and the phone subscribes again.
import type { Log } from '../../observe/log';
import {
  displayName,
  newBranch,
  SipParseError,
  unescape,
  type SipRequest,
  type SipUri,
} from '../message/index';
import type { ClientTransactionUser } from '../transaction/client-transaction';
import type { TransactionLayer } from '../transaction/layer';
import type { ServerTransaction } from '../transaction/server-transaction';
import type { TimerEntry, TimerTarget, TimerWheel } from '../transaction/timer-wheel';
import type { Peer } from '../transport/peer';
import { Dialog } from '../ua/dialog';
import type { Binding, RegistrationEvent } from '../registrar/binding';
import type { GruuMaker } from '../registrar/gruu';
import { contactChanges, reginfoXml, REGINFO_TYPE, type ContactChange } from '../registrar/reginfo';
import type { LocalIdentity } from './local-identity';
import { firstRouteHop } from './next-hop';
import { addressPort } from '../../address-port';

/** RFC 3680 §4.4: the default, a little over a registration's hour. */
export const DEFAULT_SUBSCRIPTION_SECONDS = 3761;
/** The shortest subscription granted (423 below it) and the longest (longer ones are shortened). */
export const MIN_SUBSCRIPTION_SECONDS = 60;
export const MAX_SUBSCRIPTION_SECONDS = 86_400;
/** Subscriptions held at most, and for one AOR: more get 503 (memory is bounded whatever a peer sends). */
const MAX_SUBSCRIPTIONS = 10_000;
const MAX_PER_AOR = 16;

export interface RegEventDeps {
  layer: TransactionLayer;
  timers: TimerWheel;
  location: {
    lookup(aor: string): Binding[];
    on(listener: (e: RegistrationEvent) => void): () => void;
  };
  /** Our addresses (the proxy's), known once the appliance listens. */
  identity(): LocalIdentity | undefined;
  /** The canonical AOR of a user name (the registrar's). */
  aorOf(user: string): string;
  /** The account of a user name now (the users store): whether it may be used, and when it was made. */
  account?: (user: string) => { active: boolean; created: string } | undefined;
  /** RFC 5628: the GRUUs listed with each contact that has them, and the registrar's domain. */
  gruus?: { maker: GruuMaker; domain: () => string };
  log: Log;
  now?: () => number;
}

/** Is this a SUBSCRIBE to the reg event package (RFC 6665 §8.2.1: `Event: reg`, parameters aside)? */
export function isRegEvent(req: SipRequest): boolean {
  if (req.method !== 'SUBSCRIBE') return false;
  const event = req.header('event');
  return event !== undefined && packageOf(event) === 'reg';
}

/** The package an Event value names (RFC 6665 §8.2.1: before its parameters), lower-case. */
export function packageOf(event: string): string {
  const semi = event.indexOf(';');
  return (semi < 0 ? event : event.slice(0, semi)).trim().toLowerCase();
}

class RegSubscription implements TimerTarget {
  /** RFC 3680 §5.1: the next notification's version. */
  version = 0;
  timer: TimerEntry | undefined;
  expiresAt = 0;

  constructor(
    readonly aor: string,
    /** The user who watches (its own AOR), and when its account was made (undefined: no account). */
    readonly user: string,
    readonly account: string | undefined,
    readonly dialog: Dialog,
    /** The Event value every NOTIFY carries (RFC 6665 §8.2.1: with the SUBSCRIBE's id, if any). */
    readonly event: string,
    /** Where the SUBSCRIBE came from: the NOTIFYs go there (or to the first Route), over its connection. */
    public hop: Peer,
    private readonly owner: RegEventNotifier,
  ) {}

  get key(): string {
    return dialogKey(this.dialog.callId, this.dialog.localTag ?? '');
  }

  onTimer(): void {
    this.timer = undefined;
    this.owner.expire(this);
  }
}

function dialogKey(callId: string, ourTag: string): string {
  return `${callId}\n${ourTag}`;
}

export class RegEventNotifier {
  private readonly byDialog = new Map<string, RegSubscription>();
  private readonly byAor = new Map<string, Set<RegSubscription>>();
  /** Changes waiting for the end of the current task, so that one REGISTER gives one NOTIFY. */
  private pending = new Map<RegSubscription, ContactChange[]>();
  /** Subscriptions to end with the next flush, their user deleted or disabled (usersChanged). */
  private ending = new Set<RegSubscription>();
  private flushQueued = false;
  private readonly now: () => number;

  constructor(private readonly deps: RegEventDeps) {
    this.now = deps.now ?? Date.now;
    deps.location.on((e) => this.changed(e));
  }

  /** Subscriptions held. */
  get size(): number {
    return this.byDialog.size;
  }

  /**
   * An out-of-dialog SUBSCRIBE to the reg event of an AOR at our domain. `watcher` is the user it comes
   * from: the authenticated one, or the From user of our domain when SUBSCRIBE is not challenged.
   */
  subscribe(
    req: SipRequest,
    tx: ServerTransaction,
    source: Peer,
    me: LocalIdentity,
    watcher: string | undefined,
  ): void {
    const target = req.requestUri as SipUri;
    if (watcher === undefined || watcher !== unescape(target.user ?? '')) {
      tx.reply(403, { reason: 'Forbidden (a user may watch only its own registrations, RFC 3680 §4.6)' });
      return;
    }
    const contact = req.contacts[0];
    if (contact === undefined || req.isContactStar) {
      tx.reply(400, { reason: 'Bad Request (SUBSCRIBE without a Contact, RFC 3261 §8.1.1.8)' });
      return;
    }
    if (!acceptsReginfo(req)) {
      tx.reply(406, { reason: `Not Acceptable (only ${REGINFO_TYPE})`, headers: [['Accept', REGINFO_TYPE]] });
      return;
    }
    const expires = this.granted(req, tx);
    if (expires === undefined) return;
    const aor = this.deps.aorOf(watcher);
    if (expires > 0 && (this.size >= MAX_SUBSCRIPTIONS || (this.byAor.get(aor)?.size ?? 0) >= MAX_PER_AOR)) {
      tx.reply(503, {
        reason: 'Service Unavailable (too many reg event subscriptions)',
        headers: [['Retry-After', '60']],
      });
      return;
    }
    // §12.1.1: the UAS's dialog; its route set is the Record-Route as received, in order.
    const dialog = new Dialog({
      callId: req.callId,
      local: `${req.header('to')!};tag=${tx.toTag}`,
      remote: req.header('from')!,
      localSeq: 0,
      remoteSeq: req.cseq.seq,
      remoteTarget: contact.uriText,
      routeSet: req.recordRoutes.map((r) => r.raw),
    });
    const event = req.header('event')!.trim();
    const account = this.deps.account?.(watcher)?.created;
    const sub = new RegSubscription(aor, watcher, account, dialog, event, source, this);
    this.accepted(req, tx, sub, expires, me);
    this.deps.log.info(
      `reg event: ${watcher} watches ${aor} from ${source.transport.toLowerCase()}:${addressPort(source.address, source.port)} for ${expires} s`,
    );
  }

  /** Is this SUBSCRIBE a refresh of one of our subscriptions (the Call-ID and our tag)? */
  knows(req: SipRequest): boolean {
    const tag = req.to.tag;
    return tag !== undefined && this.byDialog.has(dialogKey(req.callId, tag));
  }

  /**
   * A SUBSCRIBE in a dialog of ours (RFC 6665 §4.1.2.2): a refresh, or Expires 0 to end it; 481 for a
   * dialog we do not hold (one from before a restart: the phone then subscribes anew).
   */
  refresh(req: SipRequest, tx: ServerTransaction, source: Peer, me: LocalIdentity): void {
    const sub = this.byDialog.get(dialogKey(req.callId, req.to.tag ?? ''));
    if (sub === undefined || req.from.tag !== sub.dialog.remoteTag) {
      tx.reply(481, { reason: 'Subscription Does Not Exist' });
      return;
    }
    // §12.2.2: a CSeq not above the last one is out of order.
    if (req.cseq.seq <= sub.dialog.remoteSeq) {
      tx.reply(500, { reason: 'Server Internal Error (CSeq out of order)' });
      return;
    }
    const expires = this.granted(req, tx);
    if (expires === undefined) return;
    sub.dialog.accepts(req);
    sub.dialog.refreshTarget(req); // RFC 6665 §4.1.2.2: SUBSCRIBE is a target refresh request
    sub.hop = source;
    this.accepted(req, tx, sub, expires, me);
  }

  /**
   * The users table changed (RMV USER, MOD USER STATUS=, IMP USER, the dialer, another process): the
   * watches of a user deleted, disabled, or deleted and added anew (someone else's account now under the
   * name) end at once with terminated;reason=rejected (RFC 6665 §4.2.2: the authorization is gone, do
   * not subscribe again), whether or not the user had bindings: a user with none has no binding removal
   * to tell its watchers, and its watchers would otherwise follow the next owner of the name.
   */
  usersChanged(): void {
    const accountOf = this.deps.account;
    if (accountOf === undefined || this.byDialog.size === 0) return;
    const now = new Map<string, { active: boolean; created: string } | undefined>();
    for (const sub of this.byDialog.values()) {
      if (sub.account === undefined) continue; // watching without an account (SUBSCRIBE not challenged)
      if (!now.has(sub.user)) now.set(sub.user, accountOf(sub.user));
      const account = now.get(sub.user);
      if (account === undefined || !account.active || account.created !== sub.account) this.ending.add(sub);
    }
    if (this.ending.size > 0) this.queueFlush();
  }

  /** The subscription's time is up (RFC 6665 §4.2.2): a last NOTIFY, terminated;reason=timeout. */
  expire(sub: RegSubscription): void {
    this.end(sub, 'timeout');
  }

  /** 200 with the granted Expires and our Contact, then the NOTIFY of the state now (§4.2.1.2). */
  private accepted(
    req: SipRequest,
    tx: ServerTransaction,
    sub: RegSubscription,
    expires: number,
    me: LocalIdentity,
  ): void {
    const headers: [string, string][] = req.recordRoutes.map((r) => ['Record-Route', r.raw]); // §12.1.1
    headers.push(['Expires', String(expires)], ['Contact', this.contactFor(sub.hop, me)]);
    tx.reply(200, { headers });
    this.deps.timers.cancel(sub.timer);
    sub.timer = undefined;
    if (expires === 0) {
      this.notify(sub, [], 'terminated;reason=timeout'); // RFC 6665 §4.4.3: a fetch
      this.forget(sub);
      return;
    }
    sub.expiresAt = this.now() + expires * 1000;
    sub.timer = this.deps.timers.start(sub, 'subscription', expires * 1000);
    this.byDialog.set(sub.key, sub);
    let forAor = this.byAor.get(sub.aor);
    if (forAor === undefined) this.byAor.set(sub.aor, (forAor = new Set()));
    forAor.add(sub);
    this.notify(sub, [], `active;expires=${expires}`);
  }

  /** RFC 6665 §4.2.1.1: the Expires to grant, or undefined once the request has been refused. */
  private granted(req: SipRequest, tx: ServerTransaction): number | undefined {
    // IMS Lab is the UAS: a second Expires (or Content-Type...) is refused here, not by the parser.
    const twice = req.duplicatedHeader;
    if (twice !== undefined) {
      tx.reply(400, { reason: `Duplicate ${displayName(twice)} header` });
      return undefined;
    }
    let asked: number | undefined;
    try {
      asked = req.expires;
    } catch (err) {
      if (!(err instanceof SipParseError)) throw err;
      tx.reply(400, { reason: 'Bad Request (malformed Expires)' });
      return undefined;
    }
    if (asked === undefined) return DEFAULT_SUBSCRIPTION_SECONDS;
    if (asked > 0 && asked < MIN_SUBSCRIPTION_SECONDS) {
      tx.reply(423, { headers: [['Min-Expires', String(MIN_SUBSCRIPTION_SECONDS)]] });
      return undefined;
    }
    return Math.min(asked, MAX_SUBSCRIPTION_SECONDS);
  }

  /** A binding of a watched AOR changed: its watchers are told once the current task is done. */
  private changed(e: RegistrationEvent): void {
    const subs = this.byAor.get(e.binding.aor);
    if (subs === undefined) return;
    const changes = contactChanges(e);
    for (const sub of subs) {
      const list = this.pending.get(sub);
      if (list === undefined) this.pending.set(sub, [...changes]);
      else list.push(...changes);
    }
    this.queueFlush();
  }

  private queueFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(() => this.flush());
  }

  private flush(): void {
    this.flushQueued = false;
    const pending = this.pending;
    const ending = this.ending;
    this.pending = new Map();
    this.ending = new Set();
    for (const sub of ending) if (!pending.has(sub)) pending.set(sub, []);
    for (const [sub, changes] of pending) {
      if (!this.byDialog.has(sub.key)) continue;
      // A user deleted or disabled: its watchers' subscriptions end too (RFC 6665 §4.2.2 "rejected"),
      // in one NOTIFY with its bindings' removal when it had some.
      if (ending.has(sub) || changes.some((c) => c.event === 'rejected')) this.end(sub, 'rejected', changes);
      else this.notify(sub, changes, `active;expires=${this.remaining(sub)}`);
    }
  }

  private remaining(sub: RegSubscription): number {
    return Math.max(0, Math.round((sub.expiresAt - this.now()) / 1000));
  }

  /** A last NOTIFY with Subscription-State terminated and `reason`, then the subscription is gone. */
  private end(sub: RegSubscription, reason: string, changes: readonly ContactChange[] = []): void {
    this.notify(sub, changes, `terminated;reason=${reason}`);
    this.forget(sub);
    this.deps.log.info(`reg event: the watch of ${sub.aor} ended (${reason})`);
  }

  private forget(sub: RegSubscription): void {
    this.deps.timers.cancel(sub.timer);
    sub.timer = undefined;
    this.byDialog.delete(sub.key);
    const forAor = this.byAor.get(sub.aor);
    forAor?.delete(sub);
    if (forAor?.size === 0) this.byAor.delete(sub.aor);
    this.pending.delete(sub);
    this.ending.delete(sub);
  }

  /** A NOTIFY in the subscription's dialog with the full registration state (RFC 3680 §4.7, §5.1). */
  private notify(sub: RegSubscription, changes: readonly ContactChange[], state: string): void {
    const me = this.deps.identity();
    if (me === undefined) return;
    const now = this.now();
    const gruus = this.deps.gruus;
    const body = reginfoXml({
      version: sub.version++,
      aor: sub.aor,
      bindings: this.deps.location.lookup(sub.aor),
      changes,
      now,
      ...(gruus === undefined ? {} : { gruusOf: (b: Binding) => gruus.maker.gruusOf(b, gruus.domain()) }),
    });
    const hop = sub.hop;
    const notify = sub.dialog.request('NOTIFY', {
      via: me.via(hop.transport, newBranch(), hop.address),
      contact: this.contactFor(hop, me),
      headers: [
        ['Event', sub.event],
        ['Subscription-State', state],
      ],
      body: Buffer.from(body),
      contentType: REGINFO_TYPE,
    });
    const user: ClientTransactionUser = {
      onResponse: (r) => {
        if (r.status === 481 || r.status === 408) this.lost(sub, `its NOTIFY got ${r.status}`);
      },
      onTimeout: () => this.lost(sub, 'its NOTIFY was not answered'),
      onTransportError: () => this.lost(sub, 'its NOTIFY could not be sent'),
    };
    this.deps.layer.sendRequest(notify.request, firstRouteHop(notify.request) ?? hop, user, notify.bytes);
  }

  /** RFC 6665 §4.2.2: the watcher is gone; no more NOTIFYs. */
  private lost(sub: RegSubscription, why: string): void {
    if (!this.byDialog.has(sub.key)) return;
    this.forget(sub);
    this.deps.log.info(`reg event: the watch of ${sub.aor} ended (${why})`);
  }

  /** Our Contact for this dialog: the address and transport the watcher reaches us at. */
  private contactFor(hop: Peer, me: LocalIdentity): string {
    return me.contact(hop.transport, hop.address);
  }
}

/** RFC 6665 §4.2.1.1 and RFC 3680 §4.5: no Accept means reginfo; an Accept must allow it. */
function acceptsReginfo(req: SipRequest): boolean {
  const values = req.headerValues('accept');
  if (values.length === 0) return true;
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.split(';')[0]!.trim().toLowerCase())
    .some((t) => t === REGINFO_TYPE || t === 'application/*' || t === '*/*');
}
