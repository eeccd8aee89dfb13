// Call transfer as the proxy sees it pass: a REFER in a call (RFC 3515) names where its recipient is to
// call in Refer-To, e.g. `<sip:1003@lab?Replaces=abc%40host%3Bto-tag%3D1%3Bfrom-tag%3D2>` for an attended
// transfer (RFC 3891: the new call replaces another); the transferee's new INVITE says who referred it
// in Referred-By (RFC 3892), e.g. `<sip:1002@lab>;cid=...`. The CDR says both (its extra_info).

/** The URI a header value names: inside <...> (name-addr), else up to its parameters (addr-spec). */
function uriOf(value: string): string {
  const open = value.indexOf('<');
  if (open >= 0) {
    const close = value.indexOf('>', open + 1);
    return value.slice(open + 1, close < 0 ? undefined : close).trim();
  }
  return (value.split(';')[0] ?? '').trim();
}

/** A Refer-To's target without its embedded headers, and whether it replaces a call (attended). */
export function referTarget(value: string): { uri: string; attended: boolean } {
  const uri = uriOf(value);
  const q = uri.indexOf('?');
  return {
    uri: q < 0 ? uri : uri.slice(0, q),
    attended: q >= 0 && /(?:^|&)replaces=/i.test(uri.slice(q + 1)),
  };
}

/** A Referred-By's URI. */
export function referrer(value: string): string {
  return uriOf(value);
}
