// A header the proxy reads only when it needs it (parsed lazily, DESIGN "the hot path is lean"): one that
// is malformed throws a SipParseError at that late read, mid-update. Where the message is relayed anyway
// (a 2xx, RFC 3261 §16.7 step 5: the UA is the one to fail on it), the caller of lateRead takes the
// fallback instead, so that its own state is updated whole.
import { SipParseError } from '../message/index';

/** `read()`, or `fallback` when it throws a SipParseError (any other error is thrown on). */
export function lateRead<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof SipParseError) return fallback;
    throw err;
  }
}
