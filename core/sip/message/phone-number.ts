// Telephone numbers in URIs: a tel: URI's number (RFC 3966) and the user part of a SIP URI with
// user=phone, which is a telephone-subscriber (RFC 3261 §19.1.6, RFC 3966 §3): the number, then its
// parameters (;isub=, ;ext=, ;phone-context=...), which are not part of the number.

/** RFC 3966 §5.1.1: visual separators are not significant: 1-0-0-2, 10.02 and (10)02 are 1002. */
export function withoutSeparators(number: string): string {
  return number.replace(/[-.()]/g, '');
}

/**
 * The number of a telephone-subscriber user part, as written (still escaped): what comes before its
 * first parameter. `1002;phone-context=ims.lab` (a 3GPP TS 24.229 UE's local number) is 1002.
 */
export function subscriberNumber(user: string): string {
  const semi = user.indexOf(';');
  return semi < 0 ? user : user.slice(0, semi);
}
