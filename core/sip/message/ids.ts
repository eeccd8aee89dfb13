// Random identifiers for tags (§19.3: at least 32 random bits), branches (§8.1.1.7: the magic cookie
// then a value unique in space and time) and Call-IDs. Drawn from a pool of crypto-random bytes,
// refilled 4 KB at a time, so a tag costs a few string operations rather than a system call.
import { randomFillSync } from 'node:crypto';
import { BRANCH_COOKIE } from './via';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const pool = Buffer.allocUnsafeSlow(4096);
let at = pool.length;

/** `length` characters from [0-9a-zA-Z] (about 5.95 random bits each). */
export function randomToken(length: number): string {
  if (at + length > pool.length) {
    randomFillSync(pool);
    at = 0;
  }
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[pool[at++]! % 62];
  return out;
}

/** A To/From tag: 10 chars, about 59 random bits. */
export function newTag(): string {
  return randomToken(10);
}

/**
 * This process's mark on the To tags of the final responses it sends without a transaction (§8.2.7: the
 * challenges of requests without credentials, the 400s of malformed ones). The ACK of such an answer to an
 * INVITE (§17.1.1.3) matches no transaction; the mark tells the layer it was for us and is absorbed, as
 * Kamailio's sl module does with its own tags, instead of being routed on as if it were end to end.
 * Alphanumeric like every tag (a tag made by newTag() starts with it once in 62^6).
 */
const STATELESS_MARK = randomToken(6);

/** A To tag for a response sent without a transaction: the mark, then a tag (about 95 random bits). */
export function statelessTag(): string {
  return STATELESS_MARK + newTag();
}

/** Was this To tag given by `statelessTag()` in this process? */
export function isStatelessTag(tag: string | undefined): boolean {
  return tag !== undefined && tag.startsWith(STATELESS_MARK);
}

/** A Via branch: the RFC 3261 magic cookie and 16 random chars. */
export function newBranch(): string {
  return `${BRANCH_COOKIE}-${randomToken(16)}`;
}

export function newCallId(host: string): string {
  return `${randomToken(20)}@${host}`;
}
