// Telephone numbers in URIs: a tel: URI's number (RFC 3966) and the user part of a SIP URI with
// user=phone, which is a telephone-subscriber (RFC 3261 §19.1.6, RFC 3966 §3): the number, then its
// parameters (;isub=, ;ext=, ;phone-context=...), which are not part of the number.
import { uriParam, type Uri } from './uri';

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

const asWritten = (user: string): string => user;

/**
 * The user a URI names, as the proxy routes it (target-set.ts): a tel: URI's number, and with user=phone
 * a SIP URI's number, without parameters and visual separators (tel:+49-30-123 and
 * sip:+49-30-123;isub=1@host;user=phone are +4930123); another SIP URI's user part as it is. `decode`
 * makes text of a still-escaped user part (unescape, typedUser); '' for a URI of another scheme.
 */
export function userNumber(uri: Uri, decode: (user: string) => string = asWritten): string {
  if (uri.kind === 'tel') return withoutSeparators(decode(uri.number));
  if (uri.kind !== 'sip') return '';
  const user = uri.user ?? '';
  if (user === '' || uriParam(uri, 'user')?.toLowerCase() !== 'phone') return decode(user);
  return withoutSeparators(decode(subscriberNumber(user)));
}
