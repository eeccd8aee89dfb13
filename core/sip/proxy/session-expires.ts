// RFC 4028 session timers, as a proxy on the dialog's path sees them. The 2xx to an INVITE or UPDATE
// carries the session interval the two UAs agreed (§4: `Session-Expires: 1800;refresher=uac`, compact
// form `x`); the session expires that many seconds after the 2xx unless a refresh (a re-INVITE or UPDATE
// answered 2xx with Session-Expires) comes first. A 2xx without it turns the timer off (§7.2, §9).
// §8.3: at the expiration a proxy "MAY remove associated call state" and "MUST NOT send a BYE": IMS Lab
// ends the call's record there (both phones gone, say, one powered off and the other crashed) instead of
// keeping it answered until CALL.MAX_DURATION; a UA still alive sends its own BYE before (§10).

/** The largest interval taken (a timer's range, about 24 days); a larger one counts as none. */
const MAX_SECONDS = 2_147_483;

/** Why a call whose session interval passed without a refresh ended (its CDR's end_reason). */
export const SESSION_EXPIRED_REASON = 'Session expired (no refresh, RFC 4028)';

/**
 * The session interval of a Session-Expires value in ms (its delta-seconds: `1800;refresher=uac` is
 * 1,800,000), or undefined for none, 0 or a value that is not delta-seconds.
 */
export function sessionIntervalMs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^\s*(\d{1,10})\s*(?:;|$)/.exec(value);
  if (m === null) return undefined;
  const seconds = Number(m[1]);
  return seconds > 0 && seconds <= MAX_SECONDS ? seconds * 1000 : undefined;
}
