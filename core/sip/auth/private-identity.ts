// A digest username in the form of a private user identity, user@realm (3GPP TS 23.003 §13.3: what IMS
// phones and test tools send as their IMPI). IMS Lab's user names cannot hold '@' (user-fields.ts), so
// the part before it names the account; the HA1 is still computed over the username exactly as sent
// (RFC 7616 §3.4.2), as Kamailio's auth_db does with its ha1b column.

/** The account a digest username names: itself, or the user of user@realm; undefined when malformed. */
export function accountOf(username: string): string | undefined {
  const at = username.indexOf('@');
  if (at < 0) return username;
  return at > 0 && at < username.length - 1 ? username.slice(0, at) : undefined;
}
