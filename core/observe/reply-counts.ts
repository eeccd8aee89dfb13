// sip_replies_total{direction,method,class}: SIP responses received and sent, by the method of their CSeq
// (RFC 3261 §8.1.1.5, §8.2.6.2: a response carries its request's) and their status class (§7.2: 1xx to 6xx),
// as Kamailio's core statistics count rcv_replies_<class>_<method> and sent_replies. Counted on the wire,
// retransmissions included. The hot path costs a string switch and one typed-array increment: no Map, no
// label string built per message. The label set is fixed (2 x 14 x 6 series, every one at 0 from the
// start); a method outside the RFCs' list, a fuzzer's say, is counted as "other".

/**
 * The methods a response answers (RFC 3261 §7.1 and the extensions IMS Lab routes; an ACK has none,
 * §17.1.1.3), each with series of its own.
 */
export const ANSWERED_METHODS = [
  'INVITE',
  'BYE',
  'CANCEL',
  'OPTIONS',
  'REGISTER',
  'PRACK',
  'SUBSCRIBE',
  'NOTIFY',
  'PUBLISH',
  'INFO',
  'REFER',
  'MESSAGE',
  'UPDATE',
] as const;
export const REPLY_METHODS = [...ANSWERED_METHODS, 'other'] as const;

const OTHER = REPLY_METHODS.length - 1;
export const REPLY_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx', '6xx'] as const;
export const REPLY_DIRECTIONS = ['received', 'sent'] as const;
export type ReplyDirection = (typeof REPLY_DIRECTIONS)[number];

/** The index of a method in REPLY_METHODS; methods are case-sensitive (§7.1), so "invite" is "other". */
export function replyMethodIndex(method: string): number {
  switch (method) {
    case 'REGISTER':
      return 4;
    case 'INVITE':
      return 0;
    case 'OPTIONS':
      return 3;
    case 'BYE':
      return 1;
    case 'CANCEL':
      return 2;
    case 'PRACK':
      return 5;
    case 'SUBSCRIBE':
      return 6;
    case 'NOTIFY':
      return 7;
    case 'PUBLISH':
      return 8;
    case 'INFO':
      return 9;
    case 'REFER':
      return 10;
    case 'MESSAGE':
      return 11;
    case 'UPDATE':
      return 12;
    default:
      return OTHER;
  }
}

const PER_DIRECTION = REPLY_METHODS.length * REPLY_CLASSES.length;

export interface ReplySeries {
  direction: ReplyDirection;
  method: string;
  class: string;
  value: number;
}

export class ReplyCounts {
  // Float64: exact integers far past 2^32 (a counter must not wrap).
  readonly #counts = new Float64Array(REPLY_DIRECTIONS.length * PER_DIRECTION);

  /** A response received; `status` outside 100-699 (which the parser refuses) is not counted. */
  received(method: string, status: number): void {
    this.#add(0, method, Math.floor(status / 100));
  }

  /**
   * A response sent; `kind` is the status code as the transport's out-counter has it ("200"): its first
   * digit is the class, read without a number parsed.
   */
  sent(method: string, kind: string): void {
    this.#add(1, method, kind.charCodeAt(0) - 48);
  }

  #add(direction: number, method: string, cls: number): void {
    if (cls < 1 || cls > 6) return;
    this.#counts[direction * PER_DIRECTION + replyMethodIndex(method) * REPLY_CLASSES.length + cls - 1]! += 1;
  }

  get(direction: ReplyDirection, method: string, cls: string): number {
    const d = REPLY_DIRECTIONS.indexOf(direction);
    const c = REPLY_CLASSES.indexOf(cls as (typeof REPLY_CLASSES)[number]);
    if (d < 0 || c < 0) return 0;
    return this.#counts[d * PER_DIRECTION + replyMethodIndex(method) * REPLY_CLASSES.length + c]!;
  }

  /** Every series, zeros included, in a fixed order (direction, method, class). */
  series(): ReplySeries[] {
    const out: ReplySeries[] = [];
    let i = 0;
    for (const direction of REPLY_DIRECTIONS)
      for (const method of REPLY_METHODS)
        for (const cls of REPLY_CLASSES)
          out.push({ direction, method, class: cls, value: this.#counts[i++]! });
    return out;
  }
}
