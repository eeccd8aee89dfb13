// Random identifiers for tags (§19.3: at least 32 random bits), branches (§8.1.1.7: the magic cookie
// then a value unique in space and time) and Call-IDs. Drawn from a pool of crypto-random bytes,
// refilled 4 KB at a time, so a tag costs a few string operations rather than a system call.
//
// Lower-case hex, as Kamailio's tags: no token can spell a header name. SIPp (3.6 and its master,
// call.cpp extract_cseq_method) reads a response's CSeq method from the first "CSeq" anywhere in the
// message; a To tag of letters of both cases holds "CSeq" once in about 2 million, and then SIPp aborts
// the call as an "unexpected message" (seen on the REGISTER ladder: tag=Wk7DLxCSeq).
import { randomFillSync } from 'node:crypto';
import { BRANCH_COOKIE } from './via';

const pool = Buffer.allocUnsafeSlow(4096);
let at = pool.length;

/** `length` lower-case hex digits (4 random bits each). */
export function randomToken(length: number): string {
  const bytes = (length + 1) >> 1;
  if (at + bytes > pool.length) {
    randomFillSync(pool);
    at = 0;
  }
  const hex = pool.toString('hex', at, at + bytes);
  at += bytes;
  return (length & 1) === 0 ? hex : hex.slice(0, length);
}

/** A To/From tag: 64 random bits. */
export function newTag(): string {
  return randomToken(16);
}

/**
 * This process's mark on the To tags of the final responses it sends without a transaction (§8.2.7: the
 * challenges of requests without credentials, the 400s of malformed ones). The ACK of such an answer to an
 * INVITE (§17.1.1.3) matches no transaction; the mark tells the layer it was for us and is absorbed, as
 * Kamailio's sl module does with its own tags, instead of being routed on as if it were end to end.
 * Hex like every tag (a tag made by newTag() starts with it once in 2^32).
 */
const STATELESS_MARK = randomToken(8);

/** A To tag for a response sent without a transaction: the mark, then a tag (96 random bits). */
export function statelessTag(): string {
  return STATELESS_MARK + newTag();
}

/** Was this To tag given by `statelessTag()` in this process? */
export function isStatelessTag(tag: string | undefined): boolean {
  return tag !== undefined && tag.startsWith(STATELESS_MARK);
}

/** A Via branch: the RFC 3261 magic cookie and 96 random bits. */
export function newBranch(): string {
  return `${BRANCH_COOKIE}-${randomToken(24)}`;
}

export function newCallId(host: string): string {
  return `${randomToken(32)}@${host}`;
}
