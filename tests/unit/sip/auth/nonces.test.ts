import { describe, expect, it } from 'vitest';
import { NonceIssuer } from '../../../../core/sip/auth/nonces';

function edit(nonce: string, at: number, value: number): string {
  const raw = Buffer.from(nonce, 'base64url');
  raw[at] = value;
  return raw.toString('base64url');
}

describe('NonceIssuer', () => {
  it('accepts its own nonces and refuses any byte changed, in the body or in the MAC', () => {
    const issuer = new NonceIssuer(60, () => 1_000_000);
    const nonce = issuer.issue();
    expect(issuer.inspect(nonce).check).toBe('valid');
    const raw = Buffer.from(nonce, 'base64url');
    expect(raw.length).toBe(24);
    for (let i = 0; i < raw.length; i++) {
      expect(issuer.inspect(edit(nonce, i, raw[i]! ^ 0x01)).check, `byte ${i}`).toBe('invalid');
    }
  });

  it("refuses another issuer's nonce, a longer one and a non-canonical spelling", () => {
    const a = new NonceIssuer(60);
    const b = new NonceIssuer(60);
    const nonce = b.issue();
    expect(a.inspect(nonce).check).toBe('invalid');
    expect(b.inspect(`${nonce}AAAA`).check).toBe('invalid');
    expect(b.inspect(`${nonce}=`).check).toBe('invalid');
  });

  it('says stale for an expired nonce and keeps nonce-counts rising', () => {
    let now = 1_000_000;
    const issuer = new NonceIssuer(60, () => now);
    const nonce = issuer.issue();
    const { check, slot } = issuer.inspect(nonce);
    expect(check).toBe('valid');
    expect(issuer.useCount(slot, 1)).toBe(true);
    expect(issuer.useCount(slot, 1)).toBe(false);
    expect(issuer.useCount(slot, 2)).toBe(true);
    now += 61_000;
    expect(issuer.inspect(nonce).check).toBe('stale');
  });
});
