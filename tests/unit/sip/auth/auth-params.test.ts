// The Digest header syntax (RFC 3261 §25.1, RFC 7616 §3.4): scheme, then name=token or name=quoted-string
// pairs, comma-separated, with optional blanks around "=" and ",".
import { describe, expect, it, vi } from 'vitest';
import { parseAuthHeader, quoted } from '../../../../core/sip/auth/auth-params';

const params = (value: string): [string, string][] | undefined => {
  const h = parseAuthHeader(value);
  return h === undefined ? undefined : [...h.params];
};

describe('parseAuthHeader', () => {
  it('reads the credentials a phone sends, quoted values unquoted, names lower-cased', () => {
    const h = parseAuthHeader(
      'Digest username="1001",Realm="ims.lab",uri="sip:ims.lab",nonce="abc",response="0f",' +
        'algorithm=MD5,cnonce="6b8b",qop=auth,nc=00000001',
    );
    expect(h?.scheme).toBe('Digest');
    expect([...h!.params]).toEqual([
      ['username', '1001'],
      ['realm', 'ims.lab'],
      ['uri', 'sip:ims.lab'],
      ['nonce', 'abc'],
      ['response', '0f'],
      ['algorithm', 'MD5'],
      ['cnonce', '6b8b'],
      ['qop', 'auth'],
      ['nc', '00000001'],
    ]);
  });

  it('takes blanks around = and , and an empty quoted value', () => {
    expect(params(' Digest \t realm = "a b" ,\tnonce= "" , stale=FALSE')).toEqual([
      ['realm', 'a b'],
      ['nonce', ''],
      ['stale', 'FALSE'],
    ]);
    expect(params('Digest')).toEqual([]);
  });

  it('undoes quoted-pairs (§25.1) and keeps commas and = inside quotes', () => {
    expect(params('Digest realm="a\\"b\\\\c", opaque="x,y=z"')).toEqual([
      ['realm', 'a"b\\c'],
      ['opaque', 'x,y=z'],
    ]);
    expect(params(`Digest realm=${quoted('say "hi" \\o/')}`)).toEqual([['realm', 'say "hi" \\o/']]);
  });

  it.each([
    ['no scheme', ''],
    ['no scheme, a quote', '"Digest"'],
    ['a name without =', 'Digest realm'],
    ['an unterminated quote', 'Digest realm="abc'],
    ['a quote ended by a quoted-pair', 'Digest realm="abc\\"'],
    ['a backslash at the end', 'Digest realm="abc\\'],
    ['an empty token value', 'Digest realm=,nonce="a"'],
    ['two values without a comma', 'Digest realm="a" nonce="b"'],
    ['a value with a non-token character', 'Digest realm=a@b'],
    ['an empty name', 'Digest ="a"'],
  ])('refuses %s', (_, value) => {
    expect(parseAuthHeader(value)).toBeUndefined();
  });
});

describe('quoted', () => {
  it('escapes a quote and a backslash (§25.1 quoted-pair), and runs no replace when there is none', () => {
    expect(quoted('a"b\\c')).toBe('"a\\"b\\\\c"');
    const replace = vi.spyOn(String.prototype, 'replace');
    try {
      expect(quoted('AAAACQAACvH_____fwAAAYH3Rpn0w7tatBFxPA')).toBe(
        '"AAAACQAACvH_____fwAAAYH3Rpn0w7tatBFxPA"',
      );
      expect(quoted('')).toBe('""');
      expect(replace).not.toHaveBeenCalled();
    } finally {
      replace.mockRestore();
    }
  });
});
