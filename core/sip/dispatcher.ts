// What the appliance does with each new request, after the transaction layer: the checks every element
// makes first (a tel: Request-URI made a SIP URI of ours by the proxy, §8.2.2.1 416 for a scheme it
// cannot handle, §16.3 step 3 483 when Max-Forwards is 0),
// REGISTER to the registrar, OPTIONS addressed to IMS Lab itself answered here (with Allow, Accept,
// Supported: §11.2; 482 for a merged one, §8.2.2.2), and everything else to the proxy.
import { MergedRequests } from './merged-requests';
import { reasonPhrase, type SipRequest, type SipResponse } from './message/index';
import { ALLOW_EVENTS } from './registrar/event-packages';
import { REGISTRAR_EXTENSIONS } from './registrar/option-tags';
import type { Registrar, StatelessAnswer } from './registrar/registrar';
import type { TransactionCore } from './transaction/layer';
import type { ServerTransaction } from './transaction/server-transaction';
import type { Peer } from './transport/peer';

export const ALLOW =
  'INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE, REGISTER, PRACK, UPDATE, REFER, NOTIFY, SUBSCRIBE, INFO';

/** The proxy core (core/sip/proxy/proxy.ts) plugs in here. */
export interface RequestRouter {
  route(request: SipRequest, tx: ServerTransaction | undefined, source: Peer): void;
  strayResponse?(response: SipResponse, source: Peer): void;
  /** A challenge to send without a transaction, or undefined for the stateful path. */
  statelessChallenge?(request: SipRequest, source: Peer): StatelessAnswer | undefined;
  /** Rewrites a tel: Request-URI to a SIP URI of ours; false when it does not. */
  telToSip?(request: SipRequest): boolean;
  /** Is the request for IMS Lab itself (no user, our address, no Route past us)? */
  addressedToUs?(request: SipRequest): boolean;
  /** Does the request carry a Route that is not ours (it goes on past us)? */
  routedPastUs?(request: SipRequest): boolean;
  /** A request answered here before routing (483), with the answer's status and To tag. */
  answeredHere?(request: SipRequest, status: number, toTag: string): void;
}

export class Dispatcher implements TransactionCore {
  router: RequestRouter | undefined;
  /** Told of every OPTIONS answered here, with its status (the CDR's OPTIONS rows). */
  onOptions: ((req: SipRequest, source: Peer, statusCode: number, statusText: string) => void) | undefined;

  private readonly merged: MergedRequests;

  /** `now`: the clock merged requests are remembered by (monotonic by default). */
  constructor(
    private readonly registrar: Registrar,
    now?: () => number,
  ) {
    this.merged = new MergedRequests(now);
  }

  onRequest(req: SipRequest, tx: ServerTransaction | undefined, source: Peer): void {
    if (tx === undefined) {
      // An ACK of its own (for a 2xx): only the proxy has a use for it.
      this.router?.route(req, undefined, source);
      return;
    }
    const uri = this.sipUriOf(req);
    if (uri.kind !== 'sip') {
      tx.reply(416);
      return;
    }
    if (req.method === 'OPTIONS' && this.toUs(req)) {
      if (this.merged.merged(req)) tx.reply(482, { reason: 'Loop Detected (merged request)' });
      else this.answerOptions(req, tx, source);
      return;
    }
    // A REGISTER with a Route past us is for a registrar further on (IMS Lab as an outbound proxy or a
    // P-CSCF, §16.4): the proxy routes it, or refuses it as relaying; it is not registered here.
    const register =
      req.method === 'REGISTER' && !(req.has('route') && this.router?.routedPastUs?.(req) === true);
    if (req.maxForwards === 0 && !register) {
      tx.reply(483);
      this.router?.answeredHere?.(req, 483, tx.toTag);
      return;
    }
    if (register) {
      this.registrar.handle(req, tx, source);
      return;
    }
    if (this.router !== undefined) {
      this.router.route(req, tx, source);
      return;
    }
    tx.reply(501, { reason: 'Not Implemented (no proxy configured)' });
  }

  /**
   * An OPTIONS to IMS Lab itself, answered as a UAS: §11.2 (Allow, Accept, Supported; RFC 4475 §3.3.11:
   * even at Max-Forwards 0), unless it Requires an extension, which no UAS here supports: §8.2.2.3 420 with
   * them all in Unsupported (RFC 4475 §3.3.5, bext01). Proxy-Require is for proxies and is not read here.
   */
  private answerOptions(req: SipRequest, tx: ServerTransaction, source: Peer): void {
    const required = req.tokens('require');
    const status = required.length > 0 ? 420 : 200;
    tx.reply(
      status,
      status === 420
        ? { headers: [['Unsupported', required.join(', ')]] }
        : {
            headers: [
              ['Allow', ALLOW],
              ['Allow-Events', ALLOW_EVENTS.join(', ')], // RFC 6665 §8.2.2: what IMS Lab notifies itself
              ['Accept', 'application/sdp'],
              ['Accept-Encoding', 'identity'],
              ['Accept-Language', 'en'],
              ['Supported', REGISTRAR_EXTENSIONS.join(', ')], // Path, GRUU and SIP Outbound
            ],
          },
    );
    if (this.onOptions !== undefined) {
      try {
        this.onOptions(req, source, status, reasonPhrase(status));
      } catch {
        // The answer is sent; a row that cannot be built is not the caller's problem.
      }
    }
  }

  /**
   * §8.2.7: requests without credentials are challenged without a transaction, REGISTERs by the registrar
   * (401), the proxy's authenticated methods by the proxy (407, as Kamailio's auth_challenge does); never
   * a request that `onRequest` answers itself first (416, OPTIONS to us, 483).
   */
  statelessAnswer(req: SipRequest, source: Peer): StatelessAnswer | undefined {
    if (req.method === 'REGISTER') return this.registrar.statelessChallenge(req, source);
    const uri = this.sipUriOf(req);
    if (uri.kind !== 'sip' || req.maxForwards === 0) return undefined;
    if (req.method === 'OPTIONS' && this.toUs(req)) return undefined;
    return this.router?.statelessChallenge?.(req, source);
  }

  /** §11.2: an OPTIONS for IMS Lab itself is answered here; one for another element is routed on. */
  private toUs(req: SipRequest): boolean {
    if (this.router?.addressedToUs !== undefined) return this.router.addressedToUs(req);
    const uri = req.requestUri;
    return uri.kind === 'sip' && (uri.user === undefined || uri.user === '');
  }

  /** The Request-URI, a tel: one made a SIP URI of ours first (the proxy's telToSip); 416 for others. */
  private sipUriOf(req: SipRequest): SipRequest['requestUri'] {
    if (req.requestUri.kind === 'tel' && req.method !== 'REGISTER') this.router?.telToSip?.(req);
    return req.requestUri;
  }

  onStrayResponse(response: SipResponse, source: Peer): void {
    this.router?.strayResponse?.(response, source);
  }
}
