// Strings that outlive their message. V8 represents a substring of 13 characters or more as a "sliced
// string" that keeps its parent alive: a Call-ID read from a parsed message pins the whole header
// section (several hundred bytes) for as long as it is kept. What lives long (bindings, transaction
// keys, call records) keeps a copy instead, so that 100,000 bindings do not hold 100,000 messages.

/** A flat copy of `s` that does not keep the string it was cut from alive. */
export function detached(s: string): string {
  // Short substrings are copies already; a round trip through bytes makes one flat string (a slice of
  // a concatenation would still be a slice, of a string one character longer).
  return s.length < 13 ? s : Buffer.from(s, 'utf8').toString('utf8');
}
