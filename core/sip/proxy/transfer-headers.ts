// Call transfer as the proxy sees it pass: a REFER in a call (RFC 3515) names where its recipient is to
// call in Refer-To, e.g. `<sip:1003@lab?Replaces=abc%40host%3Bto-tag%3D1%3Bfrom-tag%3D2>` for an attended
// transfer (RFC 3891: the new call replaces another); the transferee's new INVITE says who referred it
// in Referred-By (RFC 3892), e.g. `<sip:1002@lab>;cid=...`. An INVITE may also take a call over with no
// REFER (RFC 3891 §3: a pickup, or a transferee's INVITE after an attended REFER): its Replaces names the
// dialog, `abc@host;to-tag=1;from-tag=2`. The CDR says all of them (its extra_info).
import { keptText, parseNameAddr, type SipRequest } from '../message/index';

/** The URI a header value names (name-addr or addr-spec, the message layer's parser); else the text. */
function uriOf(value: string, header: string): string {
  try {
    return parseNameAddr(value, header)?.uriText ?? value.trim();
  } catch {
    return value.trim(); // not a name-addr: said as it came
  }
}

/** A Refer-To's target without its embedded headers, and whether it replaces a call (attended). */
export function referTarget(value: string): { uri: string; attended: boolean } {
  const uri = uriOf(value, 'Refer-To');
  const q = uri.indexOf('?');
  return {
    uri: q < 0 ? uri : uri.slice(0, q),
    attended: q >= 0 && /(?:^|&)replaces=/i.test(uri.slice(q + 1)),
  };
}

/** A Referred-By's URI. */
export function referrer(value: string): string {
  return uriOf(value, 'Referred-By');
}

/** The dialog an INVITE's Replaces names (RFC 3891 §6.1: callid *(";" to-tag / from-tag / ...)). */
export function replacedDialog(value: string): { callId: string; tags: string[] } | undefined {
  const [callId, ...params] = value.split(';').map((p) => p.trim());
  if (callId === undefined || callId === '') return undefined;
  const tags = params.flatMap((p) => {
    const m = /^(?:to|from)-tag\s*=\s*(\S+)$/i.exec(p);
    return m === null ? [] : [m[1]!];
  });
  return { callId, tags };
}

/** The start of a sipfrag's status line (RFC 3420: a response's first line), its code and phrase. */
const STATUS_LINE = /^SIP\/2\.0[ \t]+([1-6]\d\d)(?:[ \t]+([^\r\n]*))?/;

/**
 * The final outcome a NOTIFY of the refer event package reports (RFC 3515 §2.4.5: its message/sipfrag
 * body is the status line of the answer the referenced request got, e.g. `SIP/2.0 404 Not Found`):
 * undefined for another NOTIFY, or a provisional one (`SIP/2.0 100 Trying`).
 */
export function referOutcome(notify: SipRequest): { status: number; phrase: string } | undefined {
  const event = notify.header('event');
  if (event === undefined) return undefined;
  const semi = event.indexOf(';');
  if ((semi < 0 ? event : event.slice(0, semi)).trim().toLowerCase() !== 'refer') return undefined;
  const type = notify.contentType;
  if (type === undefined || type.type !== 'message' || type.subtype !== 'sipfrag') return undefined;
  const m = STATUS_LINE.exec(notify.body.subarray(0, 512).toString('utf8'));
  if (m === null) return undefined;
  const status = Number(m[1]);
  return status < 200 ? undefined : { status, phrase: keptText((m[2] ?? '').trim()) };
}
