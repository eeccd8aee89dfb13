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

/** A Via branch: the RFC 3261 magic cookie and 16 random chars. */
export function newBranch(): string {
  return `${BRANCH_COOKIE}-${randomToken(16)}`;
}

export function newCallId(host: string): string {
  return `${randomToken(20)}@${host}`;
}
