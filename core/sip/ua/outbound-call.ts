// One call placed by the user agent (RFC 3261 §13, §15): INVITE with an SDP offer; provisional
// responses (ringing at 18x, early media on 183 with SDP); a 401/407 answered once with credentials and
// a 3xx followed once (a new INVITE to its first Contact, its credentials signed anew); the 2xx acknowledged (§13.2.2.4, also each
// retransmitted 2xx) and the dialog made from it (§12.1.2), another fork's 2xx acknowledged and ended with BYE; failures end the call with their code. The
// far end may send BYE or a re-INVITE in the dialog; hangup() sends BYE when answered, CANCEL once a
// provisional response came (§9.1), else waits for one. `outcome` resolves once, when it is all over.
import { buildRequest, type SipRequest, type SipResponse } from '../message/index';
import { cancelRequest } from '../transaction/invite-companions';
import type { ClientTransactionUser } from '../transaction/client-transaction';
import type { ServerTransaction } from '../transaction/server-transaction';
import type { Peer } from '../transport/peer';
import { Dialog } from './dialog';
import { hopOf, isOwnTarget, ownContact, UnreachableTransport } from './hop';
import { UnackedAnswer } from './unacked-answer';
import type { UserAgent } from './user-agent';

/** The methods the dialer's UA takes (RFC 3261 §20.5). */
export const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS';

export interface CallRequest {
  /** The number called (user part); the Request-URI is sip:<number>@<domain>. */
  number: string;
  /** Our SDP offer. */
  sdp: Buffer;
  /** The answer to a re-INVITE's offer; undefined when it has nothing acceptable (refused with 488). */
  answerFor?: (offer: Buffer) => Buffer | undefined;
  /**
   * A new offer, for the 2xx to a re-INVITE without SDP (RFC 3264 §8: the next version of our
   * description, never an older one); `sdp` again when absent.
   */
  offer?: () => Buffer;
  now?: () => number;
}

export type CallEnd = 'local' | 'remote' | 'cancelled' | 'failed';

export interface CallOutcome {
  callId: string;
  /** The final status of the INVITE (the last one, after an auth retry or a redirect); 0 if none came. */
  status: number;
  reason: string;
  answered: boolean;
  end: CallEnd;
  invitedAt: number;
  /** First 18x. */
  ringingAt?: number;
  answeredAt?: number;
  endedAt: number;
  /** The Reason header of the far end's BYE (RFC 3326), as written (UTF-8 text): who or what ended the talk. */
  byeReason?: string;
}

export interface CallEvents {
  /** 18x: first ringing or session progress. */
  ringing?(response: SipResponse): void;
  /** 183 (or 18x) with SDP: early media from the far end. */
  earlyMedia?(sdp: Buffer): void;
  /** The 2xx, with the answer SDP. */
  answered?(sdp: Buffer, response: SipResponse): void;
  /** A re-INVITE changed the far end's SDP. */
  remoteSdp?(sdp: Buffer): void;
  /** Another fork's 2xx after the call's (RFC 3261 §13.2.2.4): ACKed and ended with BYE; its SDP. */
  forked?(sdp: Buffer, response: SipResponse): void;
  /**
   * Our 2xx to the far end's re-INVITE had no ACK in 64*T1 (RFC 3261 §13.3.1.4): the call is ended
   * with BYE (`reason` in its Reason) right after; `why` in words, for the call's note.
   */
  unacknowledged?(reason: string, why: string): void;
}

/** The BYE's Reason text (RFC 3326) when our 2xx to a re-INVITE had no ACK (§13.3.1.4). */
export const NO_ACK_REASON = 'No ACK';

/** Why the call ended when our 2xx to a re-INVITE had no ACK, in the note of its result. */
export const noAckNote = (seconds: number): string =>
  `no ACK for the 200 to the far end's re-INVITE in ${seconds} s (64*T1): ended with BYE`;

/**
 * What a CANCEL's Reason says caused it (RFC 3326 §2): a SIP status code, or an ITU-T Q.850 cause
 * ({ q850: 19 }: "No answer from user (user alerted)", what a ring timeout is).
 */
export type CancelCause = number | { q850: number };

const reasonCause = (c: CancelCause): string =>
  typeof c === 'number' ? `SIP;cause=${c}` : `Q.850;cause=${c.q850}`;

export class OutboundCall {
  readonly callId: string;
  readonly fromTag: string;
  readonly outcome: Promise<CallOutcome>;
  events: CallEvents = {};
  private resolve!: (o: CallOutcome) => void;
  private readonly now: () => number;
  private invite: SipRequest | undefined;
  private cseq = 1;
  private auth: [string, string] | undefined;
  /** The 401/407 our credentials answer, and how many requests its nonce has signed (RFC 7616 §3.4). */
  private challenge: { response: SipResponse; nc: number } | undefined;
  /** A challenge was answered for the current Request-URI: a second one ends the call. */
  private challengeAnswered = false;
  private redirected = false;
  /** Our last 2xx to a re-INVITE without SDP carried the offer: its ACK brings the answer. */
  private offeredIn2xx = false;
  /** Our 2xx to the far end's last re-INVITE, retransmitted until its ACK (§13.3.1.4). */
  private unacked: UnackedAnswer | undefined;
  private provisional = false;
  private cancelWanted = false;
  private cancelSent = false;
  private dialog: Dialog | undefined;
  private ackBytes: Buffer | undefined;
  private ackHop: Peer | undefined;
  /** The dialogs of further 2xx (other forks), by To tag: their ACK, re-sent for each retransmission. */
  private readonly forks = new Map<string, { ack: Buffer; hop: Peer }>();
  private ending = false;
  private ended = false;
  private requestUri: string;
  /** byeAt: when we sent our BYE, the end of the talk (its answer may take Timer F from a dead far end). */
  private readonly times: { invitedAt: number; ringingAt?: number; answeredAt?: number; byeAt?: number };
  private lastStatus = 0;
  private lastReason = '';
  private endReason = '';
  private cancelCause: CancelCause = 487;
  private byeCause = 200;
  private cancelGuard: NodeJS.Timeout | undefined;
  private byeReason: string | undefined;
  /** Why an in-dialog request could not be sent (hop()). */
  private unreachable = '';

  constructor(
    private readonly ua: UserAgent,
    private readonly req: CallRequest,
    ids: { callId: string; fromTag: string },
  ) {
    this.callId = ids.callId;
    this.fromTag = ids.fromTag;
    this.now = req.now ?? Date.now;
    this.requestUri = ua.uriOf(req.number);
    this.times = { invitedAt: this.now() };
    this.outcome = new Promise((r) => (this.resolve = r));
  }

  get answered(): boolean {
    return this.times.answeredAt !== undefined;
  }

  /** Where the call is now: its last final status (200 once answered) and its times. */
  progress(): Pick<CallOutcome, 'status' | 'reason' | 'invitedAt' | 'ringingAt' | 'answeredAt'> {
    const t = this.times;
    return {
      status: this.lastStatus,
      reason: this.lastReason,
      invitedAt: t.invitedAt,
      ringingAt: t.ringingAt,
      answeredAt: t.answeredAt,
    };
  }

  get isOver(): boolean {
    return this.ended;
  }

  start(): void {
    this.sendInvite();
  }

  private sendInvite(): void {
    const ua = this.ua;
    // A 401/407 or 3xx answered by this new INVITE is no final status of the call.
    this.lastStatus = 0;
    this.lastReason = '';
    const built = buildRequest({
      method: 'INVITE',
      uri: this.requestUri,
      via: ua.via(),
      from: `<${ua.aor}>;tag=${this.fromTag}`,
      to: `<${ua.uriOf(this.req.number)}>`,
      callId: this.callId,
      cseq: this.cseq,
      contact: ua.contact,
      headers: [['User-Agent', ua.options.product], ['Allow', ALLOW], ...(this.auth ? [this.auth] : [])],
      body: this.req.sdp,
      contentType: 'application/sdp',
    });
    this.invite = built.request;
    this.provisional = false;
    this.cancelSent = false;
    ua.send(built, ua.options.server, this.inviteUser);
  }

  private readonly inviteUser: ClientTransactionUser = {
    onResponse: (response) => this.onInviteResponse(response),
    onTimeout: () => this.finish(408, 'Request Timeout', 'failed'),
    onTransportError: () => this.finish(503, 'Service Unavailable', 'failed'),
  };

  private onInviteResponse(response: SipResponse): void {
    if (this.ended) {
      // A fork's 2xx after the call ended is still ACKed and ended (§13.2.2.4).
      if (response.status >= 200 && response.status < 300) this.onStray2xx(response);
      return;
    }
    const status = response.status;
    if (status < 200) {
      // §9.1: any provisional response, 100 Trying included, allows a CANCEL.
      this.provisional = true;
      if (this.cancelWanted) this.sendCancel();
      if (status === 100) return;
      if (this.times.ringingAt === undefined && status >= 180) {
        this.times.ringingAt = this.now();
        this.events.ringing?.(response);
      }
      if (response.body.length > 0) this.events.earlyMedia?.(Buffer.from(response.body));
      return;
    }
    if (status < 300) {
      this.onSuccess(response);
      return;
    }
    this.lastStatus = status;
    this.lastReason = response.reasonText;
    if (this.cancelWanted && (status === 401 || status === 407 || status < 400)) {
      // Given up before a challenge or a redirect was followed: the INVITE is not sent again, nothing was
      // seized; the call ends as one we cancelled, as our CANCEL's 487 would have ended it (§9.1).
      this.finish(487, 'Request Terminated (given up before the INVITE was sent again)', 'cancelled');
      return;
    }
    if ((status === 401 || status === 407) && !this.challengeAnswered) {
      const auth = this.ua.authorization(response, 'INVITE', this.requestUri);
      if (auth !== undefined) {
        this.auth = auth;
        this.challenge = { response, nc: 1 };
        this.challengeAnswered = true;
        this.cseq++;
        this.sendInvite();
        return;
      }
    }
    if (status >= 300 && status < 400 && !this.redirected) {
      const target = response.contacts[0]?.uriText;
      if (target !== undefined) {
        this.redirected = true;
        this.requestUri = target;
        // RFC 3261 §8.1.3.4, §22.4 and RFC 7616 §3.4: the redirected INVITE's credentials sign its own
        // Request-URI (the digest-uri) with the next nonce-count; the old ones would be refused (400)
        // or taken for a replay. A new challenge for the new target is answered once more.
        const ch = this.challenge;
        if (ch !== undefined) {
          ch.nc++;
          this.auth = this.ua.authorization(ch.response, 'INVITE', target, ch.nc);
        }
        this.challengeAnswered = false;
        this.cseq++;
        this.sendInvite();
        return;
      }
    }
    this.finish(status, response.reasonText, this.cancelWanted && status === 487 ? 'cancelled' : 'failed');
  }

  private onSuccess(response: SipResponse): void {
    if (this.dialog !== undefined) {
      this.onStray2xx(response);
      return;
    }
    const dialog = Dialog.fromUac(this.invite!, response);
    this.dialog = dialog;
    this.lastStatus = response.status;
    this.lastReason = response.reasonText;
    const { host, advertised } = this.ua.options;
    if (isOwnTarget(dialog.remoteTarget, { host, advertised, port: this.ua.port })) {
      // A malformed peer's 2xx naming us as its Contact (RFC 3261 §12.1.2: the remote target is the
      // peer's): no ACK or BYE to ourselves; the call fails, its reason naming the Contact.
      this.unreachable = ownContact(dialog.remoteTarget);
      this.ua.options.log.warning(`dialer call ${this.callId}: ${this.unreachable}`);
      this.finish(response.status, this.unreachable, 'failed');
      return;
    }
    const ack = dialog.request('ACK', {
      via: this.ua.via(),
      cseq: this.invite!.cseq.seq,
      headers: this.auth ? [this.auth] : [],
    });
    this.ackBytes = ack.bytes;
    this.ackHop = this.hop(ack.nextHop);
    if (this.ackHop === undefined) {
      // Neither ACK nor BYE can reach the callee: no session, the call fails saying why (the callee's
      // 2xx goes unacknowledged, and it ends its side, RFC 3261 §13.3.1.4).
      this.finish(response.status, this.unreachable, 'failed');
      return;
    }
    this.times.answeredAt = this.now();
    this.resendAck();
    if (this.cancelWanted) {
      this.sendBye();
      return;
    }
    this.events.answered?.(Buffer.from(response.body), response);
  }

  private resendAck(): void {
    if (this.ackBytes === undefined || this.ackHop === undefined) return;
    this.ua.sendRaw(this.ackBytes, this.ackHop, 'ACK');
  }

  /**
   * The next hop of an in-dialog request (§12.2.1.1: first Route, else the remote target): IMS Lab for a
   * name or a TCP hop (hop.ts); undefined when neither our UDP-only agent nor IMS Lab on its behalf may
   * send there (a TLS hop), said in a WARNING and kept in `unreachable`.
   */
  private hop(nextHop: string): Peer | undefined {
    try {
      return hopOf(nextHop) ?? this.ua.options.server;
    } catch (err) {
      if (!(err instanceof UnreachableTransport)) throw err;
      this.unreachable = `cannot send to ${nextHop}: ${err.message}`;
      this.ua.options.log.warning(`dialer call ${this.callId}: ${this.unreachable}`);
      return undefined;
    }
  }

  /**
   * A further 2xx once the call has its dialog (also after the INVITE transaction ended): a
   * retransmission is acknowledged again; another fork's (a second phone of the AOR answered, crossing
   * the proxy's CANCEL) is acknowledged and ended with a BYE (§13.2.2.4: the UAC MUST ACK each 2xx and
   * SHOULD end the dialogs it does not want), its retransmissions ACKed again.
   */
  onStray2xx(response: SipResponse): void {
    const d = this.dialog;
    if (d === undefined || this.invite === undefined) return;
    if (response.to.tag === d.remoteTag) {
      this.resendAck();
      return;
    }
    const tag = response.to.tag ?? '';
    const known = this.forks.get(tag);
    if (known !== undefined) {
      this.ua.sendRaw(known.ack, known.hop, 'ACK');
      return;
    }
    const fork = Dialog.fromUac(this.invite, response);
    const ack = fork.request('ACK', {
      via: this.ua.via(),
      cseq: this.invite.cseq.seq,
      headers: this.auth ? [this.auth] : [],
    });
    const hop = this.hop(ack.nextHop);
    if (hop === undefined) return; // said in the log; that fork's callee ends its side (§13.3.1.4)
    this.forks.set(tag, { ack: ack.bytes, hop });
    this.ua.sendRaw(ack.bytes, hop, 'ACK');
    // RFC 3326 §2's words for a fork another phone took.
    const bye = fork.request('BYE', {
      via: this.ua.via(),
      headers: [
        ['User-Agent', this.ua.options.product],
        ['Reason', 'SIP;cause=200;text="Call completed elsewhere"'],
      ],
    });
    this.ua.send(bye, hop, { onResponse: () => undefined });
    this.events.forked?.(Buffer.from(response.body), response);
  }

  /**
   * The ACK of our 2xx to a re-INVITE: when the re-INVITE had no SDP, our 2xx made the offer and the ACK
   * carries the answer (RFC 3261 §13.2.1, RFC 3264 §4).
   */
  onAck(req: SipRequest): void {
    if (this.unacked?.cseq === req.cseq.seq) {
      this.unacked.stop();
      this.unacked = undefined;
    }
    if (!this.offeredIn2xx) return;
    this.offeredIn2xx = false;
    if (req.body.length > 0) this.events.remoteSdp?.(Buffer.from(req.body));
  }

  /** A request from the far end; false when it is not in our dialog. */
  onRequest(req: SipRequest, tx: ServerTransaction): boolean {
    const d = this.dialog;
    if (d === undefined || !d.accepts(req)) return false;
    switch (req.method) {
      case 'BYE':
        tx.reply(200);
        this.byeReason = req.headerText('reason'); // its text= is TEXT-UTF8 (RFC 3261 §25.1, RFC 3326)
        this.finish(this.lastStatus || 200, this.lastReason || 'OK', 'remote');
        return true;
      case 'INVITE': {
        const offer = Buffer.from(req.body);
        const answer =
          offer.length === 0
            ? (this.req.offer?.() ?? this.req.sdp)
            : this.req.answerFor
              ? this.req.answerFor(offer)
              : this.req.sdp;
        if (answer === undefined) {
          // RFC 3261 §14.2: a re-INVITE whose offer cannot be accepted is refused; the session stays.
          tx.reply(488, { toTag: d.localTag, reason: 'Not Acceptable Here (no codec in common)' });
          return true;
        }
        d.refreshTarget(req);
        const ok = tx.reply(200, {
          toTag: d.localTag,
          headers: [['Contact', this.ua.contact]],
          body: answer,
          contentType: 'application/sdp',
        });
        this.retransmitUntilAck(ok, req.cseq.seq, tx);
        if (offer.length > 0) this.events.remoteSdp?.(offer);
        this.offeredIn2xx = offer.length === 0;
        return true;
      }
      case 'OPTIONS':
        tx.reply(200, { headers: [['Allow', ALLOW]] });
        return true;
      default:
        // §8.2.1: a method we do not take (UPDATE with an offer, INFO, REFER...) is refused saying what
        // we do take; a bare 200 to an UPDATE's offer would promise an answer it does not carry (RFC 3311).
        tx.reply(405, { toTag: d.localTag, headers: [['Allow', ALLOW]] });
        return true;
    }
  }

  /**
   * RFC 3261 §13.3.1.4: our 2xx to a re-INVITE goes again at T1, doubling to T2, until its ACK; none in
   * 64*T1 and the session is ended with a BYE, the log and the call's note saying why. A newer
   * re-INVITE's 2xx takes the place of the older one's.
   */
  private retransmitUntilAck(ok: Buffer | undefined, cseq: number, tx: ServerTransaction): void {
    this.unacked?.stop();
    this.unacked = undefined;
    if (ok === undefined || this.ended) return;
    const base = this.ua.options.timerBase;
    const target = tx.target;
    this.unacked = new UnackedAnswer(
      cseq,
      () => this.ua.sendRaw(ok, target, '200'),
      () => {
        this.unacked = undefined;
        const why = noAckNote((64 * base.t1) / 1000);
        this.ua.options.log.warning(`dialer call ${this.callId}: ${why}`);
        this.events.unacknowledged?.(NO_ACK_REASON, why);
        // RFC 3326: 408, the ACK the 2xx asked for never came.
        this.hangup(NO_ACK_REASON, 487, 408);
      },
      this.ua.timers,
      base,
    );
  }

  /**
   * Ends the call: BYE when answered, CANCEL after a provisional response, else as soon as one comes.
   * Both say why (RFC 3326 §2): the BYE with `byeCause` (200, or 488 Not Acceptable Here after an answer
   * we cannot use), the CANCEL with `cancelCause` (Q.850 19 when nobody answered in time, 487 when the
   * call was given up).
   */
  hangup(reason = 'Normal', cancelCause: CancelCause = 487, byeCause = 200): void {
    if (this.ended || this.ending) return;
    this.endReason = reason;
    this.cancelCause = cancelCause;
    this.byeCause = byeCause;
    if (this.dialog !== undefined) {
      this.sendBye();
      return;
    }
    this.cancelWanted = true;
    if (this.provisional) this.sendCancel();
    // §9.1: no final response 64*T1 after the CANCEL: the INVITE is considered cancelled.
    this.cancelGuard = setTimeout(
      () => this.finish(487, 'Request Terminated (no final response after CANCEL)', 'cancelled'),
      64 * this.ua.options.timerBase.t1,
    );
    this.cancelGuard.unref();
  }

  private sendCancel(): void {
    if (this.cancelSent || this.invite === undefined) return;
    this.cancelSent = true;
    const reason: [string, string][] =
      this.endReason === ''
        ? []
        : [['Reason', `${reasonCause(this.cancelCause)};text=${quoted(this.endReason)}`]];
    const cancel = cancelRequest(this.invite, reason);
    // §9.1: the 200 to the CANCEL tells nothing; the INVITE's 487 ends the call.
    this.ua.send(cancel, this.ua.options.server, { onResponse: () => undefined });
  }

  private sendBye(): void {
    const d = this.dialog!;
    this.ending = true;
    this.unacked?.stop(); // the BYE ends the session whatever became of our 2xx
    this.times.byeAt = this.now();
    const bye = d.request('BYE', {
      via: this.ua.via(),
      headers: [
        ['User-Agent', this.ua.options.product],
        ...(this.endReason !== '' && this.endReason !== 'Normal'
          ? ([['Reason', `SIP;cause=${this.byeCause};text=${quoted(this.endReason)}`]] as [string, string][])
          : []),
      ],
    });
    const done = (): void => this.finish(this.lastStatus || 200, this.lastReason || 'OK', 'local');
    const hop = this.hop(bye.nextHop);
    if (hop === undefined) {
      this.finish(this.lastStatus || 200, this.unreachable, 'local');
      return;
    }
    this.ua.send(bye, hop, {
      onResponse: (r) => {
        if (r.status >= 200) done();
      },
      onTimeout: done,
      onTransportError: done,
    });
  }

  /** Forgets the call without signalling (the user agent is stopping). */
  abandon(reason: string): void {
    this.finish(this.lastStatus, reason, this.answered ? 'local' : 'failed');
  }

  private finish(status: number, reason: string, end: CallEnd): void {
    if (this.ended) return;
    this.ended = true;
    if (this.cancelGuard !== undefined) clearTimeout(this.cancelGuard);
    this.unacked?.stop();
    this.resolve({
      callId: this.callId,
      status,
      reason,
      answered: this.answered,
      end,
      invitedAt: this.times.invitedAt,
      ringingAt: this.times.ringingAt,
      answeredAt: this.times.answeredAt,
      endedAt: this.times.byeAt ?? this.now(),
      ...(this.byeReason === undefined ? {} : { byeReason: this.byeReason }),
    });
  }
}

/** A quoted-string (RFC 3261 §25.1): a reason may quote what it names. */
function quoted(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&')}"`;
}
