// The user a URI names, as the CDR's number columns and the activity log write it.
import { typedUser } from './typed-user';
import { parseUri } from './uri';

/** The user part of a sip:/sips: URI (tel: its number), '' when it has none. */
export function uriUser(uri: string): string {
  const parsed = parseUri(uri.trim());
  if (parsed?.kind === 'sip') return typedUser(parsed.user ?? '');
  if (parsed?.kind === 'tel') return parsed.number;
  return '';
}

/**
 * The authenticated user (1001 of its AOR) when the From's number is not theirs (anonymous, or another
 * user's, refused 403), else undefined.
 */
export function otherAuthenticatedUser(aor: string | undefined, fromNumber: string): string | undefined {
  if (aor === undefined) return undefined;
  const user = uriUser(aor);
  return user === fromNumber ? undefined : user;
}
