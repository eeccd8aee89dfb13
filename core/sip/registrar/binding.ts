// A registration binding (RFC 3261 §10.3): one Contact of an address-of-record, with where the REGISTER
// really came from (RFC 3581) so that requests reach a UA behind NAT.

export type BindingTransport = 'UDP' | 'TCP' | 'TLS' | 'WS' | 'WSS';

export interface Binding {
  /** Canonical AOR, e.g. sip:1001@ims.lab. */
  aor: string;
  /**
   * The AOR as the phone wrote it in To (URI parameters cut, as the original kept it), e.g.
   * sip:1001@127.0.0.1:26060; shown beside the canonical one and matched by DSP/RMV REG. Undefined for
   * bindings stored before IMS Lab kept it.
   */
  registeredAor?: string;
  /**
   * The AOR as registered is not known (not the canonical one either): the binding was stored by an IMS
   * Lab that did not keep it (before schema 4) and its phone has not registered since. DSP REG shows "-",
   * and URI= finds it by its user, whatever the host (the AOR it registered had to be one of ours).
   */
  registeredAorUnknown?: true;
  /** The Contact URI as registered. */
  contact: string;
  /** Contact header parameters as written (e.g. ;+sip.instance="..."), without expires and q. */
  contactParams: string;
  /** Absolute expiry, ms since the epoch. */
  expiresAt: number;
  /** q-value 0..1, undefined when not given. */
  q: number | undefined;
  callId: string;
  cseq: number;
  sourceAddress: string;
  sourcePort: number;
  transport: BindingTransport;
  userAgent: string;
  /** First registration and last refresh, ms since the epoch. */
  createdAt: number;
  updatedAt: number;
  /**
   * RFC 3327 §5.3: the path vector, the REGISTER's Path header field values in order (each a name-addr
   * as written, e.g. <sip:pcscf.ims.lab;lr>); undefined when the last REGISTER had no Path. Requests
   * for this binding take it as their preloaded Route set (§5.4).
   */
  path?: readonly string[];
  /**
   * The REGISTER's top Via named another address than the one it came from (RFC 3581 §4, received
   * added): a UA behind a NAT, wherever its source is (binding-target.ts behindNat). Undefined for
   * bindings stored before IMS Lab kept it.
   */
  sentFromElsewhere?: boolean;
}

/** Persistence of the location service (the store implements it); the live copy stays in memory. */
export interface BindingPersistence {
  loadAll(): Binding[];
  /**
   * Applies a batch in one transaction: upserts keyed by (aor, contact), then deletions. A promise when
   * the transaction is committed off the event loop (it rejects when it failed).
   */
  apply(
    upserts: readonly Binding[],
    deletions: readonly { aor: string; contact: string }[],
  ): void | Promise<void>;
  clear(): void;
}

export type RegistrationEventType = 'bound' | 'refreshed' | 'expired' | 'removed';

export interface RegistrationEvent {
  type: RegistrationEventType;
  binding: Binding;
  /** For 'removed': who removed it. */
  cause?: 'unregister' | 'operator' | 'user-deleted' | 'user-disabled' | 'connection-closed';
  /** For 'removed' by a REGISTER: that request's Call-ID and CSeq number (the binding has the last update's before it). */
  request?: { callId: string; cseq: number };
  /** For 'refreshed': the binding as it was before (its source may have changed: NAT rebinding). */
  previous?: Binding;
  at: number;
}
