// The proxy's own MACs for what it writes into URIs and reads back (flow tokens, dialog marks): HMAC-SHA256
// under a key of this process, as 16 lower-case hex characters (a Record-Route comes back in responses,
// often before CSeq, and SIPp takes the first "CSeq" anywhere in a response for its CSeq header). Nothing
// signed outlives the process: connections do not, and the call tracker forgets dialogs too.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const KEY = randomBytes(32);
const MAC_CHARS = 16;

export function processMac(payload: string): string {
  return createHmac('sha256', KEY).update(payload).digest('hex').slice(0, MAC_CHARS);
}

/** Is `given` the MAC of `payload` (any case)? Compared in constant time. */
export function isProcessMac(given: string, payload: string): boolean {
  if (given.length !== MAC_CHARS) return false;
  return timingSafeEqual(Buffer.from(given.toLowerCase()), Buffer.from(processMac(payload)));
}
