// A request IMS Lab forwarded for an authenticated user, as it must look when it comes back to us (a
// spiral, RFC 3261 §16.3 step 4: through an application server or another domain's proxy, a new
// Request-URI and a Via on top of ours). Proxies on the way change the Request-URI, Route, Via,
// Max-Forwards and Record-Route (§16.6) but not the transaction and dialog identifiers nor the body
// (§16.6: "the proxy ... MUST NOT" change them, bar what it adds): Call-ID, From and its tag, CSeq and
// method, and the body are the same. A request that differs is not the one we forwarded, whatever Via
// of ours it carries (the hop we sent it to saw that Via and could copy it), and is challenged.
import type { SipRequest } from '../message/index';

export interface SpiralOrigin {
  /** The user it was authenticated as. */
  readonly user: string;
  readonly callId: string;
  readonly from: string;
  readonly fromTag: string | undefined;
  readonly cseq: number;
  readonly method: string;
  readonly body: Buffer;
}

const EMPTY = Buffer.alloc(0);

/** What must come back unchanged of `req`, forwarded for `user`. */
export function spiralOrigin(req: SipRequest, user: string): SpiralOrigin {
  return {
    user,
    callId: req.callId,
    from: req.from.uriText,
    fromTag: req.from.tag,
    cseq: req.cseq.seq,
    method: req.method,
    body: req.body.length === 0 ? EMPTY : Buffer.from(req.body), // its own bytes: the input's may go
  };
}

/** Is `req` the request `origin` describes, come back? */
export function sameRequest(req: SipRequest, origin: SpiralOrigin): boolean {
  return (
    req.callId === origin.callId &&
    req.cseq.seq === origin.cseq &&
    req.method === origin.method &&
    req.from.tag === origin.fromTag &&
    req.from.uriText === origin.from &&
    req.body.equals(origin.body)
  );
}
