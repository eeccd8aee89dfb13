// RFC 3261 §8.2.2.2, merged requests, where IMS Lab is the UAS itself (an OPTIONS to IMS Lab): a request
// with no To tag whose From tag, Call-ID and CSeq match one that came through another transaction (a
// fork of it that took another path here) is answered 482. Kept for OPTIONS to IMS Lab only: that is
// off the hot path (REGISTER is refreshed by the thousands a second and never forks; a request to a user
// is the phone's to judge, §16.3 leaves it to the UAS). One entry per OPTIONS, for 64*T1 (a fork cannot
// come later than its transaction lives), and at most MAX_ENTRIES of them whatever a peer sends.
import type { SipRequest } from './message/index';

/** 64*T1: a non-INVITE client transaction's life (Timer F), so the latest a fork can arrive. */
const WINDOW_MS = 32_000;
const MAX_ENTRIES = 4096;

interface Seen {
  /** The transaction it came in (§17.2.3: branch and sent-by). */
  transaction: string;
  until: number;
}

export class MergedRequests {
  /** In arrival order, so in order of `until`: the oldest are first, pruned from the front. */
  private readonly seen = new Map<string, Seen>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Is this request a merged one (482)? Otherwise it is remembered for the ones that may follow. */
  merged(req: SipRequest): boolean {
    const fromTag = req.from.tag;
    const branch = req.topVia.branch;
    // With a To tag it is in a dialog; an RFC 2543 request (no tag, no branch) is matched otherwise.
    if (req.to.tag !== undefined || fromTag === undefined || branch === undefined) return false;
    const key = `${fromTag}\n${req.callId}\n${req.cseq.seq}\n${req.cseq.method}`;
    const transaction = `${branch}\n${req.topVia.host}:${req.topVia.port ?? ''}`;
    const now = this.now();
    const before = this.seen.get(key);
    if (before !== undefined && before.until > now) return before.transaction !== transaction;
    this.prune(now);
    this.seen.delete(key); // re-entered at the back, in arrival order
    this.seen.set(key, { transaction, until: now + WINDOW_MS });
    return false;
  }

  private prune(now: number): void {
    for (const [key, s] of this.seen) {
      if (s.until > now && this.seen.size < MAX_ENTRIES) break;
      this.seen.delete(key);
    }
  }
}
