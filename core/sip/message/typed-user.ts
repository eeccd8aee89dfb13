// A user part as it was typed, for the records and displays that show numbers: its escapes decoded as
// UTF-8 (RFC 3261 §19.1.4: an escaped character is the character; a dialled `*21#` goes as
// `sip:*21%23@...`). Plain string work, so that the console can use it too.

/** The user part decoded; as written when a decoded character would be a control character or the octets are not UTF-8. */
export function typedUser(user: string): string {
  if (user.indexOf('%') < 0) return user;
  let text: string;
  try {
    text = decodeURIComponent(user);
  } catch {
    return user; // not UTF-8, or a % without two hex digits
  }
  return /\p{Cc}/u.test(text) ? user : text;
}
