// An ACK for a 2xx response (RFC 3261 §13.2.2.4) has no transaction of its own: the proxy core (proxy.ts)
// forwards it statelessly (§16.11), along its Route, down the connection a flow token of ours names
// (RFC 5626 §5.3, flow-token.ts), to the device a GRUU of ours names (RFC 5627 §7), or, with no Route at
// all to a user of ours, where an in-dialog request would go (target-set.ts). A GRUU whose device is not
// registered any more (it unregistered while ringing, then answered with its GRUU as Contact) answers
// other requests 480, but an ACK gets no answer: it goes where the call tracker saw the 2xx come from,
// else it is dropped with a DEBUG line (anyone may send such ACKs, one a packet: a WARNING each would let
// them fill the log). An ACK that loops, names a
// flow token not ours, or is for us goes nowhere; so does one for another domain, or along a Route past
// us, that is in no dialog through us (no mark of ours, dialog-token.ts, and no call we track) while
// PROXY.RELAY_FOREIGN is off: anyone could otherwise have IMS Lab send an ACK with a body of theirs to
// any address (a relay, as a forged INVITE was).
import type { Log } from '../../observe/log';
import { unescape, uriParam, type SipRequest, type Uri } from '../message/index';
import type { Peer } from '../transport/peer';
import type { CallTracker } from './call-tracker';
import { carriesDialogMark } from './dialog-token';
import { flowHop, TAMPERED } from './flow-token';
import type { LocalIdentity } from './local-identity';
import { statelessBranch } from './loop-hash';
import { literalHop, resolveHop } from './next-hop';
import type { OurCredentials } from './our-credentials';
import { pushRoutes } from './path-target';
import { checkLoop } from './request-checks';
import { preprocessRoutes, strictNextHop } from './route-preprocess';
import { carriesSips, type Onward, type TargetSet } from './target-set';

export interface AckDeps {
  calls: CallTracker;
  /** Sends bytes with no transaction (stateless forwarding). */
  send(data: Buffer, to: Peer, kind: string): void;
  log: Pick<Log, 'debug'>;
}

export class StatelessAck {
  constructor(
    private readonly deps: AckDeps,
    private readonly targetSet: TargetSet,
    private readonly credentials: OurCredentials,
  ) {}

  /**
   * An ACK for a 2xx (§13.2.2.4) travels end to end: forwarded statelessly along its Route (§16.11); one
   * that came with no Route to a user of ours goes where an in-dialog request would (dialogTargets).
   */
  forward(req: SipRequest, me: LocalIdentity, source: Peer): void {
    if (req.method !== 'ACK') return;
    if (checkLoop(req, me) !== undefined) return;
    // As it arrived: its copies may be retargeted to a sip: Contact; our Route is popped below.
    const arrived = { top: req.routes[0]?.uri, ruri: req.requestUri };
    const secure = req.requestUri.kind === 'sip' && req.requestUri.scheme === 'sips';
    this.deps.calls.inDialog(req);
    const routed = req.routes.length > 0;
    const flow = flowHop(preprocessRoutes(req, me), source);
    if (flow === TAMPERED) return;
    // RFC 5627 §7.1: a GRUU of ours is resolved with a Route or a flow left too (target-set.ts dialogGruu).
    if (routed && this.toGruu(req, me, secure)) return;
    if (flow !== undefined) {
      this.send(req, me, flow, secure);
      return;
    }
    const route = req.routes[0]?.uri;
    const ruri = req.requestUri;
    if (route === undefined && this.toGruu(req, me, secure)) return;
    if (
      !routed &&
      ruri.kind === 'sip' &&
      ruri.user !== undefined &&
      ruri.user !== '' &&
      me.isOurDomain(ruri)
    ) {
      const targets = this.targetSet.dialogTargets(req, unescape(ruri.user));
      if (targets.length > 0) {
        this.sendToFirst(req, me, targets, secure);
        return;
      }
    }
    const next = route ?? ruri;
    if (next.kind !== 'sip' || (route === undefined && me.isMe(next.host, next.port))) return;
    const ours = route === undefined && me.isOurDomain(next);
    if (!ours && !this.targetSet.relaysForeign && !this.throughUs(req, me, arrived)) return;
    const hop = literalHop(next);
    if (hop === undefined) {
      resolveHop(next, this.targetSet.resolver)
        .then((h) => this.send(req, me, h, secure))
        .catch(() => undefined);
      return;
    }
    this.send(req, me, hop, secure);
  }

  /** Is the ACK of a dialog through us: our mark where we put it, or a call the tracker follows? */
  private throughUs(
    req: SipRequest,
    me: LocalIdentity,
    arrived: { top: Uri | undefined; ruri: Uri },
  ): boolean {
    return carriesDialogMark(arrived.top, arrived.ruri, req, me) || this.deps.calls.knows(req);
  }

  /**
   * RFC 5627 §7: an ACK whose Request-URI is a GRUU of ours (the callee's Contact, once our Route is
   * gone) goes to that device's binding, as any request to a GRUU; true when it was one. A GRUU with no
   * device registered now would be a 480, which an ACK cannot get (§17.1.1.3): the ACK of a call we
   * track goes to the party the 2xx came from (dialogPeer, as an in-dialog request without Route does),
   * since the callee retransmits its 2xx until it has it and then hangs up (§13.3.1.4).
   */
  private toGruu(req: SipRequest, me: LocalIdentity, secure: boolean): boolean {
    const ruri = req.requestUri;
    if (ruri.kind !== 'sip' || uriParam(ruri, 'gr') === undefined || !ruri.user || !me.isOurDomain(ruri))
      return false;
    void this.targetSet.gruuTargets(ruri, unescape(ruri.user)).then((targets) => {
      if (Array.isArray(targets)) {
        this.sendToFirst(req, me, targets, secure);
        return;
      }
      const peer = this.deps.calls.dialogPeer(req);
      if (peer !== undefined) {
        this.sendToFirst(req, me, [peer], secure);
        return;
      }
      this.deps.log.debug(
        `ACK ${req.uri} (Call-ID ${req.callId}) dropped: its GRUU answers ${targets.status}` +
          ` ${targets.reason ?? ''}, and no call of ours has this dialog`,
      );
    });
    return true;
  }

  /**
   * §16.11: a stateless proxy MUST choose one and only one target: the ACK goes to the first (the
   * contact of highest q, the first registered among equals), retargeted and routed, never to every device
   * of the user (each of the others got an ACK for a 2xx it never sent).
   */
  private sendToFirst(req: SipRequest, me: LocalIdentity, targets: readonly Onward[], secure: boolean): void {
    const t = targets[0];
    if (t === undefined) return;
    if (t.uri !== undefined) req.setUri(t.uri);
    if (t.route !== undefined) pushRoutes(req, t.route);
    this.send(req, me, t.hop, secure);
  }

  private send(req: SipRequest, me: LocalIdentity, hop: Peer, secure: boolean): void {
    // §26.2.2: a sips: request goes on over TLS (or WSS) only; an ACK gets no 480, so it goes nowhere.
    if (secure && !carriesSips(hop.transport)) return;
    if (req.decrementMaxForwards() < 0) return;
    if (req.routes.length > 0) strictNextHop(req); // §16.6 step 6, as for any request
    this.credentials.remove(req); // §22.3: the INVITE's credentials, repeated (§13.2.2.4), end here
    req.prependHeader('Via', me.via(hop.transport, statelessBranch(req), hop.address));
    req.ensureContentLength();
    this.deps.send(req.toBuffer(), hop, 'ACK');
  }
}
