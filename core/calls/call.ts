// A call as the proxy sees it: one INVITE dialog (RFC 3261 §12) from the first INVITE to its end.
// The proxy's call tracker (core/sip/proxy/) owns and updates it and emits a CallEvent on every change;
// the CDR recorder, the dashboards and the metrics subscribe. Times are ms since the epoch.

export type CallState = 'calling' | 'ringing' | 'answered' | 'ended' | 'failed' | 'cancelled';

/** Who ended a call: a party's BYE, the caller's CANCEL, the operator (DSP/RMV/CLR CALL), or a timer. */
export type HangupBy = 'caller' | 'callee' | 'operator' | 'timeout' | 'system';

export interface CallParty {
  /** The From (caller) or To (callee) header value as received, e.g. `"Bob" <sip:1002@lab>;tag=8a1`. */
  header: string;
  /** The URI of that header, e.g. sip:1002@lab. */
  uri: string;
  /** Its user part, e.g. 1002 ('' when none). */
  number: string;
  /** Caller: where the INVITE came from. Callee: where it was sent, then where the 2xx came from. */
  address: string;
  port: number;
  /** The transport at that address (UDP, TCP, TLS, WS, WSS); absent until known. */
  transport?: string;
  /** User-Agent (caller, from the INVITE) or Server/User-Agent (callee, from its answer); '' when unknown. */
  userAgent: string;
  /** Contact URI, '' until known. */
  contact: string;
}

/** Media of the call from the SDP offer/answer (RFC 3264), updated by re-INVITE. */
export interface CallMedia {
  /** Media kinds with an active (port ≠ 0) stream, e.g. ['audio'] or ['audio', 'video']. */
  kinds: string[];
  /** Codec names in offer order after the answer picked them, e.g. ['PCMU', 'PCMA', 'telephone-event']. */
  codecs: string[];
  /** 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive' of the audio stream: a hold shows here. */
  direction: string;
}

export interface Call {
  /** Unique per call: the Call-ID, plus the From tag when a Call-ID is reused. */
  id: string;
  callId: string;
  state: CallState;
  caller: CallParty;
  callee: CallParty;
  /** The INVITE's Request-URI as received. */
  requestUri: string;
  /**
   * The Request-URI of the INVITE's pass that was answered, when the INVITE came back through IMS Lab
   * retargeted (a spiral through an application server or edge proxy, RFC 3261 §16.3 step 4): the
   * callee's number is that one's.
   */
  retargetedTo?: string;
  media: CallMedia;
  /**
   * What was wrong with the answer's media, when the call was answered without an SDP answer to read
   * (RFC 3264 §5: a 2xx to an INVITE's offer without SDP, none agreed in a provisional before it; or
   * an SDP that cannot be read), e.g. `the 200 OK carries no SDP answer to the INVITE's offer`. `media`
   * is then empty (no codec), not the caller's offer.
   */
  mediaProblem?: string;
  /**
   * A fault of an answer that did agree media: a codec the offer never listed (RFC 3264 §6.1), e.g.
   * `answer codec PCMA not in the offer (RFC 3264 §6.1)`; `media` is the answer's all the same.
   */
  mediaNote?: string;
  /**
   * IMS Lab refused the INVITE itself as it arrived (credentials that failed 407, a locked-out address
   * or a disabled account 403, an unknown user 404, not registered 480...): forwarded nowhere, it never
   * started; its 'started' and 'ended' events still come (the CDR's FAILED row, the counters).
   */
  refusedOnArrival?: true;
  /** INVITE received. */
  startedAt: number;
  /** First 18x relayed. */
  ringingAt?: number;
  /** 2xx relayed. */
  answeredAt?: number;
  /** BYE / CANCEL / final failure / operator end. */
  endedAt?: number;
  /** Final status of the INVITE, 0 while none; for an answered call 200. */
  statusCode: number;
  statusText: string;
  /** Why it ended, e.g. 'Normal', 'User Cancelled', '486 Busy Here', 'Ended by operator', 'Timer C'. */
  endReason: string;
  hangupBy?: HangupBy;
  /**
   * Who put the answered call on hold, while it is: the party whose re-INVITE or UPDATE got an answer
   * that is not sendrecv (RFC 3264 §8.4: sendonly or inactive offered, recvonly or inactive answered).
   * The answer's direction (media.direction) is the other party's view of it.
   */
  heldBy?: 'caller' | 'callee';
  /**
   * The last REFER in the answered call that its recipient accepted (2xx, RFC 3515): where the party
   * who sent it transferred the other one (Refer-To's URI), attended when it replaces a call (RFC 3891).
   * `failed`: the final answer its recipient's NOTIFY reported the transfer got, a failure (RFC 3515
   * §2.4.5 sipfrag, e.g. `404 Not Found`), while the call was up.
   */
  transfer?: { to: string; by: 'caller' | 'callee'; attended: boolean; failed?: string };
  /**
   * The canonical AOR (sip:1001@domain) of the user whose digest credentials the INVITE passed (RFC 3261
   * §22.3); absent when it was not challenged. A caller withholding its number (From anonymous, RFC
   * 3323) is that user: the one who placed, and pays for, the call.
   */
  authenticatedAs?: string;
  /**
   * The P-Asserted-Identity (RFC 3325) an authenticated INVITE carried: as sent (IMS Lab verifies none),
   * or, with PROXY.ASSERT_IDENTITY, the one IMS Lab asserted (identityAsserted).
   */
  assertedIdentity?: string;
  /** IMS Lab asserted assertedIdentity itself (PROXY.ASSERT_IDENTITY, asserted-identity.ts). */
  identityAsserted?: boolean;
  /** The INVITE's Referred-By URI (RFC 3892): the call is a transferee's, referred by that party. */
  referredBy?: string;
  /** The Call-ID of the dialog the INVITE's Replaces asked to take over (RFC 3891). */
  replaces?: string;
  /** The Call-ID of the call whose INVITE with Replaces takes this one over (unset if that INVITE fails). */
  replacedBy?: string;
  /** The last CSeq seen in the dialog, e.g. '2 BYE'. */
  cseq: string;
  /** Our address and port (the proxy's SIP socket). */
  serverAddress: string;
  serverPort: number;
}

/** endReason of a call ended by RMV CALL, and of those ended together by CLR CALL. */
export const OPERATOR_END_REASON = 'Ended by operator';
export const OPERATOR_CLEAR_ALL_REASON = 'Ended by operator (CLR CALL)';

export type CallEventType = 'started' | 'ringing' | 'answered' | 'media' | 'ended';

/** Emitted on every change; `call` is a snapshot (not mutated afterwards). 'ended' is emitted exactly once. */
export interface CallEvent {
  type: CallEventType;
  call: Readonly<Call>;
  at: number;
}

/** A MESSAGE (RFC 3428) the proxy forwarded, with its final answer. */
export interface MessageEvent {
  callId: string;
  cseq: string;
  from: CallParty;
  to: CallParty;
  /**
   * The body's text, whole up to 65,536 characters, read in its charset (message/cpim: the text it
   * carries; a body that is no text: '<content-type, n bytes>'; message-text.ts).
   */
  body: string;
  contentType: string;
  statusCode: number;
  statusText: string;
  /** When the MESSAGE arrived (ms since the epoch): the row's start. */
  sentAt: number;
  /** When its final answer went back: the row's end. */
  at: number;
  serverAddress: string;
  serverPort: number;
  /** IMS Lab answered it itself (404, 480, 403...): nothing was relayed. */
  refused?: boolean;
  /** The canonical AOR of the user whose credentials it passed (RFC 3261 §22.3), as a Call's. */
  authenticatedAs?: string;
}

/**
 * An OPTIONS with its final answer: one IMS Lab answered itself (RFC 3261 §11.2, a keepalive), or one it
 * relayed to a user; the CDR keeps a row of each, as the original did of every OPTIONS.
 */
export interface OptionsEvent {
  callId: string;
  cseq: string;
  from: CallParty;
  to: CallParty;
  statusCode: number;
  statusText: string;
  /** When the OPTIONS arrived (ms since the epoch): the row's start. */
  sentAt: number;
  /** When its final answer went back (one IMS Lab answered itself: = sentAt): the row's end. */
  at: number;
}
