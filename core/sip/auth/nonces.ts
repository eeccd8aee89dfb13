// Nonces that carry their own expiry and cannot be forged (RFC 7616 §5.4-5.5): issue time, the issue
// counter (which names a slot in a fixed-size nonce-count table), the source it was given to
// (nonce-source.ts) and a MAC over them under a per-process key. A nonce is good only from the source it
// was given to (RFC 7616 §5.5): one fetched from an attacker's own address and sent with a forged source
// (the victim phone's, over UDP) is not checked, so it counts no failure against the victim; nor can one
// nonce carry guesses from many forged sources, each with a lock-out count of its own. No per-nonce
// state is allocated: the table bounds memory (16 MB for 2^20 slots) while nonce-count replay
// detection (RFC 7616 §3.4, the original's BUG 2) works for every nonce still in its slot. A nonce whose
// slot has been reused by a later one is treated as stale: the client simply authenticates again.
// The issue time is on the steady clock (seconds since the process started): on the wall clock, a nonce
// issued before a step back stayed fresh for the step, and a step forward made every nonce stale at once.
// A nonce from an earlier process fails its MAC (a new key each start) and gets a fresh challenge.
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { SOURCE_BYTES, sourceText, writeSource } from './nonce-source';

/** `foreign`: ours and intact, but given to another source (`issuedTo` says which). */
export type NonceCheck = 'valid' | 'stale' | 'invalid' | 'foreign';

const SLOTS = 1 << 20;
const KEY_BYTES = 32;
/** Issue time and issue counter (two 32-bit words; the slot is the counter's remainder), the source. */
const SOURCE_AT = 8;
const BODY_BYTES = SOURCE_AT + SOURCE_BYTES;
const MAC_BYTES = 12;

export class NonceIssuer {
  /** The key, then room for one body: what the MAC hashes (see mac()). */
  private readonly keyed = Buffer.concat([randomBytes(KEY_BYTES), Buffer.alloc(BODY_BYTES)]);
  private readonly issueOf = new Uint32Array(SLOTS);
  private readonly lastNc = new Uint32Array(SLOTS);
  /** The binding of the source a nonce is presented from, compared with the nonce's own. */
  private readonly from = Buffer.alloc(SOURCE_BYTES);
  private counter = 1;

  constructor(
    /** Lifetime of a nonce in seconds. */
    private lifetimeSeconds: number,
    /** The steady clock, in ms (see the top). */
    private readonly now: () => number = () => performance.now(),
  ) {}

  setLifetime(seconds: number): void {
    this.lifetimeSeconds = seconds;
  }

  /** A fresh nonce for `source` (the request's source address: a UDP datagram's, a connection's peer). */
  issue(source: string): string {
    const issue = this.counter;
    this.counter = this.counter === 0xffffffff ? 1 : this.counter + 1;
    const slot = issue % SLOTS;
    this.issueOf[slot] = issue;
    this.lastNc[slot] = 0;
    const nonce = Buffer.allocUnsafe(BODY_BYTES + MAC_BYTES);
    nonce.writeUInt32BE(Math.floor(this.now() / 1000), 0);
    nonce.writeUInt32BE(issue, 4);
    writeSource(source, nonce, SOURCE_AT);
    this.mac(nonce.subarray(0, BODY_BYTES)).copy(nonce, BODY_BYTES, 0, MAC_BYTES);
    return nonce.toString('base64url');
  }

  /** Is the nonce ours, given to `source` and still usable? Returns its slot when it is. */
  inspect(nonce: string, source: string): { check: NonceCheck; slot: number; issuedTo?: string } {
    const raw = Buffer.from(nonce, 'base64url');
    if (raw.length !== BODY_BYTES + MAC_BYTES || raw.toString('base64url') !== nonce) {
      return { check: 'invalid', slot: -1 };
    }
    const body = raw.subarray(0, BODY_BYTES);
    const mac = this.mac(body).subarray(0, MAC_BYTES);
    if (!timingSafeEqual(raw.subarray(BODY_BYTES), mac)) return { check: 'invalid', slot: -1 };
    writeSource(source, this.from, 0);
    for (let i = 0; i < SOURCE_BYTES; i++)
      if (this.from[i] !== body[SOURCE_AT + i])
        return { check: 'foreign', slot: -1, issuedTo: sourceText(body, SOURCE_AT) };
    const issuedAt = body.readUInt32BE(0);
    const issue = body.readUInt32BE(4);
    const slot = issue % SLOTS;
    if (Math.floor(this.now() / 1000) - issuedAt > this.lifetimeSeconds) return { check: 'stale', slot };
    if (this.issueOf[slot] !== issue) return { check: 'stale', slot };
    return { check: 'valid', slot };
  }

  /**
   * Records a nonce-count for a valid nonce whose response checked out: it must exceed every count
   * already used with that nonce, else the request is a replay (RFC 7616 §3.4.6).
   */
  useCount(slot: number, nc: number): boolean {
    if (nc <= this.lastNc[slot]!) return false;
    this.lastNc[slot] = nc;
    return true;
  }

  /**
   * Spends a valid nonce on an answer that has no nonce-count (RFC 2069 form): true the first time,
   * false once the nonce has been used in any form; no later count is accepted with it either.
   */
  useOnce(slot: number): boolean {
    if (this.lastNc[slot] !== 0) return false;
    this.lastNc[slot] = 0xffffffff;
    return true;
  }

  /**
   * SHA-256(key || body), first 12 bytes used. A secret-prefix MAC is sound here because the body has
   * one fixed length (16 bytes, and inspect() takes nothing but 28-byte nonces), so SHA-256's length
   * extension cannot forge one: for fixed-length inputs the keyed hash is a PRF if the compression
   * function is (Bellare, Canetti, Krawczyk 1996, "the cascade construction"). It costs a third of an
   * HMAC here (one compression and a one-shot crypto.hash instead of two and a createHmac() object):
   * key and body, 48 bytes, fit one 64-byte block with SHA-256's padding (at most 55).
   */
  private mac(body: Buffer): Buffer {
    body.copy(this.keyed, KEY_BYTES);
    return hash('sha256', this.keyed, 'buffer');
  }
}
