// The user agent's registration (RFC 3261 §10.2): REGISTER with our Contact, answering the registrar's
// digest challenge; asked again with the registrar's Min-Expires after a 423 (§10.2.8); refreshed at
// half the granted time (§10.2.4); removed with Expires: 0 (§10.2.2).
import { newCallId, newTag, type SipResponse } from '../message/index';
import type { NameAddr } from '../message/name-addr';
import { parseUri, type SipUri } from '../message/uri';
import { sipUriEquals } from '../message/uri-compare';
import type { UserAgent } from './user-agent';

/** After a failed refresh, the next try: every 10 s, or half the time last granted if shorter. */
const RETRY_MS = 10_000;

export interface RegistrationResult {
  ok: boolean;
  status: number;
  reason: string;
  /** The REGISTER never left: our own transport's reason (status is 503, made up, §8.1.3.1). */
  unsent?: string;
  /** Seconds granted (ok only). */
  expires?: number;
}

export class Registration {
  private readonly callId: string;
  private readonly tag = newTag();
  private cseq = 1;
  private refresh: NodeJS.Timeout | undefined;
  registered = false;
  /** The last result (DSP DIALSVC shows it). */
  last: RegistrationResult | undefined;
  /** A refresh failed: the owner hears of it. */
  onLost: ((r: RegistrationResult) => void) | undefined;
  /** Seconds the registrar granted last. */
  private granted: number;
  /** Seconds asked for: the owner's, or the registrar's Min-Expires once it answered 423. */
  private asking: number;
  /** A recheck() is under way (a campaign's calls may all be refused at once). */
  private checking = false;
  /** A refresh took again after one failed. */
  onRegained: (() => void) | undefined;

  constructor(
    private readonly ua: UserAgent,
    expires: number,
  ) {
    this.callId = newCallId(ua.options.advertised);
    this.granted = expires;
    this.asking = expires;
  }

  register(): Promise<RegistrationResult> {
    return this.send(this.asking);
  }

  /** Removes our binding; resolves whatever the answer (a stopped registrar must not block a stop). */
  async unregister(): Promise<RegistrationResult> {
    this.stopRefresh();
    if (!this.registered) return { ok: true, status: 0, reason: 'not registered' };
    this.registered = false;
    return this.send(0);
  }

  /** The registrar let our binding go (removed by its operator, expired): registers again at once. */
  lost(): Promise<void> {
    this.registered = false;
    this.stopRefresh();
    return this.renew();
  }

  /**
   * Something else was refused for our credentials (a call's signed INVITE): the registrar is asked now
   * rather than at the next refresh, so that `registered` and `last` say what it answers (a binding made
   * before the account's password changed stays until it expires). A refusal tells the owner (onLost)
   * and retries as a failed refresh does.
   */
  recheck(): Promise<void> {
    if (!this.registered || this.checking) return Promise.resolve();
    this.stopRefresh();
    this.checking = true;
    return this.renew().finally(() => (this.checking = false));
  }

  stopRefresh(): void {
    if (this.refresh !== undefined) clearTimeout(this.refresh);
    this.refresh = undefined;
  }

  private async send(expires: number): Promise<RegistrationResult> {
    const ua = this.ua;
    const seq = this.cseq;
    this.cseq += 2; // the challenge's retry takes seq + 1
    const { response, status, unsent } = await ua.sendWithAuth(
      {
        method: 'REGISTER',
        uri: `sip:${ua.options.domain}`,
        from: `<${ua.aor}>;tag=${this.tag}`,
        to: `<${ua.aor}>`,
        callId: this.callId,
        contact: ua.contact,
        headers: [
          ['Expires', String(expires)],
          ['User-Agent', ua.options.product],
        ],
      },
      seq,
    );
    // 423 Interval Too Brief: the registrar's shortest interval is in its Min-Expires (§10.2.8, §20.23);
    // asked once more with it, and from then on (the refreshes too).
    const min = status === 423 && expires > 0 ? minExpires(response) : undefined;
    if (min !== undefined && min > expires) {
      this.asking = min;
      return this.send(min);
    }
    const result: RegistrationResult = {
      ok: status >= 200 && status < 300,
      status,
      reason: response?.reasonText ?? (status === 408 ? 'Request Timeout' : 'Service Unavailable'),
      ...(unsent !== undefined ? { unsent } : {}),
    };
    if (expires === 0) return result;
    this.last = result;
    if (result.ok) {
      result.expires = grantedExpires(response!, ua.contact, expires);
      this.granted = result.expires;
      this.registered = true;
      this.stopRefresh();
      this.refresh = setTimeout(() => void this.renew(), Math.max(1, result.expires / 2) * 1000);
      this.refresh.unref();
    } else this.registered = false;
    return result;
  }

  private async renew(): Promise<void> {
    this.refresh = undefined;
    const wasLost = !this.registered;
    const r = await this.send(this.asking);
    if (r.ok) {
      if (wasLost) this.onRegained?.();
      return;
    }
    this.onLost?.(r);
    // Tried again until it takes (a registrar restarting, an account re-created): one failed refresh
    // must not leave the user agent unregistered for good.
    if (this.refresh === undefined) {
      this.refresh = setTimeout(() => void this.renew(), Math.min(RETRY_MS, this.granted * 500));
      this.refresh.unref();
    }
  }
}

/** The Min-Expires of a 423 (§20.23): delta-seconds, within a day. */
function minExpires(response: SipResponse | undefined): number | undefined {
  const h = response?.header('min-expires')?.trim();
  return h !== undefined && /^\d{1,5}$/.test(h) && Number(h) <= 86_400 ? Number(h) : undefined;
}

/**
 * The seconds granted to our own binding (§10.2.4): the 200 lists every binding of the AOR, the same
 * user's phones too (a dialer registered as 1003 beside 1003's phone), and ours is the Contact equal to
 * the one we sent (§19.1.4), with its expires parameter. Not found (a registrar that rewrote it): the
 * shortest listed, so that a refresh comes early rather than late; none listed: the Expires header.
 */
function grantedExpires(response: SipResponse, ours: string, asked: number): number {
  const mine = parseUri(ours.replace(/^<(.*)>$/, '$1'));
  const listed: number[] = [];
  for (const c of response.contacts) {
    const e = c.params.find((p) => p.name.toLowerCase() === 'expires')?.value;
    if (e === undefined || e === null || !/^\d+$/.test(e)) continue;
    if (mine?.kind === 'sip' && isUri(c, mine)) return Number(e);
    listed.push(Number(e));
  }
  if (listed.length > 0) return Math.min(...listed);
  const h = response.header('expires');
  return h !== undefined && /^\d+$/.test(h) ? Number(h) : asked;
}

/** Is this Contact's URI `uri` (§19.1.4)? A Contact that does not parse is not ours. */
function isUri(contact: NameAddr, uri: SipUri): boolean {
  try {
    const u = contact.uri;
    return u.kind === 'sip' && sipUriEquals(u, uri);
  } catch {
    return false;
  }
}
