// The proxy's own MACs for what it writes into URIs and reads back (flow tokens, dialog marks): HMAC-SHA256
// as 16 lower-case hex characters (a Record-Route comes back in responses, often before CSeq, and SIPp
// takes the first "CSeq" anywhere in a response for its CSeq header). Flow tokens are signed under a key
// of this process (connections do not outlive it); dialog marks under one derived from the data folder's
// secret.key, so that the dialogs set up before a restart are still known for ours after it.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const MAC_CHARS = 16;

export class UriMac {
  private readonly key: Buffer;

  /** Under `installationKey` (secret.key) for `purpose`, or a random key of this process when absent. */
  constructor(purpose: string, installationKey?: Buffer) {
    this.key =
      installationKey === undefined
        ? randomBytes(32)
        : createHmac('sha256', installationKey).update(`IMS Lab ${purpose}`).digest();
  }

  of(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('hex').slice(0, MAC_CHARS);
  }

  /** Is `given` the MAC of `payload` (any case)? Compared in constant time. */
  matches(given: string, payload: string): boolean {
    if (given.length !== MAC_CHARS) return false;
    return timingSafeEqual(Buffer.from(given.toLowerCase()), Buffer.from(this.of(payload)));
  }
}

/** The flow tokens' key: connections, and the tokens naming them, end with the process. */
export const FLOW_MAC = new UriMac('flow tokens');
