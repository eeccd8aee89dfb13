import { describe, expect, it } from 'vitest';
import { NonceIssuer } from '../../../../core/sip/auth/nonces';

function edit(nonce: string, at: number, value: number): string {
  const raw = Buffer.from(nonce, 'base64url');
  raw[at] = value;
  return raw.toString('base64url');
}

const FROM = '192.0.2.7';

describe('NonceIssuer', () => {
  it('accepts its own nonces and refuses any byte changed, in the body or in the MAC', () => {
    const issuer = new NonceIssuer(60, () => 1_000_000);
    const nonce = issuer.issue(FROM);
    expect(issuer.inspect(nonce, FROM).check).toBe('valid');
    const raw = Buffer.from(nonce, 'base64url');
    expect(raw.length).toBe(28);
    for (let i = 0; i < raw.length; i++) {
      expect(issuer.inspect(edit(nonce, i, raw[i]! ^ 0x01), FROM).check, `byte ${i}`).toBe('invalid');
    }
  });

  it("refuses another issuer's nonce, a longer one and a non-canonical spelling", () => {
    const a = new NonceIssuer(60);
    const b = new NonceIssuer(60);
    const nonce = b.issue(FROM);
    expect(a.inspect(nonce, FROM).check).toBe('invalid');
    expect(b.inspect(`${nonce}AAAA`, FROM).check).toBe('invalid');
    expect(b.inspect(`${nonce}=`, FROM).check).toBe('invalid');
  });

  it('says stale for an expired nonce and keeps nonce-counts rising', () => {
    let now = 1_000_000;
    const issuer = new NonceIssuer(60, () => now);
    const nonce = issuer.issue(FROM);
    const { check, slot } = issuer.inspect(nonce, FROM);
    expect(check).toBe('valid');
    expect(issuer.useCount(slot, 1)).toBe(true);
    expect(issuer.useCount(slot, 1)).toBe(false);
    expect(issuer.useCount(slot, 2)).toBe(true);
    now += 61_000;
    expect(issuer.inspect(nonce, FROM).check).toBe('stale');
  });

  it('is good only from the source it was given to: its IPv4 address, any port (RFC 7616 §5.5)', () => {
    const issuer = new NonceIssuer(60, () => 1_000_000);
    const nonce = issuer.issue('127.0.0.1');
    expect(issuer.inspect(nonce, '127.0.0.1').check).toBe('valid');
    // A dual-stack socket's spelling of the same IPv4 address is that address.
    expect(issuer.inspect(nonce, '::ffff:127.0.0.1').check).toBe('valid');
    for (const other of ['127.0.0.2', '127.1.0.1', '::1', '::ffff:127.0.0.2', '', 'an address already gone'])
      expect(issuer.inspect(nonce, other), other).toEqual({
        check: 'foreign',
        slot: -1,
        issuedTo: '127.0.0.1',
      });
    // Not even an expired one says more than that to another source.
    const late = new NonceIssuer(60, () => 9_000_000);
    expect(late.inspect(late.issue('192.0.2.1'), '192.0.2.2').check).toBe('foreign');
  });

  it('binds an IPv6 source by its /64 (privacy addresses change within it), and IPv4-mapped as IPv4', () => {
    const issuer = new NonceIssuer(60, () => 1_000_000);
    const v6 = issuer.issue('2001:db8:1:2::10');
    for (const same of ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:DB8:1:2::1', '2001:db8:1:2::10%eth0'])
      expect(issuer.inspect(v6, same).check, same).toBe('valid');
    expect(issuer.inspect(v6, '2001:db8:1:3::10')).toEqual({
      check: 'foreign',
      slot: -1,
      issuedTo: '2001:db8:1:2::/64',
    });
    // ::1's /64 is ::/64, in RFC 5952 form; text that is no address is bound apart from it (it shared
    // ::1's binding, and a nonce given to ::1 was said to be given to "no address").
    expect(issuer.inspect(issuer.issue('::1'), '127.0.0.1').issuedTo).toBe('::/64');
    expect(issuer.inspect(issuer.issue('2001:db8::1'), '127.0.0.1').issuedTo).toBe('2001:db8::/64');
    expect(issuer.inspect(issuer.issue('no-address'), '::1')).toMatchObject({ issuedTo: 'no address' });
    expect(issuer.inspect(issuer.issue('::1'), 'no-address').check).toBe('foreign');
    const mapped = issuer.issue('::ffff:192.0.2.9');
    expect(issuer.inspect(mapped, '192.0.2.9').check).toBe('valid');
    expect(issuer.inspect(mapped, '::ffff:c000:209').check).toBe('valid');
    expect(issuer.inspect(mapped, '::192.0.2.9').check).toBe('foreign');
  });
});
