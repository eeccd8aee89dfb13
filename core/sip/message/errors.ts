// The one error type of the message layer. Parsing returns it (never throws anything else); lazy
// header accessors throw it. `status` and `reason` are what a 400-class response carries
// (RFC 3261 §21.4.1: the reason phrase SHOULD identify the syntax problem in more detail).
import type { SipMessage } from './message';

export type SipParseErrorKind =
  /** Empty datagram or a start line that matches neither Request-Line nor Status-Line (§7.1, §7.2). */
  | 'start-line'
  /** SIP-Version other than SIP/2.0 (§8.2.2 / §21.5.7: 505). */
  | 'version'
  /** A header line without a name, without a colon, or with a value its grammar refuses (§7.3, §25). */
  | 'header'
  /** A mandatory header field is missing (§8.1.1). */
  | 'missing-header'
  /** A single-valued header field appears more than once (§7.3.1). */
  | 'duplicate-header'
  /** CSeq method differs from the request method (§8.1.1.5, RFC 4475 §3.1.2.17). */
  | 'cseq-mismatch'
  /** Content-Length missing on a stream, negative, non-numeric or beyond the bytes received (§18.3, §20.14). */
  | 'content-length'
  /** Message larger than the configured limit (§18.1.1, 513 Message Too Large). */
  | 'too-large'
  /** Bytes that are not a SIP message at all (NUL or control characters in the start line or header names). */
  | 'binary';

/** Every kind, for the metrics' series at 0 before the first (the Record makes the list complete). */
export const SIP_PARSE_ERROR_KINDS = Object.keys({
  'start-line': true,
  version: true,
  header: true,
  'missing-header': true,
  'duplicate-header': true,
  'cseq-mismatch': true,
  'content-length': true,
  'too-large': true,
  binary: true,
} satisfies Record<SipParseErrorKind, true>) as readonly SipParseErrorKind[];

/**
 * A reason phrase that quotes the peer's bytes ('Malformed Content-Length header: "0<CR>X-Injected"')
 * with every byte outside printable ASCII written \xNN: RFC 3261 §25.1 has no CR or LF in a
 * Reason-Phrase (a bare CR sent back is a header line to a parser that ends lines at CR), and the
 * message holds bytes as latin1 chars, which would go out re-encoded as UTF-8.
 */
export function asciiReason(text: string): string {
  return /[^\x20-\x7e]/.test(text)
    ? text.replace(
        /[^\x20-\x7e]/g,
        (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`,
      )
    : text;
}

export class SipParseError {
  /** Lets callers tell a parse result apart without instanceof across bundles. */
  readonly isSipParseError = true;
  /**
   * The message as far as it was understood (its header lines located), when the fault was found after
   * the header section was split: enough to copy Via, From, To, Call-ID and CSeq into a 400 (§8.2.6).
   */
  partial?: SipMessage;

  /** Reason phrase for the response, e.g. "Malformed Via header". Plain printable ASCII (asciiReason). */
  readonly reason: string;

  constructor(
    readonly kind: SipParseErrorKind,
    reason: string,
    /** Status code a request with this problem should get: 400, 505 or 513. */
    readonly status: number = 400,
    /** The header field at fault, canonical lower-case long name, when there is one. */
    readonly header?: string,
  ) {
    this.reason = asciiReason(reason);
  }

  toString(): string {
    return `${this.status} ${this.reason}`;
  }
}

export function headerError(header: string, display: string, detail?: string): SipParseError {
  return new SipParseError(
    'header',
    `Malformed ${display} header${detail ? ` (${detail})` : ''}`,
    400,
    header,
  );
}
